import Foundation
import Models
import NN
import TensorCore

/// Settings of a supervised run (behaviour initialisation, Pair-SFT, STaR, pre-training a tiny
/// base model). Saved next to the run's outputs.
public struct SFTConfig: Codable, Sendable, Equatable {
  public var steps: Int
  public var batchSize: Int
  public var gradientAccumulation: Int
  public var learningRate: Double
  public var warmupSteps: Int
  public var schedule: LRSchedule.Decay
  public var minLRRatio: Double
  public var weightDecay: Double
  public var maxGradNorm: Double
  /// λ of the KL-to-initial-model term (S²R §3.3); 0 disables it (no reference forward passes).
  public var klCoefficient: Double
  public var maxLength: Int
  public var seed: UInt64
  public var logEvery: Int
  public var checkpointEvery: Int

  public init(
    steps: Int = 200, batchSize: Int = 16, gradientAccumulation: Int = 1, learningRate: Double = 1e-3,
    warmupSteps: Int = 10, schedule: LRSchedule.Decay = .cosine, minLRRatio: Double = 0.1,
    weightDecay: Double = 0,
    maxGradNorm: Double = 1, klCoefficient: Double = 0, maxLength: Int = 512, seed: UInt64 = 0,
    logEvery: Int = 10,
    checkpointEvery: Int = 0
  ) {
    self.steps = steps
    self.batchSize = batchSize
    self.gradientAccumulation = gradientAccumulation
    self.learningRate = learningRate
    self.warmupSteps = warmupSteps
    self.schedule = schedule
    self.minLRRatio = minLRRatio
    self.weightDecay = weightDecay
    self.maxGradNorm = maxGradNorm
    self.klCoefficient = klCoefficient
    self.maxLength = maxLength
    self.seed = seed
    self.logEvery = logEvery
    self.checkpointEvery = checkpointEvery
  }
}

/// What a trainer reports after each optimiser step.
public struct StepReport: Sendable, Codable, Equatable {
  public var step: Int
  public var values: [String: Double]

  public init(step: Int, values: [String: Double]) {
    self.step = step
    self.values = values
  }
}

/// Supervised fine-tuning as an explicit loop: batch → weighted NLL (+ KL) → backward → clip →
/// AdamW step → log. Batches are a pure function of (seed, step) — example g = step·B + j of an
/// endless stream of per-epoch permutations — so a resumed run sees exactly the batches an
/// uninterrupted one would.
public final class SFTTrainer {
  public let model: Transformer
  public let reference: Transformer?
  public let config: SFTConfig
  public let data: [TrainingSequence]
  public let optimizer: AdamW
  public private(set) var step = 0

  public struct State: Codable { public var step: Int; public var config: SFTConfig }

  public init(model: Transformer, reference: Transformer? = nil, data: [TrainingSequence], config: SFTConfig)
  {
    precondition(!data.isEmpty, "SFT needs at least one example")
    self.model = model
    self.reference = config.klCoefficient > 0 ? reference : nil
    self.config = config
    self.data = data.map { $0.truncated(to: config.maxLength) }
    optimizer = AdamW(
      model.namedParameters(),
      config: AdamWConfig(learningRate: config.learningRate, weightDecay: config.weightDecay))
  }

  /// Resumes from a checkpoint written by `checkpoint(to:)` (the model weights must already be
  /// loaded into `model`).
  public func resume(from url: URL) throws {
    let state = try TrainingCheckpoint.loadState(State.self, from: url, optimizer: optimizer)
    step = state.step
  }

  public func checkpoint(
    to url: URL, tokenizer: CheckpointDirectory.TokenizerFile?, files: [(name: String, data: Data)] = []
  ) throws {
    try TrainingCheckpoint.save(
      to: url, model: model, optimizer: optimizer, state: State(step: step, config: config),
      tokenizer: tokenizer, files: files)
  }

  /// The micro-batch `micro` of optimiser step `step`.
  func batch(step: Int, micro: Int) -> [TrainingSequence] {
    let n = data.count
    let perStep = config.batchSize * config.gradientAccumulation
    return (0..<config.batchSize).map { j in
      let g = step * perStep + micro * config.batchSize + j
      let epoch = g / n
      var rng = SeededRNG(seed: config.seed &+ UInt64(epoch) &* 0x9E37_79B9)
      // Fisher–Yates permutation of this epoch, recomputed on demand (n is small for SFT sets).
      var perm = Array(0..<n)
      for i in stride(from: n - 1, to: 0, by: -1) { perm.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
      return data[perm[g % n]]
    }
  }

  /// Runs until `config.steps`, calling `onStep` after every optimiser step and `onCheckpoint`
  /// every `checkpointEvery` steps (and at the end).
  public func train(
    onStep: (StepReport) throws -> Void = { _ in }, onCheckpoint: ((Int) throws -> Void)? = nil
  ) throws {
    let schedule = LRSchedule(
      decay: config.schedule, warmupSteps: config.warmupSteps, totalSteps: config.steps,
      minRatio: config.minLRRatio)
    let params = model.parameters
    while step < config.steps {
      let start = Date()
      var nll = 0.0
      var kl = 0.0
      var tokens = 0
      for micro in 0..<config.gradientAccumulation {
        let value = SFTLoss.compute(
          model: model, batch: batch(step: step, micro: micro), reference: reference,
          klCoefficient: config.klCoefficient)
        if value.tokens > 0 { value.loss.scaled(1 / Double(config.gradientAccumulation)).backward() }
        nll += value.nll / Double(config.gradientAccumulation)
        kl += value.kl / Double(config.gradientAccumulation)
        tokens += value.tokens
      }
      let gradNorm = clipGradNorm(params, maxNorm: config.maxGradNorm)
      let lr = config.learningRate * schedule.factor(at: step)
      optimizer.update(learningRate: lr)
      optimizer.zeroGrad()
      step += 1
      let seconds = Date().timeIntervalSince(start)
      try onStep(
        StepReport(
          step: step,
          values: [
            "loss": nll + config.klCoefficient * kl, "nll": nll, "kl": kl, "lr": lr, "grad_norm": gradNorm,
            "tokens": Double(tokens), "tokens_per_second": Double(tokens) / max(seconds, 1e-9),
          ]))
      if let onCheckpoint, config.checkpointEvery > 0,
        step % config.checkpointEvery == 0 || step == config.steps
      {
        try onCheckpoint(step)
      }
    }
  }
}
