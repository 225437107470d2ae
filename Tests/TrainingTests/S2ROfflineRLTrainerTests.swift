import Datasets
import Foundation
import Generation
import Models
import Rollouts
import TensorCore
import Training
import XCTest

/// Offline RL (spec §5.4): the hand-checked surrogate and a small end-to-end run (the data of
/// `S2ROfflineDataTests`).
final class S2ROfflineRLTrainerTests: XCTestCase {
  static let tokenizer = SyntheticFormat.tokenizer()
  static let inBand = S2ROfflineDataTests.inBand
  static let tooEasy = S2ROfflineDataTests.tooEasy

  func testLossMatchesTheHandComputedExample() {
    let m = Tensor([-1, -2], shape: [2])
    m.requiresGrad = true
    let (loss, clipped) = S2ROfflineRLTrainer.loss(
      meanLogProbs: m, refMeans: [-1.5, -2], rewards: [1, -1], weights: [0.5, 0.5], beta: 0.1, epsilon: 0.2)
    // ρ1 = e^0.5 > 1.2 with adv 0.95 → the clipped branch 1.2 · 0.95 (no gradient); ρ2 = 1, adv −1.
    XCTAssertEqual(loss.item(), -0.5 * 1.2 * 0.95 + 0.5, accuracy: 1e-6)
    XCTAssertEqual(clipped, 0.5)
    loss.backward()
    let g = m.grad!.toDoubleArray()
    XCTAssertEqual(g[0], 0, accuracy: 1e-7)
    XCTAssertEqual(g[1], 0.5, accuracy: 1e-6)
  }

  func testSmallEndToEndRunTrainsAndSamplesRecords() async throws {
    let config = ModelConfig(
      vocabSize: Self.tokenizer.vocabSize, hiddenSize: 16, intermediateSize: 32, numHiddenLayers: 1,
      numAttentionHeads: 2, numKeyValueHeads: 1, maxPositionEmbeddings: 256)
    var rng = SeededRNG(seed: 3)
    let reference = Transformer(config: config, rng: &rng)

    // `s2r sample`'s library path: K scored responses per problem from any LanguageModel.
    let problems = SyntheticDatasetFile.generate(
      SyntheticDatasetConfig(count: 2, seed: 4, minDifficulty: 1, maxDifficulty: 1))
    let native = NativeLanguageModel(model: reference, tokenizer: Self.tokenizer, template: .plain)
    let sampled = try await S2ROfflineData.sample(
      model: native, problems: problems, samplesPerProblem: 3, params: SamplingParams(maxNewTokens: 8),
      seed: 1)
    XCTAssertEqual(sampled.map(\.id), problems.map(\.text))
    XCTAssertEqual(sampled.map(\.responses.count), [3, 3])
    XCTAssertEqual(sampled.map(\.scores.count), [3, 3])

    for level in [S2RRLConfig.Level.outcome, .process] {
      let (samples, _) = S2ROfflineData.prepare(
        [Self.inBand, Self.tooEasy], tokenizer: Self.tokenizer,
        options: S2ROfflineDataOptions(baselineKey: .position, baselineMinCount: 1))
      let trainer = S2ROfflineRLTrainer(
        policy: reference.copy(), reference: reference, samples: samples,
        config: S2ROfflineRLConfig(
          level: level, epochs: 2, batchSize: 3, learningRate: 1e-2, warmupSteps: 0, klCoefficient: 0.1))
      let before = trainer.policy.namedParameters().map { $0.tensor.toArray() }
      try trainer.train()
      XCTAssertEqual(trainer.step, 2)
      XCTAssertEqual(trainer.history.count, 2)
      XCTAssertTrue(trainer.history.allSatisfy { $0.values["loss"]!.isFinite }, "\(level)")
      XCTAssertNotEqual(trainer.policy.namedParameters().map { $0.tensor.toArray() }, before, "\(level)")
      // Both epochs visit every sample once.
      XCTAssertEqual((0..<2).flatMap { trainer.batch(step: $0) }.sorted(), [0, 0, 1, 1, 2, 2])
    }
  }

  /// π_ref is read only in `init`, so `s2r rl --offline` trains the start model in place (no second
  /// full copy): that run ends bit-identical to one that trains a copy against the start model.
  func testTrainingTheReferenceInPlaceEqualsTrainingACopy() throws {
    let config = ModelConfig(
      vocabSize: Self.tokenizer.vocabSize, hiddenSize: 16, intermediateSize: 32, numHiddenLayers: 1,
      numAttentionHeads: 2, numKeyValueHeads: 1, maxPositionEmbeddings: 256)
    var rng = SeededRNG(seed: 5)
    let start = Transformer(config: config, rng: &rng)
    let (samples, _) = S2ROfflineData.prepare(
      [Self.inBand], tokenizer: Self.tokenizer,
      options: S2ROfflineDataOptions(baselineKey: .position, baselineMinCount: 1))
    let rl = S2ROfflineRLConfig(
      level: .process, epochs: 2, batchSize: 2, learningRate: 1e-2, warmupSteps: 0, klCoefficient: 0.1)
    let copied = S2ROfflineRLTrainer(
      policy: start.copy(), reference: start.copy(), samples: samples, config: rl)
    try copied.train()
    let inPlace = S2ROfflineRLTrainer(policy: start, reference: start, samples: samples, config: rl)
    try inPlace.train()
    let a = copied.policy.namedParameters().map { $0.tensor.toArray() as [Float] }
    let b = start.namedParameters().map { $0.tensor.toArray() as [Float] }
    XCTAssertTrue(a == b)
    XCTAssertEqual(copied.history.map { $0.values["loss"] }, inPlace.history.map { $0.values["loss"] })
    XCTAssertTrue(copied.referenceLogProbs == inPlace.referenceLogProbs)
  }
}
