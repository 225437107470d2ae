import Foundation
import Generation
import Models
import NN
import Rollouts
import TensorCore
import Tokenizers

/// Settings of one SCoRe RL run (spec §2.3–2.8). `stage` picks the objective; the ablations of
/// Table 4 are settings too: multi-turn RL without Stage I and without shaping is `.stageII` with
/// `alpha = 0` started from the base model, and single-turn RL is `turns = 1`.
public struct SCoReTrainConfig: Codable, Sendable, Equatable {
  public var stage: SCoReStage
  public var turns: Int
  public var steps: Int
  public var problemsPerStep: Int
  public var samplesPerProblem: Int
  public var learningRate: Double
  public var warmupSteps: Int
  public var maxGradNorm: Double
  public var coefficients: SCoReCoefficients
  public var adaptiveBeta2: Bool
  public var temperature: Double
  public var maxNewTokens: Int
  public var seed: UInt64

  public init(
    stage: SCoReStage = .stageI(subStage: 1), turns: Int = 2, steps: Int = 50, problemsPerStep: Int = 16,
    samplesPerProblem: Int = 4, learningRate: Double = 1e-4, warmupSteps: Int = 2, maxGradNorm: Double = 1,
    coefficients: SCoReCoefficients = .math, adaptiveBeta2: Bool = false, temperature: Double = 1,
    maxNewTokens: Int = 96, seed: UInt64 = 0
  ) {
    self.stage = stage
    self.turns = turns
    self.steps = steps
    self.problemsPerStep = problemsPerStep
    self.samplesPerProblem = samplesPerProblem
    self.learningRate = learningRate
    self.warmupSteps = warmupSteps
    self.maxGradNorm = maxGradNorm
    self.coefficients = coefficients
    self.adaptiveBeta2 = adaptiveBeta2
    self.temperature = temperature
    self.maxNewTokens = maxNewTokens
    self.seed = seed
  }
}

/// On-policy SCoRe training as an explicit loop (spec §2.7):
/// sample k episodes per problem at T = 1 → score every attempt → per-turn returns with the
/// stage's rewards, shaping and KL → per-turn RLOO advantages (`SCoReTokenWeights`) →
/// loss = (1/E) Σ [−A·log π_θ(token) + w_KL·k3(token)] → one AdamW step → log.
public final class SCoReTrainer {
  public let policy: Transformer
  public let reference: Transformer
  public let tokenizer: any Tokenizer
  public let prompts: SCoRePromptSet
  public let problems: [SCoReProblem]
  public let checker: SCoReChecker
  public var config: SCoReTrainConfig
  public let optimizer: AdamW
  public private(set) var step = 0
  public private(set) var beta2: SCoReAdaptiveBeta2

  public init(
    policy: Transformer, reference: Transformer, tokenizer: any Tokenizer, prompts: SCoRePromptSet,
    problems: [SCoReProblem], checker: @escaping SCoReChecker, config: SCoReTrainConfig
  ) {
    precondition(!problems.isEmpty, "SCoRe needs training problems")
    self.policy = policy
    self.reference = reference
    self.tokenizer = tokenizer
    self.prompts = prompts
    self.problems = problems
    self.checker = checker
    self.config = config
    optimizer = AdamW(policy.namedParameters(), config: AdamWConfig(learningRate: config.learningRate))
    beta2 = SCoReAdaptiveBeta2(beta2: config.coefficients.beta2)
  }

  /// The problems of step `s`: a pure function of (seed, s).
  func batchProblems(step s: Int) -> [SCoReProblem] {
    var rng = SeededRNG(seed: config.seed &+ UInt64(s) &* 0x2545_F491_4F6C_DD1D)
    return (0..<config.problemsPerStep).map { _ in problems[Int(rng.next() % UInt64(problems.count))] }
  }

