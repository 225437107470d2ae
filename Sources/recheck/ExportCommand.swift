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
      verl reads parquet; the rows are JSONL with verl's schema. Convert with:
        python3 -c "import pandas as pd; pd.read_json('rows.jsonl', lines=True).to_parquet('rows.parquet')"
      OpenRLHF: --input_key input --label_key label (--output_key output for SFT).
      """)

  @Option(help: "trl | openrlhf | verl.") var format: ExportFormat
  @Option(help: "s2r-sft | rl-prompts | score-turns.") var kind: ExportKind
  @Option(name: .customLong("in"), help: "Input file.") var input: String
  @Option(help: "Output JSONL file.") var out: String
  @Flag(help: "TRL s2r-sft: conversational messages instead of templated strings.") var conversational = false
  @Option(help: "rl-prompts: s2r (system prompt + problem) or score (SCoRe first turn).")
  var promptStyle: FrameworkExport.PromptStyle = .s2r

  func run() throws {
    let n = try FrameworkExport.export(
      input: input, output: out,
      options: ExportOptions(
        kind: kind, format: format, conversational: conversational, promptStyle: promptStyle))
    print("wrote \(n) \(kind.rawValue) rows for \(format.rawValue) to \(out)")
  }
}
