import ArgumentParser
import Datasets
import Foundation
import Models
import Rollouts
import TensorCore
import Training

/// `recheck demo`: both papers end to end on a synthetic task, from a base model trained here.
struct DemoCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "demo",
    abstract: "Train a tiny base model, then S²R and SCoRe and the baselines; print the papers' tables.")

  @Option(help: "Run directory (configs, seeds, checkpoints, metrics, results, report).")
  var out = "runs/demo"
  @Option(help: "Seed of the whole run.")
  var seed: UInt64 = 1
  @Flag(help: "A ≤ 3-minute run with small budgets (CI smoke test).")
  var quick = false
  @Option(help: "Pre-training steps of the base model (overrides the preset).")
  var baseSteps: Int?

  func run() throws {
    let start = Date()
    var setup = SyntheticSetup(seed: seed)
    if quick {
      setup.trainProblems = 1000
      setup.heldOutProblems = 100
      setup.pretraining.steps = 60
    }
    if let baseSteps { setup.pretraining.steps = baseSteps }
    let tokenizer = SyntheticFormat.tokenizer()
    let (train, heldOut) = setup.problems()
    print("demo: \(train.count) train / \(heldOut.count) held-out problems, vocab \(tokenizer.vocabSize)")
    let base = try setup.trainBaseModel(tokenizer: tokenizer, problems: train) { r in
      if r.step % 20 == 0 || r.step == setup.pretraining.steps {
        print(
          String(
            format: "base  step %4d  nll %.3f  %.0f tok/s", r.step, r.values["nll"]!,
            r.values["tokens_per_second"]!))
      }
    }
    let episodes = SyntheticEpisodes(model: base, tokenizer: tokenizer).multiTurn(
      problems: heldOut, turns: 2, temperature: 0, seed: seed)
    let acc1 = Double(episodes.filter { $0[0].correct }.count) / Double(heldOut.count)
    let acc2 = Double(episodes.filter { $0[1].correct }.count) / Double(heldOut.count)
    print(
      String(format: "base: Acc@t1 %.3f Acc@t2 %.3f (%.0f s)", acc1, acc2, Date().timeIntervalSince(start)))
    for kind in SyntheticKind.allCases {
      let idx = heldOut.indices.filter { heldOut[$0].kind == kind }
      print("  \(kind): \(idx.filter { episodes[$0][0].correct }.count)/\(idx.count)")
    }
    for e in episodes.prefix(3) {
      print("  y1: \(e[0].text.debugDescription)\n  y2: \(e[1].text.debugDescription)")
    }
  }
}
