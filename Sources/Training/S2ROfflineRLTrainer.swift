import Foundation
import Models
import NN
import Rollouts
import TensorCore

/// Settings of S²R offline RL (spec §5.4; the script's defaults where they carry over).
public struct S2ROfflineRLConfig: Codable, Sendable, Equatable {
  public var level: S2RRLConfig.Level
  public var epochs: Int
  public var batchSize: Int
  public var learningRate: Double
  public var warmupSteps: Int
  public var maxGradNorm: Double
  /// β of `adv = R − β · mean_t(log π_θ − log π_ref)` (`lm_kl_coeff`, 0.15 in the script).
  public var klCoefficient: Double
  public var clipEpsilon: Double
  public var seed: UInt64

  public init(
    level: S2RRLConfig.Level = .process, epochs: Int = 1, batchSize: Int = 16, learningRate: Double = 1e-4,
    warmupSteps: Int = 5, maxGradNorm: Double = 1, klCoefficient: Double = 0.15, clipEpsilon: Double = 0.2,
    seed: UInt64 = 0
  ) {
    self.level = level
    self.epochs = epochs
    self.batchSize = batchSize
    self.learningRate = learningRate
    self.warmupSteps = warmupSteps
    self.maxGradNorm = maxGradNorm
    self.klCoefficient = klCoefficient
    self.clipEpsilon = clipEpsilon
    self.seed = seed
  }
}

/// S²R offline RL as an explicit loop (spec §5.4): the trajectories were sampled once and
/// selected by `S2ROfflineData.prepare`; the frozen reference is the behaviour policy, so every
/// ratio is π_θ/π_ref and π_ref's log-probs are computed once. Each step: a batch (a pure function
/// of seed and step, as in `SFTTrainer`) → loss segments (outcome: the whole response with the
/// last attempt's ±1; process: each part with its mean baselined reward, divided by the largest
/// part index) → clipped surrogate with the detached KL shaping → AdamW step → log.
public final class S2ROfflineRLTrainer {
  public let policy: Transformer
  public let samples: [S2ROfflineSample]
  public let config: S2ROfflineRLConfig
  public let optimizer: AdamW
  /// log π_ref of every sample's response tokens.
  public let referenceLogProbs: [[Double]]
  /// Optimiser steps done; with the seed it fixes every later batch (see `batch(step:)`).
  public internal(set) var step = 0
  public internal(set) var history: [StepReport] = []

  /// `reference` is read only here (π_ref's log-probs of every sample) and not kept, so `policy`
  /// may be `reference` itself: training it in place then needs no second full copy of the
  /// weights (what `recheck s2r rl --offline` does).
  public init(
    policy: Transformer, reference: Transformer, samples: [S2ROfflineSample], config: S2ROfflineRLConfig
  ) {
    precondition(!samples.isEmpty, "offline RL needs at least one kept trajectory")
    self.policy = policy
    self.samples = samples
    self.config = config
    optimizer = AdamW(policy.namedParameters(), config: AdamWConfig(learningRate: config.learningRate))
    var ref: [[Double]] = []
    for start in stride(from: 0, to: samples.count, by: 16) {
      let chunk = samples[start..<min(start + 16, samples.count)]
      ref += PolicyBatch(contexts: chunk.map(\.promptIDs), samples: chunk.map(\.responseIDs))
        .referenceLogProbs(reference)
    }
    referenceLogProbs = ref
  }

  /// Optimiser steps of the whole run: `epochs` passes over the samples.
  public var totalSteps: Int { config.epochs * ((samples.count + config.batchSize - 1) / config.batchSize) }

