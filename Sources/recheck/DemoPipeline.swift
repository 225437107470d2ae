import Datasets
import Evaluation
import Foundation
import Models
import Rollouts
import TensorCore
import Tokenizers
import Training

/// The demo as explicit stages; each writes its checkpoint, metrics and results into the run dir.
///
/// Order: base model from scratch → S²R behaviour initialisation → outcome- and process-level RL →
/// SCoRe (Stage I → Stage II), multi-turn RL without Stage I, the SCoRe baselines (Self-Refine,
/// Pair-SFT, STaR, single-turn RL). Every model is evaluated greedily on the same held-out
/// problems. A rerun into the same directory reuses finished stages (`DemoStageCache`).
final class DemoPipeline {
  let config: DemoConfig
  let dir: URL
  let cache: DemoStageCache
  let tokenizer = SyntheticFormat.tokenizer()
  var tables = DemoTables(score: [:], s2r: [:], seconds: 0)
  var scoreOrder: [String] = []
  var s2rOrder: [String] = []
  /// Per-problem outcomes behind the tables (for intervals), see `DemoSeedResult`.
  var turns: [String: [[Bool]]] = [:]
  var records: [String: [S2RProblemRecord]] = [:]
  var checked: [String: [S2RCheckedAttempt]] = [:]
  /// The base model's greedy first attempts on the held-out problems (checked by the BI model).
  var baseFirstAttempts: [SyntheticAttempt] = []
  /// Each finished stage's fingerprint (its config and upstream stages).
  var fingerprints: [String: String] = [:]
  /// Stop after evaluating the base model (for tuning the pre-training budget).
  var onlyBase = false
  /// How the stages after the base run (`DemoLane`).
  enum LaneMode {
    /// One after another in this process.
    case single
    /// S²R and the baselines here, the SCoRe trainings in a child process started from `executable`.
    case two(executable: URL, allThreads: Int, portableKernels: Bool)
    /// This process is that child: the SCoRe trainings only, from the finished base stage.
    case scoreChild(allThreads: Int)
    /// This process trains one seed's base model beside the other seeds' (`DemoSeedBases`).
    case baseChild
  }
  var laneMode = LaneMode.single
  /// The running lane, when there are two (its threads widen between steps once the other is done).
  var lane: DemoLane?

  init(config: DemoConfig, dir: URL) {
    self.config = config
    self.dir = dir
    cache = DemoStageCache(dir: dir)
  }

  func write<T: Encodable>(_ value: T, _ name: String) throws {
    try Self.writeJSON(value, to: dir.appendingPathComponent(name))
  }

  /// A run file as every stage writes it: pretty, sorted keys, atomically, its folder made first.
  static func writeJSON<T: Encodable>(_ value: T, to url: URL) throws {
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try AtomicFileWriter.writeJSON(value, to: url)
  }

  func log(_ stage: String) throws -> MetricsLog {
    // A stage that runs retrains from its start, so its metrics file starts afresh.
    try MetricsLog(url: dir.appendingPathComponent("\(stage)/metrics.jsonl"), resumeStep: nil)
  }

  func save(_ model: Transformer, _ stage: String) throws {
    try model.save(
      to: dir.appendingPathComponent("\(stage)/model"),
      tokenizer: .data(try tokenizer.jsonData(), name: "tokenizer.json"))
  }

  /// Runs `train` unless the stage already finished with the same config and upstream stages; saves
  /// the model and marks the stage finished.
  func stage<C: Encodable>(
    _ name: String, _ stageConfig: C, after upstream: [String], train: () async throws -> Transformer
  ) async throws -> Transformer {
    // Models trained on the portable kernel differ in rounding from OpenBLAS-trained ones, so the
    // root stage's fingerprint names it (and every stage downstream inherits that).
    let kernel = upstream.isEmpty && !KernelReport.hasOpenBLAS ? ["portable-kernels"] : []
    let fingerprint = DemoStageCache.fingerprint(
      of: stageConfig, after: upstream.map { fingerprints[$0]! } + kernel)
    fingerprints[name] = fingerprint
    if let model = cache.finished(name, fingerprint: fingerprint) {
      Progress.say("\(name): finished in an earlier run with the same config; reusing its checkpoint")
      return model
    }
    let start = Date()
    let model = try await train()
    try save(model, name)
    try cache.markFinished(name, fingerprint: fingerprint)
    Progress.say(String(format: "%@: trained in %.0f s", name, Date().timeIntervalSince(start)))
    return model
  }

  /// This seed's tables and the per-problem outcomes behind them.
  var result: DemoSeedResult {
    DemoSeedResult(
      seed: config.seed, tables: tables, turns: turns, records: records, checked: checked,
      scoreOrder: scoreOrder, s2rOrder: s2rOrder)
  }

