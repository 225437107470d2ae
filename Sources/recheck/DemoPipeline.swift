import Datasets
import Evaluation
import Foundation
import Models
import Rollouts
import TensorCore
import Tokenizers
import Training

/// Budgets of one `recheck demo` run (saved as config.json in the run directory).
struct DemoConfig: Codable {
  var seed: UInt64
  var setup: SyntheticSetup
  var scoreStageI: SCoReTrainConfig
  var scoreStageII: SCoReTrainConfig
  var multiTurnRL: SCoReTrainConfig
  var s2rData: S2RBehaviourData
  var s2rSFT: SFTConfig
  var s2rORL: S2RRLConfig
  var s2rPRL: S2RRLConfig
  var s2rBudget: S2RInferenceBudget

  enum Preset: String, Codable { case quick, standard, full }

  static func preset(_ p: Preset, seed: UInt64) -> DemoConfig {
    var setup = SyntheticSetup(seed: seed)
    var rlSteps = 15
    var sftSteps = 300
    switch p {
    case .quick:
      setup.trainProblems = 600
      setup.heldOutProblems = 60
      setup.pretraining.steps = 80
      rlSteps = 3
      sftSteps = 40
    case .standard:
      break
    case .full:
      setup.trainProblems = 8000
      setup.heldOutProblems = 500
      setup.pretraining.steps = 1200
      rlSteps = 100
      sftSteps = 800
    }
    let stageI = SCoReTrainConfig(
      stage: .stageI(subStage: 1), steps: rlSteps, learningRate: 2e-4, seed: seed &+ 10)
    var stageII = stageI
    stageII.stage = .stageII
    stageII.seed = seed &+ 11
    var multi = stageII
    multi.coefficients.alpha = 0
    multi.steps = 2 * rlSteps
    multi.seed = seed &+ 12
    let orl = S2RRLConfig(
      level: .outcome, steps: rlSteps, problemsPerStep: 8, maxNewTokens: 320, learningRate: 2e-5,
      klCoefficient: 0.01, seed: seed &+ 20)
    var prl = orl
    prl.level = .process
    prl.klCoefficient = 0.05
    prl.seed = seed &+ 21
    return DemoConfig(
      seed: seed, setup: setup, scoreStageI: stageI, scoreStageII: stageII, multiTurnRL: multi,
      s2rData: S2RBehaviourData(seed: seed &+ 30, singleAttemptFraction: 0.5),
      s2rSFT: SFTConfig(
        steps: sftSteps, batchSize: 16, learningRate: 1e-3, warmupSteps: 10, maxLength: 600, seed: seed &+ 31),
      s2rORL: orl, s2rPRL: prl, s2rBudget: S2RInferenceBudget(maxAttempts: 4, maxTokens: 400))
  }
}

/// One row of the SCoRe table (fractions).
struct ScoreRow: Codable {
  var acc_t1, acc_t2, delta, delta_i2c, delta_c2i: Double
}

/// One row of the S²R table (fractions; attempts is a count).
struct S2RRow: Codable {
  var first_acc, final_acc, verification_acc, avg_attempts: Double
}

struct DemoTables: Codable {
  var score: [String: ScoreRow]
  var s2r: [String: S2RRow]
  var seconds: Double
}

/// The demo as explicit stages; each writes its checkpoint, metrics and results into the run dir.
final class DemoPipeline {
  let config: DemoConfig
  let dir: URL
  let tokenizer = SyntheticFormat.tokenizer()
  var tables = DemoTables(score: [:], s2r: [:], seconds: 0)
  var scoreOrder: [String] = []
  var s2rOrder: [String] = []
  var collapse: [String: [Double]] = [:]
  /// Stop after evaluating the base model (for tuning the pre-training budget).
  var onlyBase = false

  init(config: DemoConfig, dir: URL) {
    self.config = config
    self.dir = dir
  }

  func write<T: Encodable>(_ value: T, _ name: String) throws {
    let enc = JSONEncoder()
    enc.outputFormatting = [.prettyPrinted, .sortedKeys]
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    try AtomicFileWriter.write(try enc.encode(value), to: dir.appendingPathComponent(name))
  }

  func log(_ stage: String) -> MetricsLog {
    // Each stage's metrics file starts afresh (stages rerun whole).
    try! MetricsLog(url: dir.appendingPathComponent("\(stage)/metrics.jsonl"), resumeStep: nil)
  }

  func save(_ model: Transformer, _ stage: String) throws {
    try model.save(
      to: dir.appendingPathComponent("\(stage)/model"),
      tokenizer: .data(try tokenizer.jsonData(), name: "tokenizer.json"))
  }