  /// The sample indices of optimiser step `step`: item g = step·B + j of an endless stream of
  /// per-epoch permutations.
  public func batch(step: Int) -> [Int] {
    let n = samples.count
    return (0..<min(config.batchSize, n)).map { j in
      let g = step * config.batchSize + j
      var rng = SeededRNG(seed: config.seed &+ UInt64(g / n) &* 0x9E37_79B9)
      var perm = Array(0..<n)
      for i in stride(from: n - 1, to: 0, by: -1) { perm.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
      return perm[g % n]
    }
  }

  /// Loss segments of one sample: (response positions, reward) and the sample's divisor.
  static func segments(_ s: S2ROfflineSample, level: S2RRLConfig.Level) -> (
    parts: [(positions: [Int], reward: Double)], divisor: Double
  ) {
    switch level {
    case .outcome:
      let positions = Array(0..<s.parsed.responseEnd)
      return (positions.isEmpty ? [] : [(positions, s.outcomeReward)], 1)
    case .process:
      let targets = S2RTokenTargets(
        parsed: s.parsed, responseLength: s.responseIDs.count, actionRewards: s.actionRewards)
      let parts = targets.parts(includeMarkers: true)
      let largest = Double(max(parts.map(\.part).max() ?? 1, 1))
      return (
        parts.map { _, p in (p, p.reduce(0) { $0 + targets.reward[$1] } / Double(p.count)) }, largest
      )
    }
  }

  /// The clipped surrogate over segments: `m` holds each segment's mean log π_θ (differentiable),
  /// `refMeans` its mean log π_ref; `adv = R − β · (m − m_ref)` (detached), `ρ = exp(m − m_ref)`,
  /// loss `−Σ_s w_s · min(ρ_s · adv_s, clip(ρ_s, 1 ± ε) · adv_s)`. Also the fraction of clipped ratios.
  ///
  /// Example: m = [−1, −2], m_ref = [−1.5, −2], R = [1, −1], w = [0.5, 0.5], β = 0.1, ε = 0.2 →
  /// ρ = [e^0.5, 1], adv = [0.95, −1], loss = −0.5 · 1.2 · 0.95 + 0.5 · 1 = −0.07; ∂/∂m = [0, 0.5].
  public static func loss(
    meanLogProbs m: Tensor, refMeans: [Double], rewards: [Double], weights: [Double], beta: Double,
    epsilon: Double
  ) -> (loss: Tensor, clipFraction: Double) {
    let current = m.toDoubleArray()
    let adv = zip(rewards, zip(current, refMeans)).map { r, mm in r - beta * (mm.0 - mm.1) }
    return S2RClippedSurrogate.loss(
      means: m, baseMeans: refMeans, advantages: adv, weights: weights, epsilon: epsilon)
  }

  public func trainStep() -> StepReport {
    let start = Date()
    let picked = batch(step: step)
    let batch = PolicyBatch(
      contexts: picked.map { samples[$0].promptIDs }, samples: picked.map { samples[$0].responseIDs })
    // Flatten every sample's segments into gathered positions of the scored (N) vector.
    var gather: [Int] = []
    var ranges: [Range<Int>] = []
    var rewards: [Double] = []
    var refMeans: [Double] = []
    var weights: [Double] = []
    for (row, i) in picked.enumerated() {
      let (parts, divisor) = Self.segments(samples[i], level: config.level)
      for (positions, reward) in parts {
        let lo = gather.count
        gather += positions.map { batch.selection.ranges[row].lowerBound + $0 }
        ranges.append(lo..<gather.count)
        rewards.append(reward)
        refMeans.append(positions.reduce(0) { $0 + referenceLogProbs[i][$1] } / Double(positions.count))
        weights.append(1 / divisor / Double(picked.count))
      }
    }
    var lossValue = 0.0
    var clipFraction = 0.0
    var gradNorm = 0.0
    let schedule = LRSchedule(decay: .constant, warmupSteps: config.warmupSteps, totalSteps: totalSteps)
    let lr = config.learningRate * schedule.factor(at: step)
    if !ranges.isEmpty {
      let logp = batch.logProbs(policy)
      let gathered = Tensor.gatherRows(logp.reshaped([logp.count, 1]), ids: gather, shape: [gather.count])
      let means = gathered.reshaped([gather.count]).segmentMeans(ranges)
      let (loss, clipped) = Self.loss(
        meanLogProbs: means, refMeans: refMeans, rewards: rewards, weights: weights,
        beta: config.klCoefficient, epsilon: config.clipEpsilon)
      lossValue = loss.item()
      clipFraction = clipped
      loss.backward()
      gradNorm = clipGradNorm(policy.parameters, maxNorm: config.maxGradNorm)
      optimizer.update(learningRate: lr)
      optimizer.zeroGrad()
    }
    step += 1
    let n = Double(picked.count)
    let report = StepReport(
      step: step,
      values: [
        "loss": lossValue, "lr": lr, "grad_norm": gradNorm, "clip_fraction": clipFraction,
        "positives": Double(picked.count { samples[$0].positive }) / n,
        "outcome_reward": picked.reduce(0) { $0 + samples[$1].outcomeReward } / n,
        "segments": Double(ranges.count), "seconds": Date().timeIntervalSince(start),
      ])
    history.append(report)
    return report
  }

  /// Runs until `totalSteps`, calling `onStep` after every step and `onCheckpoint` every
  /// `checkpointEvery` steps and after the last one (0: never).
  public func train(
    checkpointEvery: Int = 0, onStep: (StepReport) throws -> Void = { _ in },
    onCheckpoint: ((Int) throws -> Void)? = nil
  ) throws {
    while step < totalSteps {
      try onStep(trainStep())
      if let onCheckpoint, checkpointEvery > 0, step % checkpointEvery == 0 || step == totalSteps {
        try onCheckpoint(step)
      }
    }
  }
}
