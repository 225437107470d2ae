import ArgumentParser
import Evaluation
import Foundation

extension ExportFormat: ExpressibleByArgument {}
extension ExportKind: ExpressibleByArgument {}
extension FrameworkExport.PromptStyle: ExpressibleByArgument {}

/// `recheck export --format trl|openrlhf|verl --kind s2r-sft|rl-prompts|score-turns --in FILE --out FILE`.
struct ExportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Write S²R SFT data, RL prompt sets or SCoRe per-turn samples for TRL, OpenRLHF or verl.",
    discussion: """
      Tested with TRL 1.16.0, OpenRLHF 0.11.2, verl 0.9.1 and transformers
      5.10.4 by Scripts/check-frameworks.sh; full commands: Docs/frameworks.md.
      Rewards come from `recheck serve`; a server started with --api-key-file
      takes `Authorization: Bearer <key>` or the path prefix /k/<key>/.

      TRL (Examples/recheck_reward_shim.py):
        s2r-sft      one row per trained segment; train on
                     recheck_sft_dataset(rows, tokenizer) (EOS after the last
                     segment only). --conversational: no wrong attempts.
        rl-prompts   GRPOTrainer(reward_funcs=[recheck_reward]); the label
                     column reaches it.
      OpenRLHF >= 0.10.2 (--data.* and --reward.* flags):
        s2r-sft      openrlhf.cli.train_sft --data.dataset rows.jsonl
                     --data.input_key input --data.output_key output
                     --data.input_template ""   (<= 1 wrong attempt)
        rl-prompts   openrlhf.cli.train_ppo_ray --data.prompt_dataset rows.jsonl
                     --data.input_key input --data.label_key label
                     --data.apply_chat_template
                     --reward.remote_url http://127.0.0.1:8088/get_reward
        score-turns  --data.input_key input --data.label_key label; add
                     --data.apply_chat_template for message-list inputs only.
      verl 0.9.1 (reads parquet):
        python3 Scripts/jsonl_to_parquet.py rows.jsonl rows.parquet
        reward.custom_reward_function.path=Examples/recheck_reward_shim.py
        reward.custom_reward_function.name=compute_score
        +reward.custom_reward_function.reward_kwargs.verifier_url=URL
        reward.sandbox_fusion.url=http://127.0.0.1:8088/run_code  (code)
        s2r-sft: multi-turn SFT, data.messages_key=messages (no wrong attempts)

      score-turns reads `recheck eval` results, `recheck demo`'s SCoRe results
      (results/score.jsonl, base.jsonl, ...) or SCoRe training episodes; code
      tasks and episodes need --data (the problems file). Turns >= 2 carry r1
      (the previous turn's reward) and the Stage II shaping --alpha.
      """)

  @Option(help: "trl | openrlhf | verl.") var format: ExportFormat
  @Option(help: "s2r-sft | rl-prompts | score-turns.") var kind: ExportKind
  @Option(name: .customLong("in"), help: "Input file.") var input: String
  @Option(help: "Output JSONL file.") var out: String
  @Flag(help: "TRL s2r-sft: conversational messages (examples without wrong attempts only).")
  var conversational = false
  @Option(help: "rl-prompts: s2r (system prompt + problem) or score (SCoRe first turn).")
  var promptStyle: FrameworkExport.PromptStyle = .s2r
  @Option(
    help: "score-turns: the problems file of the run (needed for HumanEval/MBPP and training episodes).")
  var data: String?
  @Option(
    help: "score-turns: SCoRe Stage II shaping α for turns ≥ 2 (reward r2 + α(r2 − r1)); 0 turns it off.")
  var alpha = 10.0

  func validate() throws {
    guard alpha >= 0 else { throw ValidationError("--alpha must be ≥ 0") }
  }

  func run() throws {
    let n = try FrameworkExport.export(
      input: input, output: out,
      options: ExportOptions(
        kind: kind, format: format, conversational: conversational, promptStyle: promptStyle, data: data,
        shaping: alpha))
    print("wrote \(n) \(kind.rawValue) rows for \(format.rawValue) to \(out)")
  }
}
