import ArgumentParser
import Foundation
import Training

extension SyntheticFamily: ExpressibleByArgument {}

/// `recheck demo`: both papers end to end on a synthetic task, from a base model trained here.
struct DemoCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "demo",
    abstract: "Train a tiny base model, then SCoRe, S²R and the baselines; print the papers' tables.")

  @Option(help: "Run directory (config, seeds, checkpoints, metrics, results).")
  var out = "runs/demo"
  @Option(help: "Seed of the whole run.")
  var seed: UInt64 = 1
  @Option(
    help: """
      Task family: pair-pick (checking is easier than solving; default) or arithmetic (the control, \
      where it is not).
      """)
  var task: SyntheticFamily = .pairPick
  @Flag(help: "A ≤ 3-minute run with small budgets (CI smoke test).")
  var quick = false
  @Flag(help: "A longer, stronger run.")
  var full = false
  @Option(help: "Read the budgets from this JSON (a run's config.json, edited) instead of a preset.")
  var config: String?
  @Flag(help: .hidden)
  var onlyBase = false
  @Option(help: "Also write the tables as JSON to this path.")
  var json: String?

  func run() async throws {
    let preset: DemoConfig.Preset = quick ? .quick : (full ? .full : .standard)
    var demoConfig = DemoConfig.preset(preset, seed: seed, task: task)
    if let config {
      guard !quick, !full else { throw ValidationError("--config replaces --quick/--full; give one of them") }
      do {
        demoConfig = try JSONDecoder().decode(
          DemoConfig.self, from: Data(contentsOf: URL(fileURLWithPath: config)))
      } catch {
        throw ValidationError("cannot read demo config \(config): \(error)")
      }
    }
    let pipeline = DemoPipeline(config: demoConfig, dir: URL(fileURLWithPath: out))
    pipeline.onlyBase = onlyBase
    let tables = try await pipeline.run()
    print(
      DemoTablePrinter.render(
        tables, scoreOrder: pipeline.scoreOrder, s2rOrder: pipeline.s2rOrder, collapse: pipeline.collapse))
    if let json {
      let enc = JSONEncoder()
      enc.outputFormatting = [.prettyPrinted, .sortedKeys]
      try enc.encode(tables).write(to: URL(fileURLWithPath: json), options: .atomic)
    }
  }
}

/// The two tables in the papers' layouts, percentages with one decimal.
enum DemoTablePrinter {
  static func render(_ t: DemoTables, scoreOrder: [String], s2rOrder: [String], collapse: [String: [Double]])
    -> String
  {
    func pct(_ x: Double) -> String { String(format: "%.1f", 100 * x) }
    func row(_ cells: [String], _ widths: [Int]) -> String {
      zip(cells, widths).enumerated().map { i, cw in
        i == 0
          ? cw.0.padding(toLength: cw.1, withPad: " ", startingAt: 0)
          : String(repeating: " ", count: max(cw.1 - cw.0.count, 0)) + cw.0
      }.joined(separator: "  ")
    }
    var lines = ["SCoRe (held-out, greedy)"]
    let w1 = [16, 7, 7, 7, 7, 7, 14]
    lines.append(row(["method", "Acc@t1", "Acc@t2", "Δ", "Δi→c", "Δc→i", "edit≈0 (<.05)"], w1))
    for m in scoreOrder {
      guard let r = t.score[m] else { continue }
      let near0 =
        collapse[m].map { c in
          String(format: "%.2f", Double(c.filter { $0 < 0.05 }.count) / Double(max(c.count, 1)))
        } ?? "-"
      lines.append(
        row([m, pct(r.acc_t1), pct(r.acc_t2), pct(r.delta), pct(r.delta_i2c), pct(r.delta_c2i), near0], w1))
    }
    lines.append("")
    lines.append("S²R (held-out, greedy, self-verifying)")
    let w2 = [16, 9, 9, 13, 9]
    lines.append(row(["method", "first", "final", "verification", "attempts"], w2))
    for m in s2rOrder {
      guard let r = t.s2r[m] else { continue }
      lines.append(
        row(
          [
            m, pct(r.first_acc), pct(r.final_acc), pct(r.verification_acc),
            String(format: "%.2f", r.avg_attempts),
          ], w2))
    }
    lines.append(String(format: "(%.0f s)", t.seconds))
    return lines.joined(separator: "\n")
  }
}