  /// Greedy two-turn evaluation → SCoRe row, results JSONL, edit-distance ratios.
  func evaluateTurns(_ model: Transformer, _ name: String, heldOut: [SyntheticProblem]) throws {
    let (correct, attempts) = SyntheticEvaluation.multiTurn(
      model: model, tokenizer: tokenizer, problems: heldOut)
    let t = try SCoReMetrics.transition(correct)
    tables.score[name] = ScoreRow(
      acc_t1: try SCoReMetrics.accuracy(correct, turn: 1),
      acc_t2: try SCoReMetrics.accuracy(correct, turn: 2),
      delta: t.delta, delta_i2c: t.incorrectToCorrect, delta_c2i: t.correctToIncorrect)
    scoreOrder.append(name)
    collapse[name] = attempts.map { SCoReEditDistance.ratio($0[0].text, $0[1].text) }
    let lines = zip(heldOut, attempts).map { p, a -> [String: Any] in
      [
        "problem": p.text, "answer": p.answer, "y1": a[0].text, "y2": a[1].text, "r1": a[0].correct ? 1 : 0,
        "r2": a[1].correct ? 1 : 0,
      ]
    }
    try writeJSONL(lines, "results/\(name).jsonl")
    let r = tables.score[name]!
    Progress.say(
      String(
        format: "eval %-14@ Acc@t1 %.3f  Acc@t2 %.3f  Δ %+.3f  i→c %.3f  c→i %.3f", name, r.acc_t1, r.acc_t2,
        r.delta, r.delta_i2c, r.delta_c2i))
  }

  /// Greedy self-verifying evaluation → S²R row.
  func evaluateS2R(_ model: Transformer, _ name: String, heldOut: [SyntheticProblem]) throws {
    let results = SyntheticEvaluation.selfVerifying(
      model: model, tokenizer: tokenizer, problems: heldOut, budget: config.s2rBudget)
    let s = S2RMetrics.summary(results.map(\.record))
    tables.s2r[name] = S2RRow(
      first_acc: s.firstAttemptAccuracy ?? 0, final_acc: s.finalAccuracy ?? 0,
      verification_acc: s.verificationAccuracy ?? 0,
      avg_attempts: Double(results.map(\.attemptsUsed).reduce(0, +)) / Double(max(results.count, 1)))
    s2rOrder.append(name)
    let enc = JSONEncoder()
    let lines = try results.map { try JSONSerialization.jsonObject(with: enc.encode($0)) as! [String: Any] }
    try writeJSONL(lines, "results/\(name).jsonl")
    let r = tables.s2r[name]!
    Progress.say(
      String(
        format: "eval %-14@ first %.3f  final %.3f  verification %.3f  attempts %.2f", name, r.first_acc,
        r.final_acc, r.verification_acc, r.avg_attempts))
  }

  func writeJSONL(_ lines: [[String: Any]], _ name: String) throws {
    var data = Data()
    for l in lines {
      data.append(try JSONSerialization.data(withJSONObject: l, options: [.sortedKeys]))
      data.append(0x0A)
    }
    let url = dir.appendingPathComponent(name)
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try AtomicFileWriter.write(data, to: url)
  }

  func synthChecker(_ byID: [String: SyntheticProblem]) -> SCoReChecker {
    { problem, text in
      guard let p = byID[problem.id] else { return (0, nil) }
      let s = SyntheticFormat.score(p, attempt: text)
      return (s.correct ? 1 : 0, s.extracted.map(String.init))
    }
  }

  func runSCoRe(
    _ cfg: SCoReTrainConfig, from start: Transformer, reference: Transformer, train: [SyntheticProblem],
    stage: String
  )
    async throws -> Transformer
  {
    let policy = start.copy()
    let problems = train.map { SCoReProblem(id: $0.text, statement: $0.text, answer: "\($0.answer)") }
    let byID = Dictionary(train.map { ($0.text, $0) }, uniquingKeysWith: { a, _ in a })
    let prompts = SCoRePromptSet.synthetic(
      firstTurn: "", correction: SyntheticFormat.scoreInstruction, separator: "\n")
    let trainer = SCoReTrainer(
      policy: policy, reference: reference, tokenizer: tokenizer, prompts: prompts, problems: problems,
      checker: synthChecker(byID), config: cfg)
    let metrics = log(stage)
    try await trainer.train { r in
      try metrics.append(r.values.merging(["step": Double(r.step)]) { a, _ in a })
      Progress.say(
        String(
          format: "%@ step %3d/%d  r1 %.2f  r2 %.2f  kl1 %.3f  changed %.2f  (%.1fs)", stage, r.step,
          cfg.steps, r.values["reward_t1"] ?? 0, r.values["reward_t2"] ?? 0, r.values["kl_t1"] ?? 0,
          r.values["answer_changed"] ?? 0, r.values["seconds"] ?? 0))
    }
    try save(policy, stage)
    return policy
  }

