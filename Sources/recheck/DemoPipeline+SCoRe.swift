import Datasets
import Foundation
import Models
import Rollouts
import Training

/// Two configs hashed together as one stage's fingerprint.
struct DemoStageKey<A: Encodable, B: Encodable>: Encodable {
  var a: A
  var b: B
}

/// SCoRe and its baselines ([P] Tables 2 and 4) in the demo.
extension DemoPipeline {
  /// The synthetic SCoRe inputs: the text layout the base model was pre-trained on.
  func scoreInputs(_ problems: [SyntheticProblem]) -> SCoReRunInputs {
    let byID = Dictionary(problems.map { ($0.text, $0) }, uniquingKeysWith: { a, _ in a })
    return SCoReRunInputs(
      tokenizer: tokenizer,
      prompts: .synthetic(firstTurn: "", correction: SyntheticFormat.scoreInstruction, separator: "\n"),
      problems: problems.map { SCoReProblem(id: $0.text, statement: $0.text, answer: "\($0.answer)") },
      checker: { problem, text in
        guard let p = byID[problem.id] else { return (0, nil) }
        let s = SyntheticFormat.score(p, attempt: text)
        return (s.correct ? 1 : 0, s.extracted.map(String.init))
      })
  }

  /// A metrics sink for the baseline runners' records, with a progress line per record.
  func recordSink(_ stage: String) throws -> (SCoReRunRecord) throws -> Void {
    let metrics = try log(stage)
    return { r in
      self.lane?.betweenSteps()
      try metrics.append(r.metricsLine)
      let keys = ["nll", "reward_t1", "reward_t2", "kept", "kept_i2c", "pairs", "pairs_i2c"]
      let shown = keys.compactMap { k in r.values[k].map { String(format: "%@ %.3f", k, $0) } }
      if r.phaseStep % 10 == 0 || r.values["nll"] == nil {
        Progress.say("\(stage) [\(r.phase)] step \(r.phaseStep)  \(shown.joined(separator: "  "))")
      }
    }
  }

  func trainSCoRe(
    _ cfg: SCoReTrainConfig, from start: Transformer, reference: Transformer, train: [SyntheticProblem],
    stage: String
  ) async throws -> Transformer {
    let policy = start.copy()
    let inputs = scoreInputs(train)
    let trainer = SCoReTrainer(
      policy: policy, reference: reference, tokenizer: tokenizer, prompts: inputs.prompts,
      problems: inputs.problems, checker: inputs.checker, config: cfg)
    let metrics = try log(stage)
    try await trainer.train { r in
      self.lane?.betweenSteps()
      try metrics.append(r.values.merging(["step": Double(r.step)]) { a, _ in a })
      Progress.say(
        String(
          format: "%@ step %3d/%d  r1 %.2f  r2 %.2f  kl1 %.3f  changed %.2f  (%.1fs)", stage, r.step,
          cfg.steps, r.values["reward_t1"] ?? 0, r.values["reward_t2"] ?? 0, r.values["kl_t1"] ?? 0,
          r.values["answer_changed"] ?? 0, r.values["seconds"] ?? 0))
    }
    return policy
  }

  /// SCoRe (Stage I → Stage II) and multi-turn RL without Stage I or shaping (its collapse).
  func runSCoReTrainings(base: Transformer, train: [SyntheticProblem], heldOut: [SyntheticProblem])
    async throws
  {
    let stageI = try await stage("score_stage1", config.scoreStageI, after: ["base"]) {
      try await trainSCoRe(
        config.scoreStageI, from: base, reference: base, train: train, stage: "score_stage1")
    }
    let score = try await stage("score", config.scoreStageII, after: ["score_stage1"]) {
      try await trainSCoRe(config.scoreStageII, from: stageI, reference: base, train: train, stage: "score")
    }
    try evaluateTurns(score, "score", heldOut: heldOut)
    let multi = try await stage("multi_turn_rl", config.multiTurnRL, after: ["base"]) {
      try await trainSCoRe(
        config.multiTurnRL, from: base, reference: base, train: train, stage: "multi_turn_rl")
    }
    try evaluateTurns(multi, "multi_turn_rl", heldOut: heldOut)
  }

  /// The SCoRe paper's baselines: Self-Refine, Pair-SFT, STaR and single-turn RL.
  func runSCoReBaselines(base: Transformer, train: [SyntheticProblem], heldOut: [SyntheticProblem])
    async throws
  {

    // Self-Refine: the base model prompted for feedback, then for a rewrite (no training).
    Progress.say("self_refine: feedback + rewrite on \(heldOut.count) held-out problems")
    let episodes = try await SCoReSelfRefineBaseline.run(
      model: scoreInputs(heldOut).nativeModel(base), inputs: scoreInputs(heldOut), config: config.selfRefine)
    let byID = Dictionary(episodes.map { ($0.problemID, $0) }, uniquingKeysWith: { a, _ in a })
    let ordered = heldOut.map { byID[$0.text]! }
    try recordTurns(
      "self_refine", heldOut: heldOut, correct: ordered.map { $0.correctness },
      texts: ordered.map { $0.attempts.map(\.text) })

    // SFT on corrections, sampled on a prefix of the train split.
    let sampled = scoreInputs(Array(train.prefix(config.baselineProblems)))
    let pair = try await stage(
      "pair_sft", DemoStageKey(a: config.pairSFT, b: config.baselineProblems), after: ["base"]
    ) {
      try await SCoRePairSFTBaseline.run(
        base: base, inputs: sampled, config: config.pairSFT, onRecord: try recordSink("pair_sft")
      ).model
    }
    try evaluateTurns(pair, "pair_sft", heldOut: heldOut)
    let star = try await stage(
      "star", DemoStageKey(a: config.star, b: config.baselineProblems), after: ["base"]
    ) {
      try await SCoReSTaRBaseline.run(
        base: base, inputs: sampled, config: config.star, onRecord: try recordSink("star")
      ).model
    }
    try evaluateTurns(star, "star", heldOut: heldOut)

    // Single-turn RL: Stage-II rewards on one attempt, evaluated with two.
    let single = try await stage("single_turn_rl", config.singleTurnRL, after: ["base"]) {
      try await SCoReRLMethods.singleTurn(
        base: base, inputs: scoreInputs(train), config: config.singleTurnRL,
        onRecord: try recordSink("single_turn_rl")
      ).model
    }
    try evaluateTurns(single, "single_turn_rl", heldOut: heldOut)
  }
}
