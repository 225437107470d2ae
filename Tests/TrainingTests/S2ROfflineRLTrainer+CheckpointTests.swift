import Foundation
import Models
import Rollouts
import TensorCore
import Training
import XCTest

/// Kill and resume of S²R offline RL: 2 steps → checkpoint → a fresh trainer resumes → 4 steps
/// must equal 4 uninterrupted steps bit for bit.
final class S2ROfflineRLTrainerCheckpointTests: XCTestCase {
  static let tokenizer = SyntheticFormat.tokenizer()

  static func trainer(policySeed: UInt64 = 3) -> S2ROfflineRLTrainer {
    let config = ModelConfig(
      vocabSize: tokenizer.vocabSize, hiddenSize: 16, intermediateSize: 32, numHiddenLayers: 1,
      numAttentionHeads: 2, numKeyValueHeads: 1, maxPositionEmbeddings: 256)
    var rng = SeededRNG(seed: 3)
    let reference = Transformer(config: config, rng: &rng)
    var other = SeededRNG(seed: policySeed)
    let policy = policySeed == 3 ? reference.copy() : Transformer(config: config, rng: &other)
    let (samples, _) = S2ROfflineData.prepare(
      [S2ROfflineDataTests.inBand], tokenizer: tokenizer,
      options: S2ROfflineDataOptions(baselineKey: .position, baselineMinCount: 1))
    return S2ROfflineRLTrainer(
      policy: policy, reference: reference, samples: samples,
      config: S2ROfflineRLConfig(
        level: .process, epochs: 4, batchSize: 2, learningRate: 1e-2, warmupSteps: 1, klCoefficient: 0.1,
        seed: 7))
  }

  static func weights(_ m: Transformer) -> [[Float]] { m.namedParameters().map { $0.tensor.toArray() } }

  func testResumeIsBitIdentical() throws {
    let uninterrupted = Self.trainer()
    XCTAssertEqual(uninterrupted.totalSteps, 8)
    try uninterrupted.train()

    let killed = Self.trainer()
    var saved: [Int] = []
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("s2r-off-\(UUID().uuidString)")
    addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
    let url = dir.appendingPathComponent("checkpoint")
    for _ in 0..<3 { _ = killed.trainStep() }
    try killed.checkpoint(to: url)

    let resumed = Self.trainer(policySeed: 99)  // other weights: resume must overwrite them
    try resumed.resume(from: url)
    XCTAssertEqual(resumed.step, 3)
    try resumed.train(checkpointEvery: 4) { _ in
    } onCheckpoint: { step in
      saved.append(step)
      try resumed.checkpoint(to: url)
    }
    XCTAssertEqual(saved, [4, 8])
    XCTAssertTrue(Self.weights(resumed.policy) == Self.weights(uninterrupted.policy), "weights differ")
    XCTAssertTrue(Self.weights(uninterrupted.policy) != Self.weights(Self.trainer().policy), "never moved")
    let strip = { (t: S2ROfflineRLTrainer) in
      t.history.map { StepReport(step: $0.step, values: $0.values.filter { $0.key != "seconds" }) }
    }
    XCTAssertEqual(strip(resumed), strip(uninterrupted))

    var other = Self.trainer().config
    other.klCoefficient = 0.2
    let mismatched = S2ROfflineRLTrainer(
      policy: Self.trainer().policy, reference: Self.trainer().policy, samples: Self.trainer().samples,
      config: other)
    XCTAssertThrowsError(try mismatched.resume(from: url))
  }
}
