import Foundation
import Generation
import Models
import NN
import Rollouts
import TensorCore
import Tokenizers

/// One RL prompt: its text and the checker of an attempt's extracted answer.
public struct S2RTask: Sendable {
  public var id: String
  public var prompt: String
  public var isCorrect: @Sendable (String) -> Bool

  public init(id: String, prompt: String, isCorrect: @escaping @Sendable (String) -> Bool) {
    self.id = id
    self.prompt = prompt
    self.isCorrect = isCorrect
  }
}

/// Settings of S²R online RL (spec §4; defaults follow §4.7 where they carry over to tiny models).
public struct S2RRLConfig: Codable, Sendable, Equatable {
  public enum Level: String, Codable, Sendable { case outcome, process }
  public var level: Level
  public var steps: Int
  public var problemsPerStep: Int
  public var samplesPerProblem: Int
  public var temperature: Double
  public var maxNewTokens: Int
  public var learningRate: Double
  public var warmupSteps: Int
  public var maxGradNorm: Double
  /// β of the KL shaping (0.01 ORL / 0.05 PRL in the paper's runs).
  public var klCoefficient: Double
  public var clipEpsilon: Double
  /// Optimiser steps per rollout batch (the "several optimiser steps per rollout batch").
  public var updatesPerBatch: Int
  public var processOptions: S2RProcessRewardOptions
  public var baselineMinCount: Int
  public var seed: UInt64

  public init(
    level: Level = .outcome, steps: Int = 30, problemsPerStep: Int = 16, samplesPerProblem: Int = 4,
    temperature: Double = 0.7,
    maxNewTokens: Int = 400, learningRate: Double = 1e-4, warmupSteps: Int = 2, maxGradNorm: Double = 1,
    klCoefficient: Double = 0.01, clipEpsilon: Double = 0.2, updatesPerBatch: Int = 2,
    processOptions: S2RProcessRewardOptions = .init(), baselineMinCount: Int = 10, seed: UInt64 = 0
  ) {
    self.level = level
    self.steps = steps
    self.problemsPerStep = problemsPerStep
    self.samplesPerProblem = samplesPerProblem
    self.temperature = temperature
    self.maxNewTokens = maxNewTokens
    self.learningRate = learningRate
    self.warmupSteps = warmupSteps
    self.maxGradNorm = maxGradNorm
    self.klCoefficient = klCoefficient
    self.clipEpsilon = clipEpsilon
    self.updatesPerBatch = updatesPerBatch
    self.processOptions = processOptions
    self.baselineMinCount = baselineMinCount
    self.seed = seed
  }
}

/// S²R online RL as an explicit loop (spec §4.1–4.5):
/// sample k rollouts per prompt → cut each into actions (`layout`: exact marker ids at token
/// boundaries, or marker texts for a BPE) →
/// rule-based action rewards → advantages (outcome: RLOO on the last attempt's reward; process:
/// per-action reward minus the reward-context baseline) with KL shaping against the frozen
/// reference → clipped surrogate on mean log-prob ratios → `updatesPerBatch` AdamW steps → log.
public final class S2RRLTrainer {
  public let policy: Transformer
  public let reference: Transformer
  public let tokenizer: any Tokenizer
  public let tasks: [S2RTask]
  public let config: S2RRLConfig
  public let optimizer: AdamW
  public let parser: S2RActionParser
  /// Prompt encoding, stop ids and marker parse of this tokenizer (`S2RResponseLayout`).
  public let layout: S2RResponseLayout
  /// PRL's running reward-context baseline (process level; untouched at outcome level).
  public internal(set) var baseline: S2RRewardContextBaseline
  /// Optimiser steps done. With `config.seed` it is also the whole random state: step s draws its
  /// problems and sampling seeds from a generator seeded with (seed, s), so nothing else of the
  /// RNG needs saving to resume.
  public internal(set) var step = 0
  /// Every step's report so far (restored on resume, so a resumed run's history is whole).
  public internal(set) var history: [StepReport] = []

