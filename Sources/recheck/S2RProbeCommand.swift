import ArgumentParser
import Datasets
import Evaluation
import Foundation
import Generation
import Models
import Rollouts

/// `recheck s2r probe --model DIR --data s2r_sft.jsonl [--per-position 40 --min-checks 3 --json F]`:
/// teacher-forced checks (`S2RCheckProbe`) — given a training trajectory's own text up to its k-th
/// check marker, does the model write the data's k-th check exactly, and is its verdict the data's?
/// Separates "cannot write the check" from "its own attempts led it off the data" (Docs/reproduction.md,
/// session 32: BI's exact third checks 10 → 92 of 160 with the learning rate).
struct S2RProbeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "probe",
    abstract: "Teacher-forced S²R checks: exact and verdict agreement per check position on SFT trajectories."
  )
  @OptionGroup var kernels: KernelOptions
  @OptionGroup var backend: BackendOptions
  @Option(help: "S2RSFTExample JSONL (`recheck s2r collect`, a demo's s2r_sft.jsonl).") var data: String
  @Option(help: "Checks probed per position: the first ones in file order (default: all).")
  var perPosition: Int?
  @Option(help: "Only trajectories with at least this many checks.") var minChecks = 1
  @Option(help: "Tokenizer file (default: next to the model).") var tokenizer: String?
  @Option(help: "Prompts per backend call.") var batchSize = 32
  @Option(help: "Also write the per-position counts as JSON to this file.") var json: String?

  func validate() throws {
    if let perPosition, perPosition < 1 { throw ValidationError("--per-position must be ≥ 1") }
    guard minChecks >= 1 else { throw ValidationError("--min-checks must be ≥ 1") }
    guard batchSize >= 1 else { throw ValidationError("--batch-size must be ≥ 1") }
  }

  func run() async throws {
    let examples = try JSONLReader.read(S2RSFTExample.self, from: URL(fileURLWithPath: data))
    let cases = S2RCheckProbe.cases(examples, perPosition: perPosition, minimumChecks: minChecks)
    guard !cases.isEmpty else {
      throw ValidationError("\(data): no checks to probe (no trajectory with \(minChecks) or more checks)")
    }
    let model: any LanguageModel
    if let remote = try backend.remoteModel() {
      model = remote
    } else {
      let path = try backend.localModel(for: "recheck s2r probe", serverAllowed: true)
      let native = try EvalModelLoader.native(model: path, tokenizer: tokenizer, template: "plain")
      // Prompts go out as plain text, which is what synthetic trajectories are; a chat-templated one
      // (`s2r collect` on MATH/GSM8K) would have its special tokens spelled out character by character.
      let t = native.tokenizer
      if let e = examples.first(where: { t.encodeWithSpecial($0.prompt) != t.encode($0.prompt) }) {
        throw ValidationError(
          "\(data): the prompt of \(e.id) holds special tokens (a chat template); s2r probe sends prompts as "
            + "plain text and reads plain-text trajectories (synthetic data, a demo's s2r_sft.jsonl)")
      }
      model = native
    }
    Progress.say("s2r probe: \(cases.count) checks from \(examples.count) trajectories, greedy")
    let results = try await S2RCheckProbe.run(cases, model: model, batchSize: batchSize)
    print("position  checks  exact          verdict agrees")
    for r in results {
      print(
        String(
          format: "%8d  %6d  %5d (%.2f)  %5d (%.2f)", r.position, r.cases, r.exact,
          Double(r.exact) / Double(r.cases), r.verdictAgrees, Double(r.verdictAgrees) / Double(r.cases)))
    }
    if let json {
      try AtomicFileWriter.writeJSON(results, to: URL(fileURLWithPath: json))
    }
  }
}
