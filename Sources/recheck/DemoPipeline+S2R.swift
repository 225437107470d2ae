import Datasets
import Foundation
import Models
import Rollouts
import Training

/// S²R in the demo: behaviour initialisation, then outcome- and process-level RL.
extension DemoPipeline {
  func trainS2RRL(_ cfg: S2RRLConfig, from start: Transformer, train: [SyntheticProblem], stage: String)
    throws
    -> Transformer
  {
    let policy = start.copy()
    let tasks = train.map { p in
      S2RTask(
        id: p.text, prompt: SyntheticFormat.prompt(p),
        isCorrect: { SyntheticTask.answer(boxContent: $0) == p.answer })
    }
    let trainer = S2RRLTrainer(
      policy: policy, reference: start, tokenizer: tokenizer, tasks: tasks, config: cfg)
    let metrics = try log(stage)
    try trainer.train { r in
      self.lane?.betweenSteps()
      try metrics.append(r.values.merging(["step": Double(r.step)]) { a, _ in a })
      Progress.say(
        String(
          format: "%@ step %3d/%d  reward %+.2f  first %.2f  final %.2f  verif %.2f  attempts %.2f  (%.1fs)",
          stage, r.step, cfg.steps, r.values["reward"]!, r.values["first_acc"]!, r.values["final_acc"]!,
          r.values["verification_acc"]!, r.values["attempts"]!, r.values["seconds"]!))
    }
    return policy
  }

  /// Stage-0 data from the base model's own attempts, then the δ-masked SFT (spec §2–3).
  func behaviourInitialisation(base: Transformer, train: [SyntheticProblem]) async throws -> Transformer {
    Progress.say(
      "s2r: sampling \(config.s2rData.samplesPerProblem) attempts per train problem for stage-0 data")
    let sampled = config.s2rData.sample(base: base, tokenizer: tokenizer, problems: train)
    try write(S2RPromptFilter.accuracies(sampled), Self.stage0AccuracyName)
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
    let sftLog = try log("s2r_bi")
    try SFTTrainer(
      model: bi, data: S2RBehaviourData.sequences(examples, tokenizer: tokenizer), config: config.s2rSFT
    ).train { r in
      self.lane?.betweenSteps()
      try sftLog.append(r.values.merging(["step": Double(r.step)]) { a, _ in a })
      if r.step % 25 == 0 || r.step == self.config.s2rSFT.steps {
        Progress.say(
          String(format: "s2r_bi step %4d/%d  nll %.3f", r.step, self.config.s2rSFT.steps, r.values["nll"]!))
      }
    }
    return bi
  }

  func runS2RMethods(base: Transformer, train: [SyntheticProblem], heldOut: [SyntheticProblem]) async throws {
    let bi = try await stage("s2r_bi", DemoStageKey(a: config.s2rData, b: config.s2rSFT), after: ["base"]) {
      try await behaviourInitialisation(base: base, train: train)
    }
    try measureVerification(bi, heldOut: heldOut)
    try evaluateS2R(bi, "s2r_bi", heldOut: heldOut)
    recordOwnVerification()
    // The RL prompts, worked out once and only when an RL stage trains (a reused one needs none).
    var rlTrain: [SyntheticProblem]?
    func rlProblems() throws -> [SyntheticProblem] {
      if let rlTrain { return rlTrain }
      let problems = try s2rRLProblems(base: base, train: train)
      rlTrain = problems
      return problems
    }
    let orl = try await stage("s2r_orl", rlStageKey(config.s2rORL), after: ["s2r_bi"]) {
      try trainS2RRL(config.s2rORL, from: bi, train: try rlProblems(), stage: "s2r_orl")
    }
    try evaluateS2R(orl, "s2r_orl", heldOut: heldOut)
    let prl = try await stage("s2r_prl", rlStageKey(config.s2rPRL), after: ["s2r_bi"]) {
      try trainS2RRL(config.s2rPRL, from: bi, train: try rlProblems(), stage: "s2r_prl")
    }
    try evaluateS2R(prl, "s2r_prl", heldOut: heldOut)
  }

  static let stage0AccuracyName = "s2r_stage0_accuracy.json"

  /// An RL stage's fingerprint: its config, and the prompt filter when one is set (without one the
  /// fingerprint is the config's alone, as before the filter existed).
  func rlStageKey(_ c: S2RRLConfig) -> any Encodable {
    guard let range = config.s2rRLPromptAccuracy else { return c }
    return DemoStageKey(a: c, b: range)
  }

  /// The train problems S²R's RL stages sample prompts from: all of them, or those whose stage-0
  /// accuracy lies in `config.s2rRLPromptAccuracy` (`S2RPromptFilter`). The accuracies are the BI
  /// stage's `s2r_stage0_accuracy.json`; a BI stage finished before that file existed has stage 0's
  /// sampling run again (same seeds, so the same attempts).
  func s2rRLProblems(base: Transformer, train: [SyntheticProblem]) throws -> [SyntheticProblem] {
    guard let bounds = config.s2rRLPromptAccuracy else { return train }
    guard bounds.count == 2, bounds[0] <= bounds[1] else {
      throw EvalCLIError("s2rRLPromptAccuracy must be [lo, hi] with lo ≤ hi, got \(bounds)")
    }
    let url = dir.appendingPathComponent(Self.stage0AccuracyName)
    let accuracies: [String: Double]
    if FileManager.default.fileExists(atPath: url.path) {
      do {
        accuracies = try JSONDecoder().decode([String: Double].self, from: Data(contentsOf: url))
      } catch {
        throw EvalCLIError("\(url.path): not a problem → accuracy table (\(error))")
      }
    } else {
      Progress.say("s2r: sampling stage 0 again for the RL prompt filter (\(url.lastPathComponent) missing)")
      accuracies = S2RPromptFilter.accuracies(
        config.s2rData.sample(base: base, tokenizer: tokenizer, problems: train))
      try write(accuracies, Self.stage0AccuracyName)
    }
    let kept = S2RPromptFilter.keptIDs(accuracies, range: bounds[0]...bounds[1])
    let problems = train.filter { kept.contains($0.text) }
    Progress.say(
      "s2r: RL prompts from \(problems.count) of \(train.count) train problems (stage-0 accuracy in [\(bounds[0]), \(bounds[1])])"
    )
    guard !problems.isEmpty else {
      throw EvalCLIError("s2rRLPromptAccuracy \(bounds) keeps no train problem")
    }
    return problems
  }
}