  func run() async throws -> DemoSeedResult {
    if case .scoreChild(let allThreads) = laneMode { return try await runScoreLane(allThreads: allThreads) }
    if case .baseChild = laneMode {
      // On the threads the parent gave it (--threads); a parent that dies stops it between steps.
      lane = DemoLane(role: .child, dir: dir, allThreads: RowParallel.maxThreads)
      _ = try await baseStage()
      return result
    }
    let start = Date()
    try write(config, "config.json")
    let (train, heldOut) = config.setup.problems()
    Progress.say(
      "demo: \(train.count) train / \(heldOut.count) held-out problems, vocabulary \(tokenizer.vocabSize), seed \(config.seed)"
    )

    // 1. Base model from scratch.
    let base = try await baseStage()
    baseFirstAttempts = try evaluateTurns(base, "base", heldOut: heldOut).map { $0[0] }
    if onlyBase {
      tables.seconds = Date().timeIntervalSince(start)
      return result
    }

    if case .two(let executable, let allThreads, let portableKernels) = laneMode {
      // 2 and 3 in two lanes: the SCoRe trainings and baselines in a child process, S²R here.
      let lane = try DemoLane.startChild(
        executable: executable, dir: dir, allThreads: allThreads, portableKernels: portableKernels)
      self.lane = lane
      do {
        try await runS2RMethods(base: base, train: train, heldOut: heldOut)
        merge(try await lane.finishParent())
      } catch {
        lane.abandon()
        throw error
      }
      self.lane = nil
    } else {
      // 2. S²R: behaviour initialisation, then outcome- and process-level RL.
      try await runS2RMethods(base: base, train: train, heldOut: heldOut)
      // 3. SCoRe: Stage I then Stage II; multi-turn RL without Stage I / shaping (collapse); baselines.
      try await runSCoReTrainings(base: base, train: train, heldOut: heldOut)
      try await runSCoReBaselines(base: base, train: train, heldOut: heldOut)
    }

    tables.seconds = Date().timeIntervalSince(start)
    // This seed's tables with their intervals (over its held-out problems).
    try write(DemoAggregate.combine([result]), "tables.json")
    // The HTML report: training curves of every stage (the tables are printed and in tables.json).
    let html = HTMLReport.render(HTMLReport.gather(dir), title: "recheck demo (seed \(config.seed))")
    try AtomicFileWriter.write(Data(html.utf8), to: dir.appendingPathComponent("report.html"))
    Progress.say("demo: wrote \(dir.appendingPathComponent("report.html").path)")
    return result
  }
}

extension DemoPipeline {
  /// The base model from scratch (or the finished stage of an earlier run, or of `DemoSeedBases`).
  func baseStage() async throws -> Transformer {
    return try await stage("base", config.setup, after: []) {
      let baseLog = try log("base")
      let corpusProblems = config.setup.pretrainingProblems()
      return try config.setup.trainBaseModel(tokenizer: tokenizer, problems: corpusProblems) { r in
        self.lane?.betweenSteps()
        try baseLog.append(r.values.merging(["step": Double(r.step)]) { a, _ in a })
        if r.step % 25 == 0 || r.step == self.config.setup.pretraining.steps {
          Progress.say(
            String(
              format: "base step %4d/%d  nll %.3f", r.step, self.config.setup.pretraining.steps,
              r.values["nll"]!))
        }
      }
    }
  }

  /// The child lane: the SCoRe trainings and baselines from the finished base stage; its rows go to
  /// `lanes/score.json` for the parent to merge.
  func runScoreLane(allThreads: Int) async throws -> DemoSeedResult {
    let (train, heldOut) = config.setup.problems()
    let base = try await stage("base", config.setup, after: []) { throw DemoLaneError.baseMissing }
    lane = DemoLane.child(dir: dir, allThreads: allThreads)
    try await runSCoReTrainings(base: base, train: train, heldOut: heldOut)
    try await runSCoReBaselines(base: base, train: train, heldOut: heldOut)
    try write(DemoLane.Result(order: scoreOrder, score: tables.score, turns: turns), DemoLane.resultName)
    return result
  }

  /// The child lane's rows, placed right after the base's (the order one process runs them in).
  func merge(_ rows: DemoLane.Result) {
    tables.score.merge(rows.score) { _, child in child }
    turns.merge(rows.turns) { _, child in child }
    let at = (scoreOrder.firstIndex(of: "base") ?? -1) + 1
    scoreOrder.insert(contentsOf: rows.order.filter { !scoreOrder.contains($0) }, at: at)
  }
}
