import ArgumentParser
import Evaluation
import Foundation
import Models
import TensorCore
import Training

extension SyntheticFamily: ExpressibleByArgument {}

/// `recheck demo`: both papers end to end on a synthetic task, from a base model trained here.
struct DemoCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "demo",
    abstract: "Train a tiny base model, then SCoRe, S²R and the baselines; print the papers' tables.")

  @Option(help: "Run directory (config, seeds, checkpoints, metrics, results).")
  var out = "runs/demo"
  @Option(
    help: """
      Task family: anchor-pick (default: pick two list numbers that sum to T, written as an anchor \
      and T minus it, checked by a copy of the list with the pick blanked, so the check sees numbers \
      not in the list; checking is easier than solving), pair-pick (the pair written directly, \
      checked by its sum), pair-mark (pair pick answered by blanking all but the pair in a copy of \
      the list), index-pick (the list's positions labelled, answered by labels, checked by \
      look-ups) or arithmetic (the control, where checking is not easier).
      """)
  var task: SyntheticFamily = .anchorPick
  @Option(help: "Seed of the whole run (default 1; same as --seeds N).")
  var seed: UInt64?
  @Option(
    help: ArgumentHelp(
      "Training seeds, comma-separated (e.g. 1,2,3): one full run per seed into <out>/seed-<n>/ (with two lanes, every seed's base model first, side by side), then the tables' means over seeds with 95 % paired-bootstrap intervals.",
      valueName: "n,n,…"))
  var seeds: String?
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
  @OptionGroup var kernels: KernelOptions
  @Option(
    help:
      "Most threads a matrix product or loop runs on (default: every core). The work is cut the same way whatever the number, so the tables do not change with it."
  )
  var threads: Int?
  @Option(
    help:
      "Stage lanes after the base model: 2 (default, with 2 or more threads) trains SCoRe (Stage I → II), multi-turn RL and the SCoRe baselines in a second process beside S²R, each lane on half the threads; 1 runs every stage in turn. The tables are the same either way."
  )
  var lanes = 2
  /// The child of `--lanes 2` (set by the parent, with `--config` of its run).
  @Option(help: .hidden)
  var lane: String?

  /// The seeds to run: `--seeds` as a list, or `--seed`, or 1.
  static func seedList(seed: UInt64?, seeds: String?) throws -> [UInt64] {
    guard let seeds else { return [seed ?? 1] }
    guard seed == nil else { throw ValidationError("give --seed or --seeds, not both") }
    var list: [UInt64] = []
    for piece in seeds.split(separator: ",", omittingEmptySubsequences: false) {
      let t = piece.trimmingCharacters(in: .whitespaces)
      guard let s = UInt64(t) else { throw ValidationError("--seeds: '\(t)' is not a seed (use e.g. 1,2,3)") }
      guard !list.contains(s) else { throw ValidationError("--seeds: seed \(s) is listed twice") }
      list.append(s)
    }
    return list
  }

  func validate() throws {
    _ = try Self.seedList(seed: seed, seeds: seeds)
    if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    guard (1...2).contains(lanes) else { throw ValidationError("--lanes is 1 or 2") }
    if let lane, !["score", "base"].contains(lane) || config == nil {
      throw ValidationError(
        "--lane is internal to --lanes 2 and --seeds (--lane score|base --config RUN/config.json)")
    }
    if config != nil, seed != nil || seeds != nil {
      throw ValidationError("--config fixes the seeds (they are inside it); drop --seed/--seeds")
    }
  }

  func run() async throws {
    let start = Date()
    if let threads { RowParallel.setMaxThreads(threads) }
    let seedList = try Self.seedList(seed: seed, seeds: seeds)
    let preset: DemoConfig.Preset = quick ? .quick : (full ? .full : .standard)
    var fromFile: DemoConfig?
    if let config {
      guard !quick, !full else { throw ValidationError("--config replaces --quick/--full; give one of them") }
      do {
        fromFile = try JSONDecoder().decode(
          DemoConfig.self, from: Data(contentsOf: URL(fileURLWithPath: config)))
      } catch {
        throw ValidationError("cannot read demo config \(config): \(error)")
      }
    }
    let root = URL(fileURLWithPath: out)
    let allThreads = min(threads ?? .max, ProcessInfo.processInfo.activeProcessorCount)
    if let lane, let fromFile {
      // A child: the SCoRe lane of a parent's seed (its rows go to <out>/lanes/score.json), or one
      // seed's base model beside the other seeds'. No tables printed.
      let pipeline = DemoPipeline(config: fromFile, dir: root)
      if lane == "base" {
        Progress.prefix = "seed \(fromFile.seed): "
        pipeline.laneMode = .baseChild
      } else {
        pipeline.laneMode = .scoreChild(allThreads: allThreads)
      }
      _ = try await pipeline.run()
      return
    }
    let dirs = seedList.map { seedList.count == 1 ? root : root.appendingPathComponent("seed-\($0)") }
    let configs = seedList.map { fromFile ?? DemoConfig.preset(preset, seed: $0, task: task) }
    if seedList.count > 1, lanes == 2, allThreads >= 2, let executable = Bundle.main.executableURL {
      // Every seed's base first, side by side (DemoSeedBases says why).
      try await DemoSeedBases.train(
        seedList.indices.map { DemoSeedBases.Job(seed: seedList[$0], dir: dirs[$0], config: configs[$0]) },
        executable: executable, allThreads: allThreads, portableKernels: kernels.portableKernels)
    }
    var results: [DemoSeedResult] = []
    for (i, s) in seedList.enumerated() {
      // One seed keeps the single-run layout (everything directly in --out).
      let dir = dirs[i]
      if seedList.count > 1 {
        Progress.say("demo: seed \(s) (\(i + 1)/\(seedList.count)) into \(dir.path)")
      }
      let pipeline = DemoPipeline(config: configs[i], dir: dir)
      pipeline.onlyBase = onlyBase
      if lanes == 2, allThreads >= 2, !onlyBase, let executable = Bundle.main.executableURL {
        pipeline.laneMode = .two(
          executable: executable, allThreads: allThreads, portableKernels: kernels.portableKernels)
      }
      results.append(try await pipeline.run())
    }
    var tables = DemoAggregate.combine(results)
    tables.seconds = Date().timeIntervalSince(start)
    let enc = JSONEncoder()
    enc.outputFormatting = [.prettyPrinted, .sortedKeys]
    let data = try enc.encode(tables)
    if seedList.count > 1 {
      try AtomicFileWriter.write(data, to: root.appendingPathComponent("tables.json"))
      Progress.say("demo: wrote \(root.appendingPathComponent("tables.json").path)")
    }
    print(
      DemoTablePrinter.render(tables, scoreOrder: results[0].scoreOrder, s2rOrder: results[0].s2rOrder))
    if let json { try AtomicFileWriter.write(data, to: URL(fileURLWithPath: json)) }
  }
}