  public init(
    policy: Transformer, reference: Transformer, tokenizer: any Tokenizer, tasks: [S2RTask],
    config: S2RRLConfig, layout: S2RResponseLayout? = nil
  ) {
    precondition(!tasks.isEmpty, "S²R RL needs prompts")
    self.policy = policy
    self.reference = reference
    self.tokenizer = tokenizer
    self.tasks = tasks
    self.config = config
    optimizer = AdamW(policy.namedParameters(), config: AdamWConfig(learningRate: config.learningRate))
    let layout = layout ?? .plain(tokenizer)
    self.layout = layout
    parser = layout.parser(tokenizer)
    baseline = S2RRewardContextBaseline(minCount: config.baselineMinCount)
  }

  /// One scored rollout with the token spans its loss uses.
  struct Sample {
    var task: Int
    var generated: GeneratedSequence
    var scored: S2RScoredRollout
    var parsed: S2RParsedResponse
    /// (positions within the response, advantage) of each loss segment.
    var segments: [(positions: [Int], advantage: Double)] = []
    var weight = 1.0
  }

  public func trainStep() throws -> StepReport {
    let start = Date()
    var rng = SeededRNG(seed: config.seed &+ UInt64(step) &* 0x9E37_79B9_7F4A_7C15)
    let picked = (0..<config.problemsPerStep).map { _ in Int(rng.next() % UInt64(tasks.count)) }
    let k = config.samplesPerProblem
    var params = SamplingParams(temperature: config.temperature, maxNewTokens: config.maxNewTokens)
    params.stopTokenIDs = Array(parser.markers.stopIDs)
    let prompts = picked.flatMap { t in
      [[Int]](repeating: layout.encodePrompt(tasks[t].prompt, tokenizer: tokenizer), count: k)
    }
    let seeds = (0..<prompts.count).map { _ in rng.next() }
    let generated = Generator(model: policy, tokenizer: tokenizer).generate(
      prompts: prompts, params: params, seeds: seeds)

    var samples: [Sample] = zip(prompts.indices, generated).map { i, g in
      let rollout = layout.rollout(g.tokens, parser: parser, tokenizer: tokenizer)
      let task = tasks[picked[i / k]]
      return Sample(
        task: picked[i / k], generated: g, scored: S2RRewards.score(rollout, isCorrect: task.isCorrect),
        parsed: rollout.parsed)
    }
    let batch = PolicyBatch(contexts: prompts, samples: generated.map(\.tokens))
    let ref = batch.referenceLogProbs(reference)

    // Advantages per loss segment.
    switch config.level {
    case .outcome:
      let rewards = samples.map { $0.scored.outcomeReward() }
      let advantages = S2RAdvantages.outcome(rewards, groupSize: k)
      for i in samples.indices {
        let positions = Array(0..<samples[i].parsed.responseEnd)
        let a = S2RAdvantages.klShaped(
          advantage: advantages[i], oldLogProbs: positions.map { samples[i].generated.logProbs[$0] },
          refLogProbs: positions.map { ref[i][$0] }, beta: config.klCoefficient)
        samples[i].segments = positions.isEmpty ? [] : [(positions, a)]
        samples[i].weight = S2RAdvantages.sampleWeight(advantage: advantages[i])
      }
    case .process:
      var seen: [(context: String, reward: Double)] = []
      for i in samples.indices {
        let rewards = S2RProcessRewards.actionRewards(
          samples[i].scored, baseline: baseline, options: config.processOptions)
        let targets = S2RTokenTargets(
          parsed: samples[i].parsed, responseLength: samples[i].generated.tokens.count, actionRewards: rewards
        )
        samples[i].segments = targets.parts(includeMarkers: true).map { _, positions in
          let r = positions.reduce(0) { $0 + targets.reward[$1] } / Double(positions.count)
          return (
            positions,
            S2RAdvantages.klShaped(
              advantage: r, oldLogProbs: positions.map { samples[i].generated.logProbs[$0] },
              refLogProbs: positions.map { ref[i][$0] }, beta: config.klCoefficient)
          )
        }
        samples[i].weight = samples[i].parsed.isValid ? 1 : 0
        seen += S2RRewardContextBaseline.entries(samples[i].scored)
      }
      baseline.update(seen)  // scored with earlier batches' statistics, then updated (spec §4.5)
    }

    // Flatten the segments: gather their tokens' positions in the scored (N) vector.
    var gather: [Int] = []
    var ranges: [Range<Int>] = []
    var advantages: [Double] = []
    var oldMeans: [Double] = []
    var scale: [Double] = []
    for (i, s) in samples.enumerated() where s.weight > 0 && !s.segments.isEmpty {
      let base = batch.selection.ranges[i].lowerBound
      let perSegment = s.weight / Double(s.segments.count) / Double(samples.count)
      for seg in s.segments {
        let lo = gather.count
        gather += seg.positions.map { base + $0 }
        ranges.append(lo..<gather.count)
        advantages.append(seg.advantage)
        oldMeans.append(
          seg.positions.reduce(0) { $0 + s.generated.logProbs[$1] } / Double(seg.positions.count))
        scale.append(perSegment)
      }
    }

    var lossValue = 0.0
    var clipped = 0.0
    var lr = 0.0
    var gradNorm = 0.0
    let schedule = LRSchedule(decay: .constant, warmupSteps: config.warmupSteps, totalSteps: config.steps)
    if !ranges.isEmpty {
      for _ in 0..<max(config.updatesPerBatch, 1) {
        let logp = batch.logProbs(policy)  // (N)
        // (M, 1): the log-probs of every segment's tokens, segment after segment.
        let picked = Tensor.gatherRows(logp.reshaped([logp.count, 1]), ids: gather, shape: [gather.count])
        let means = picked.reshaped([gather.count]).segmentMeans(ranges)  // (S)
        let (loss, clipFraction) = S2RClippedSurrogate.loss(
          means: means, baseMeans: oldMeans, advantages: advantages, weights: scale,
          epsilon: config.clipEpsilon)
        lossValue = loss.item()
        clipped = clipFraction
        loss.backward()
        gradNorm = clipGradNorm(policy.parameters, maxNorm: config.maxGradNorm)
        lr = config.learningRate * schedule.factor(at: step)
        optimizer.update(learningRate: lr)
        optimizer.zeroGrad()
      }
    }
    step += 1

    let n = Double(samples.count)
    let finals = samples.map { $0.scored.outcomeReward() > 0 ? 1.0 : 0.0 }
    let firsts = samples.map { ($0.scored.attemptCorrectness.first ?? false) ? 1.0 : 0.0 }
    let verifications = samples.flatMap { $0.scored.actions.filter { $0.action.kind == .verify } }
    var kl = 0.0
    for (i, s) in samples.enumerated() {
      for t in 0..<s.parsed.responseEnd { kl += s.generated.logProbs[t] - ref[i][t] }
    }
    let report = StepReport(
      step: step,
      values: [
        "loss": lossValue, "reward": samples.map { $0.scored.outcomeReward() }.reduce(0, +) / n,
        "final_acc": finals.reduce(0, +) / n, "first_acc": firsts.reduce(0, +) / n,
        "attempts": samples.map { Double($0.parsed.attemptCount) }.reduce(0, +) / n,
        "verification_acc": verifications.isEmpty
          ? 0 : Double(verifications.filter { $0.reward > 0 }.count) / Double(verifications.count),
        "truncated": Double(samples.filter { $0.parsed.truncated }.count) / n,
        "valid": Double(samples.filter { $0.parsed.isValid }.count) / n, "kl": kl / n,
        "clip_fraction": clipped,
        "lr": lr, "grad_norm": gradNorm, "seconds": Date().timeIntervalSince(start),
      ])
    history.append(report)
    return report
  }

  /// Runs until `config.steps`, calling `onStep` after every step and `onCheckpoint` every
  /// `checkpointEvery` steps and after the last one (0: never).
  public func train(
    checkpointEvery: Int = 0, onStep: (StepReport) throws -> Void = { _ in },
    onCheckpoint: ((Int) throws -> Void)? = nil
  ) throws {
    while step < config.steps {
      try onStep(try trainStep())
      if let onCheckpoint, checkpointEvery > 0, step % checkpointEvery == 0 || step == config.steps {
        try onCheckpoint(step)
      }
    }
  }
}
