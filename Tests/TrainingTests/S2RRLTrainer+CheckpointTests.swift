import Datasets
import Foundation
import Models
import NN
import Rollouts
import TensorCore
import Training
import XCTest

/// Kill and resume of S²R online RL: k steps → checkpoint → a fresh trainer resumes → N steps must
/// give bit-identical weights, optimiser moments, baseline and metrics to N uninterrupted steps.
final class S2RRLTrainerCheckpointTests: XCTestCase {
  static let tokenizer = SyntheticFormat.tokenizer()
  static let problems = S2RStage0Collector.deduplicated(
    SyntheticDatasetFile.generate(
      SyntheticDatasetConfig(count: 6, seed: 21, minDifficulty: 1, maxDifficulty: 2)))
  static let tasks: [S2RTask] = problems.map { p in
    S2RTask(id: p.text, prompt: SyntheticFormat.prompt(p), isCorrect: { Int($0) == p.answer })
  }

  static func model(seed: UInt64) -> Transformer {
    let config = ModelConfig(
      vocabSize: tokenizer.vocabSize, hiddenSize: 16, intermediateSize: 32, numHiddenLayers: 1,
      numAttentionHeads: 2, numKeyValueHeads: 1, maxPositionEmbeddings: 160)
    var rng = SeededRNG(seed: seed)
    return Transformer(config: config, rng: &rng)
  }

  /// The seed-1 model after a short SFT on "\\boxed{answer}" replies: it boxes a number, right
  /// only sometimes, so outcome-level RLOO groups disagree and the outcome loss moves the weights.
  nonisolated(unsafe) static let primed: Transformer = {
    let m = model(seed: 1)
    let data = zip(tasks, problems).map { task, p in
      TrainingSequence(
        prompt: tokenizer.encode(task.prompt),
        completion: tokenizer.encode("\\boxed{\(p.answer)}") + [tokenizer.eosTokenID!])
    }
    try! SFTTrainer(
      model: m, data: data, config: SFTConfig(steps: 60, batchSize: 6, learningRate: 3e-2, warmupSteps: 0)
    ).train()
    return m
  }()

  /// A trainer from a copy of the primed policy; the reference is another random model.
  static func trainer(_ level: S2RRLConfig.Level, policy: Transformer = primed.copy()) -> S2RRLTrainer {
    let config = S2RRLConfig(
      level: level, steps: 3, problemsPerStep: 2, samplesPerProblem: 2, temperature: 1, maxNewTokens: 20,
      learningRate: 1e-2, warmupSteps: 1, klCoefficient: 0.5, updatesPerBatch: 2, baselineMinCount: 1,
      seed: 5)
    return S2RRLTrainer(
      policy: policy, reference: model(seed: 2), tokenizer: tokenizer, tasks: tasks, config: config)
  }

  static func weights(_ m: Transformer) -> [String: [Float]] {
    Dictionary(m.namedParameters().map { ($0.name, $0.tensor.toArray()) }, uniquingKeysWith: { a, _ in a })
  }

  /// Metrics without the wall-clock time.
  static func metrics(_ t: S2RRLTrainer) -> [StepReport] {
    t.history.map { StepReport(step: $0.step, values: $0.values.filter { $0.key != "seconds" }) }
  }

  func tempDir() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "s2r-rl-ckpt-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
    return dir
  }

  func checkResumeIsBitIdentical(_ level: S2RRLConfig.Level) throws {
    let start = Self.weights(Self.primed)
    let uninterrupted = Self.trainer(level)
    try uninterrupted.train()
    XCTAssertEqual(uninterrupted.step, 3)
    XCTAssertTrue(Self.weights(uninterrupted.policy) != start, "the policy never moved; the test is vacuous")
    XCTAssertGreaterThan(uninterrupted.history.map { $0.values["final_acc"]! }.max()!, 0, "no reward ever")

    let killed = Self.trainer(level)
    _ = try killed.trainStep()
    _ = try killed.trainStep()
    let url = try tempDir().appendingPathComponent("checkpoint")
    try killed.checkpoint(to: url)
    XCTAssertTrue(TrainingCheckpoint.exists(at: url))

    // A fresh process: other starting weights (overwritten by resume), fresh optimiser.
    let resumed = Self.trainer(level, policy: Self.model(seed: 99))
    try resumed.resume(from: url)
    XCTAssertEqual(resumed.step, 2)
    XCTAssertEqual(resumed.history.count, 2)
    try resumed.train()

    XCTAssertEqual(resumed.step, 3)
    XCTAssertTrue(Self.weights(resumed.policy) == Self.weights(uninterrupted.policy), "weights differ")
    XCTAssertEqual(Self.metrics(resumed), Self.metrics(uninterrupted))
    XCTAssertEqual(resumed.baseline, uninterrupted.baseline)
    let (stepA, momentsA) = resumed.optimizer.state()
    let (stepB, momentsB) = uninterrupted.optimizer.state()
    XCTAssertEqual(stepA, stepB)
    XCTAssertTrue(
      momentsA.mapValues { $0.toArray() } == momentsB.mapValues { $0.toArray() }, "moments differ")
  }

  func testOutcomeLevelResumeIsBitIdentical() throws {
    try checkResumeIsBitIdentical(.outcome)
  }

  func testProcessLevelResumeIsBitIdenticalAndRestoresTheBaseline() throws {
    try checkResumeIsBitIdentical(.process)
    let t = Self.trainer(.process)
    _ = try t.trainStep()
    XCTAssertFalse(t.baseline.counts.isEmpty, "PRL's running baseline should have seen the first batch")
  }

  func testCheckpointEveryCallsBackOnScheduleAndResumeRejectsOtherSettings() throws {
    let t = Self.trainer(.outcome)
    let url = try tempDir().appendingPathComponent("checkpoint")
    var saved: [Int] = []
    try t.train(checkpointEvery: 2) { _ in
    } onCheckpoint: { step in
      saved.append(step)
      try t.checkpoint(to: url)
    }
    XCTAssertEqual(saved, [2, 3])
    XCTAssertEqual(try S2RRLTrainer.savedState(at: url).step, 3)

    var other = t.config
    other.learningRate *= 2
    let mismatched = S2RRLTrainer(
      policy: Self.primed.copy(), reference: Self.model(seed: 2), tokenizer: Self.tokenizer,
      tasks: Self.tasks,
      config: other)
    XCTAssertThrowsError(try mismatched.resume(from: url)) {
      XCTAssertEqual($0 as? S2RRLCheckpointError, .configMismatch(url.path))
    }
  }
}