  /// One iteration; returns the logged values.
  public func trainStep() async throws -> StepReport {
    let start = Date()
    let backend = NativeLanguageModel(model: policy, tokenizer: tokenizer, template: .plain, maxBatch: 64)
    var params = SamplingParams(temperature: config.temperature, maxNewTokens: config.maxNewTokens)
    params.stopStrings = prompts.stopStrings
    let runner = SCoReEpisodeRunner(
      model: backend, prompts: prompts,
      config: SCoReRolloutConfig(
        samplesPerProblem: config.samplesPerProblem, turns: config.turns, params: params, layout: .text,
        seed: config.seed &+ UInt64(step) &* 7919))
    let episodes = try await runner.run(problems: batchProblems(step: step), checker: checker)

    // One scoring row per attempt: (context ids, sampled ids).
    var rows: [(e: Int, t: Int)] = []
    var contexts: [[Int]] = []
    var samples: [[Int]] = []
    for (e, episode) in episodes.enumerated() {
      for (t, attempt) in episode.attempts.enumerated() {
        rows.append((e, t))
        contexts.append(backend.encode(attempt.prompt))
        samples.append(attempt.tokens)
      }
    }
    let batch = PolicyBatch(contexts: contexts, samples: samples)
    let refFlat = batch.referenceLogProbs(reference)
    var refLogProbs = episodes.map { $0.attempts.map { _ in [Double]() } }
    for (r, row) in rows.enumerated() { refLogProbs[row.e][row.t] = refFlat[r] }
    var coefficients = config.coefficients
    if config.adaptiveBeta2 { coefficients.beta2 = beta2.beta2 }
    let weights = try SCoReTokenWeights.build(
      episodes: episodes, refLogProbs: refLogProbs, stage: config.stage, coefficients: coefficients)
    var byRow: [Int: SCoReTurnWeights] = [:]
    for w in weights { byRow[rows.firstIndex { $0.e == w.episode && $0.t == w.turn }!] = w }

    // Loss over all sampled tokens at once.
    var adv = [Double](repeating: 0, count: batch.selection.positions.count)
    var klw = adv
    var refs = adv
    for (r, range) in batch.selection.ranges.enumerated() {
      guard let w = byRow[r] else { continue }
      for (i, pos) in range.enumerated() {
        adv[pos] = w.tokenAdvantages[i]
        klw[pos] = w.tokenKLWeights[i]
        refs[pos] = refFlat[r][i]
      }
    }
    let logp = batch.logProbs(policy)  // (N)
    let e = Double(episodes.count)
    let advT = Tensor(adv.map(Float.init), shape: [adv.count])
    let klT = Tensor(klw.map(Float.init), shape: [klw.count])
    let delta = Tensor(refs.map(Float.init), shape: [refs.count]) - logp  // log π_ref − log π_θ
    let k3 = delta.exp() - delta - 1  // k3 estimator of KL(π_θ ‖ π_ref), per token
    let pgLoss = (logp * advT).sum().scaled(-1 / e)
    let klLoss = (k3 * klT).sum().scaled(1 / e)
    (pgLoss + klLoss).backward()
    let gradNorm = clipGradNorm(policy.parameters, maxNorm: config.maxGradNorm)
    let schedule = LRSchedule(decay: .constant, warmupSteps: config.warmupSteps, totalSteps: config.steps)
    let lr = config.learningRate * schedule.factor(at: step)
    optimizer.update(learningRate: lr)
    optimizer.zeroGrad()

    // Diagnostics: per-turn reward and KL, how often turn 2 changes the answer.
    let k1 = zip(episodes.indices, episodes).map { e, ep in
      ep.attempts.indices.map { t in
        zip(ep.attempts[t].logProbs, refLogProbs[e][t]).reduce(0) { $0 + $1.0 - $1.1 }
      }
    }
    if config.adaptiveBeta2 {
      let kl1 = k1.map { $0[0] }.reduce(0, +) / e
      _ = beta2.update(policyGradientLoss: pgLoss.item(), firstTurnKL: kl1)
    }
    step += 1
    var values: [String: Double] = [
      "loss": pgLoss.item() + klLoss.item(), "pg_loss": pgLoss.item(), "kl_loss": klLoss.item(), "lr": lr,
      "grad_norm": gradNorm, "beta2": coefficients.beta2, "seconds": Date().timeIntervalSince(start),
    ]
    for t in 0..<config.turns {
      values["reward_t\(t + 1)"] = episodes.map { $0.attempts[t].reward }.reduce(0, +) / e
      values["kl_t\(t + 1)"] = k1.map { $0[t] }.reduce(0, +) / e
    }
    if config.turns >= 2 {
      values["answer_changed"] =
        Double(episodes.filter { $0.attempts[1].extractedAnswer != $0.attempts[0].extractedAnswer }.count) / e
    }
    return StepReport(step: step, values: values)
  }

  /// Runs `config.steps` iterations.
  public func train(onStep: (StepReport) throws -> Void = { _ in }) async throws {
    while step < config.steps { try onStep(try await trainStep()) }
  }
}
