import Foundation
import Models
import NN
import TensorCore
import Training
import XCTest

final class SFTTrainerTests: XCTestCase {
  static let config = ModelConfig(
    vocabSize: 16, hiddenSize: 16, intermediateSize: 32, numHiddenLayers: 1, numAttentionHeads: 2,
    numKeyValueHeads: 1,
    maxPositionEmbeddings: 32)

  /// Sequences "a b → a+b mod 10" where only the answer token is trained.
  static func data() -> [TrainingSequence] {
    var out: [TrainingSequence] = []
    for a in 0..<5 {
      for b in 0..<5 { out.append(TrainingSequence(prompt: [10, a, b, 11], completion: [(a + b) % 10])) }
    }
    return out
  }

  func testLossMatchesHandComputedWeightedNLL() {
    var rng = SeededRNG(seed: 1)
    let model = Transformer(config: Self.config, rng: &rng)
    let seq = TrainingSequence(tokens: [1, 2, 3], weights: [0, 0.5, 2])
    let value = SFTLoss.compute(model: model, batch: [seq])
    let logits = withNoGrad { model([1, 2, 3], batch: 1) }.reshaped([3, 16])
    let lp = logits.logSoftmax().toDoubleArray()
    let expected = (0.5 * -lp[0 * 16 + 2] + 2 * -lp[1 * 16 + 3]) / 2.5
    XCTAssertEqual(value.nll, expected, accuracy: 1e-5)
    XCTAssertEqual(value.tokens, 2)
  }

  func testKLToItselfIsZeroAndPositiveAfterChange() {
    var rng = SeededRNG(seed: 2)
    let model = Transformer(config: Self.config, rng: &rng)
    var rng2 = SeededRNG(seed: 2)
    let reference = Transformer(config: Self.config, rng: &rng2)
    let batch = Array(Self.data().prefix(4))
    XCTAssertEqual(
      SFTLoss.compute(model: model, batch: batch, reference: reference, klCoefficient: 1).kl, 0,
      accuracy: 1e-6)
    model.embedTokens.weight.assign(Tensor.randn([16, 16], std: 1, rng: &rng))
    XCTAssertGreaterThan(
      SFTLoss.compute(model: model, batch: batch, reference: reference, klCoefficient: 1).kl, 1e-3)
  }

  func testTrainingLearnsAndResumeIsExact() throws {
    func fresh() -> Transformer {
      var rng = SeededRNG(seed: 3)
      return Transformer(config: Self.config, rng: &rng)
    }
    let cfg = SFTConfig(
      steps: 150, batchSize: 8, learningRate: 1e-2, warmupSteps: 5, seed: 7, checkpointEvery: 30)
    // Uninterrupted.
    let full = SFTTrainer(model: fresh(), data: Self.data(), config: cfg)
    var first = 0.0
    var last = 0.0
    try full.train(onStep: { r in
      if r.step == 1 { first = r.values["nll"]! }
      last = r.values["nll"]!
    })
    XCTAssertLessThan(last, first * 0.3, "NLL falls (first \(first), last \(last))")
    // Interrupted at step 30, resumed from the checkpoint.
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sft-resume-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    let ckpt = dir.appendingPathComponent("step-30")
    var halfCfg = cfg
    halfCfg.steps = 150
    let a = SFTTrainer(model: fresh(), data: Self.data(), config: halfCfg)
    struct Stop: Error {}
    do {
      try a.train(onCheckpoint: { step in
        try a.checkpoint(to: ckpt, tokenizer: nil)
        if step == 30 { throw Stop() }
      })
    } catch is Stop {}
    let b = SFTTrainer(model: try Transformer.load(from: ckpt), data: Self.data(), config: cfg)
    try b.resume(from: ckpt)
    XCTAssertEqual(b.step, 30)
    try b.train()
    for (x, y) in zip(full.model.parameters, b.model.parameters) {
      XCTAssertEqual(x.toArray(), y.toArray(), "resumed weights equal uninterrupted ones")
    }
  }
}