  func runS2RRL(_ cfg: S2RRLConfig, from start: Transformer, train: [SyntheticProblem], stage: String) throws
    -> Transformer
  {
    let policy = start.copy()
    let tasks = train.map { p in
      S2RTask(id: p.text, prompt: SyntheticFormat.prompt(p), isCorrect: { Int($0) == p.answer })
    }
    let trainer = S2RRLTrainer(
      policy: policy, reference: start, tokenizer: tokenizer, tasks: tasks, config: cfg)
    let metrics = log(stage)
    try trainer.train { r in
      try metrics.append(r.values.merging(["step": Double(r.step)]) { a, _ in a })
      Progress.say(
        String(
          format: "%@ step %3d/%d  reward %+.2f  first %.2f  final %.2f  verif %.2f  attempts %.2f  (%.1fs)",
          stage, r.step, cfg.steps, r.values["reward"]!, r.values["first_acc"]!, r.values["final_acc"]!,
          r.values["verification_acc"]!, r.values["attempts"]!, r.values["seconds"]!))
    }
    try save(policy, stage)
    return policy
  }

  func run() async throws -> DemoTables {
    let start = Date()
    try write(config, "config.json")
    let (train, heldOut) = config.setup.problems()
    Progress.say(
      "demo: \(train.count) train / \(heldOut.count) held-out problems, vocabulary \(tokenizer.vocabSize), seed \(config.seed)"
    )

    // 1. Base model from scratch.
    let baseLog = log("base")
    let base = try config.setup.trainBaseModel(tokenizer: tokenizer, problems: train) { r in
      try baseLog.append(r.values.merging(["step": Double(r.step)]) { a, _ in a })
      if r.step % 25 == 0 || r.step == self.config.setup.pretraining.steps {
        Progress.say(
          String(
            format: "base step %4d/%d  nll %.3f", r.step, self.config.setup.pretraining.steps,
            r.values["nll"]!))
      }
    }
    try save(base, "base")
    try evaluateTurns(base, "base", heldOut: heldOut)
    if onlyBase {
      tables.seconds = Date().timeIntervalSince(start)
      return tables
    }

    // 2. SCoRe: Stage I then Stage II; and multi-turn RL without Stage I / shaping (collapse).
    let stageI = try await runSCoRe(
      config.scoreStageI, from: base, reference: base, train: train, stage: "score_stage1")
    let score = try await runSCoRe(
      config.scoreStageII, from: stageI, reference: base, train: train, stage: "score")
    try evaluateTurns(score, "score", heldOut: heldOut)
    let multi = try await runSCoRe(
      config.multiTurnRL, from: base, reference: base, train: train, stage: "multi_turn_rl")
    try evaluateTurns(multi, "multi_turn_rl", heldOut: heldOut)

    // 3. S²R: behaviour initialisation, then outcome- and process-level RL.
    Progress.say(
      "s2r: sampling \(config.s2rData.samplesPerProblem) attempts per train problem for stage-0 data")
    let sampled = config.s2rData.sample(base: base, tokenizer: tokenizer, problems: train)
    let examples = try await config.s2rData.build(sampled, problems: train)
    try writeJSONL(
      try examples.map { try JSONSerialization.jsonObject(with: JSONEncoder().encode($0)) as! [String: Any] },
      "s2r_sft.jsonl")
    let histogram = Dictionary(grouping: examples, by: \.wrongAttempts).mapValues(\.count).sorted {
      $0.key < $1.key
    }
    Progress.say(
      "s2r: \(examples.count) trajectories (wrong attempts → count: \(histogram.map { "\($0.key)→\($0.value)" }.joined(separator: ", ")))"
    )
    let bi = base.copy()
    let sftLog = log("s2r_bi")
    try SFTTrainer(
      model: bi, data: S2RBehaviourData.sequences(examples, tokenizer: tokenizer), config: config.s2rSFT
    ).train { r in
      try sftLog.append(r.values.merging(["step": Double(r.step)]) { a, _ in a })
      if r.step % 25 == 0 || r.step == self.config.s2rSFT.steps {
        Progress.say(
          String(format: "s2r_bi step %4d/%d  nll %.3f", r.step, self.config.s2rSFT.steps, r.values["nll"]!))
      }
    }
    try save(bi, "s2r_bi")
    try evaluateS2R(bi, "s2r_bi", heldOut: heldOut)
    let orl = try runS2RRL(config.s2rORL, from: bi, train: train, stage: "s2r_orl")
    try evaluateS2R(orl, "s2r_orl", heldOut: heldOut)
    let prl = try runS2RRL(config.s2rPRL, from: bi, train: train, stage: "s2r_prl")
    try evaluateS2R(prl, "s2r_prl", heldOut: heldOut)

    tables.seconds = Date().timeIntervalSince(start)
    try write(tables, "tables.json")
    // The HTML report: training curves of every stage (the tables are printed and in tables.json).
    let html = HTMLReport.render(HTMLReport.gather(dir), title: "recheck demo (seed \(config.seed))")
    try AtomicFileWriter.write(Data(html.utf8), to: dir.appendingPathComponent("report.html"))
    Progress.say("demo: wrote \(dir.appendingPathComponent("report.html").path)")
    return tables
  }
}
