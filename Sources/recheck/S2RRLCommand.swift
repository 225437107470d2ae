import ArgumentParser
import Datasets
import Foundation
import Models
import Rollouts
import Training

/// Saved as RUN_DIR/config.json.
struct S2RRLRunConfig: Codable {
  var model: String
  var data: String
  var problems: Int
  var rl: S2RRLConfig
}

/// `recheck s2r rl --level outcome|process --model DIR|FILE.gguf --data FILE.jsonl --out RUN_DIR
/// [--steps --prompts --samples 4 --lr --kl --clip 0.2 --updates 2 --temperature 0.7 --max-tokens
/// --seed]`: S²R online RL (spec §4) from `--model` (a GGUF file, a Hugging Face directory or a
/// char model, `TrainingModel`), with the loaded model frozen as the KL reference. `--data` is a
/// synthetic file or MATH/GSM8K-style JSONL (`S2RProblemSource`: a chat model is prompted through
/// its template with the S²R system prompt, exactly as `sft` trained it, and graded by
/// `MathGrader`; `S2RSupport.layout` gives the stop ids and marker parse). Writes
/// RUN_DIR/config.json, RUN_DIR/metrics.jsonl, RUN_DIR/checkpoint every `--checkpoint-every N`
/// steps and the final RUN_DIR/model (a Hugging Face directory for a GGUF or HF start). A rerun of the same command after a kill resumes from
/// RUN_DIR/checkpoint (weights, AdamW moments, step, PRL baseline, metrics) and ends with the same
/// model as an uninterrupted run.
struct S2RRLCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rl",
    abstract: "S²R outcome- or process-level RL (online, or --offline) on synthetic or MATH/GSM8K problems.")
  @OptionGroup var kernels: KernelOptions

  @Option(help: "Reward level: outcome (RLOO on the final answer) or process (per action).")
  var level: S2RRLConfig.Level = .outcome
  @Option(
    help:
      "Starting model: a .gguf file or a model directory (Hugging Face or Recheck layout; usually `recheck sft`'s RUN_DIR/model)."
  )
  var model: String
  @OptionGroup var local: LocalOnlyOptions
  @Option(help: "Problems for online RL: a synthetic file (`recheck data synth`) or MATH/GSM8K-style JSONL.")
  var data: String?
  @OptionGroup var offlineOptions: S2ROfflineOptions
  @Option(help: "Run directory (config, metrics, model).") var out: String
  @Option(help: "RL steps.") var steps = 30
  @Option(help: "Problems per step.") var prompts = 16
  @Option(help: "Rollouts per problem.") var samples = 4
  @Option(help: "Learning rate.") var lr = 1e-4
  @Option(help: "KL coefficient to the frozen starting model.") var kl = 0.01
  @Option(help: "Clip ε of the surrogate.") var clip = 0.2
  @Option(help: "Optimiser updates per batch of rollouts.") var updates = 2
  @Option(help: "Sampling temperature.") var temperature = 0.7
  @Option(help: "Max new tokens per rollout.") var maxTokens = 400
  @Option(help: "Seed of problem order and sampling.") var seed: UInt64 = 0
  @Option(help: "Checkpoint every N steps (0: only at the end); a rerun resumes from it.")
  var checkpointEvery = 10

  func validate() throws {
    try local.check("recheck s2r rl")
    guard (data == nil) != (offlineOptions.offline == nil) else {
      throw ValidationError("give --data PROBLEMS.jsonl (online RL) or --offline DATA.jsonl (offline RL)")
    }
    guard steps > 0, prompts > 0, samples > 1, updates > 0, maxTokens > 0 else {
      throw ValidationError("--steps, --prompts, --updates, --max-tokens must be positive and --samples ≥ 2")
    }
    guard checkpointEvery >= 0 else { throw ValidationError("--checkpoint-every must be ≥ 0") }
    guard lr > 0, kl >= 0, clip > 0, temperature > 0 else {
      throw ValidationError("--lr, --clip, --temperature must be positive and --kl ≥ 0")
    }
  }

  func run() throws {
    if let offline = offlineOptions.offline { return try runOffline(offline) }
    guard let data else { throw ValidationError("--data is required for online RL") }
    let config = S2RRLConfig(
      level: level, steps: steps, problemsPerStep: prompts, samplesPerProblem: samples,
      temperature: temperature,
      maxNewTokens: maxTokens, learningRate: lr, klCoefficient: kl, clipEpsilon: clip,
      updatesPerBatch: updates,
      seed: seed)
    let start = try TrainingModel.load(model, synthetic: true)
    let problems = try S2RProblemSource.load(data, template: start.template, command: "s2r rl")
    let dir = URL(fileURLWithPath: out)
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    try AtomicFileWriter.writeJSON(
      S2RRLRunConfig(model: model, data: data, problems: problems.count, rl: config),
      to: dir.appendingPathComponent("config.json"))
    // The policy trains a copy; the loaded model stays frozen as π_ref.
    let trainer = S2RRLTrainer(
      policy: start.model.copy(), reference: start.model, tokenizer: start.tokenizer,
      tasks: problems.map(\.task), config: config, layout: S2RSupport.layout(start))
    let (log, checkpointURL) = try S2RSupport.resumeIfCheckpointed(dir, command: "s2r rl") { url in
      try trainer.resume(from: url)
      return trainer.step
    }
    let (tokenizerFile, files) = try start.checkpointFiles()
    Progress.say("s2r rl (\(level.rawValue)): \(problems.count) problems, \(steps) steps, seed \(seed)")
    try trainer.train(
      checkpointEvery: checkpointEvery,
      onStep: { r in
        try log.append(r.values.merging(["step": Double(r.step)]) { a, _ in a })
        let v = r.values
        Progress.say(
          String(
            format: "rl step %d/%d  reward %+.3f  first %.2f  final %.2f  verif %.2f  attempts %.2f  (%.1fs)",
            r.step, steps, v["reward"] ?? 0, v["first_acc"] ?? 0, v["final_acc"] ?? 0,
            v["verification_acc"] ?? 0,
            v["attempts"] ?? 0, v["seconds"] ?? 0))
      },
      onCheckpoint: { _ in try trainer.checkpoint(to: checkpointURL, tokenizer: tokenizerFile, files: files) }
    )
    try start.save(trainer.policy, to: dir.appendingPathComponent("model"))
    print("saved \(dir.appendingPathComponent("model").path) after \(trainer.step) steps")
  }
}

extension S2RRLConfig.Level: ExpressibleByArgument {}
