import Generation
import Models
import Rollouts

/// Settings of the STaR-for-correction baseline (spec §4.1; Zelikman et al. 2022, multi-turn as
/// in ReST-EM, Singh et al. 2024).
public struct SCoReSTaRConfig: Codable, Sendable, Equatable {
  /// Sample → filter → fine-tune rounds ([P]: 3).
  public var iterations: Int
  /// Two-turn traces sampled per problem and iteration ("a large number" in [P]).
  public var samplesPerProblem: Int
  /// Sampling temperature of the traces (1, like RL rollouts, §1.6).
  public var temperature: Double
  public var maxNewTokens: Int
  /// D⁺_STaR: also keep correct → correct traces.
  public var includeCorrectToCorrect: Bool
  /// The supervised run of every iteration (turn 2 only).
  public var sft: SFTConfig
  public var seed: UInt64

  public init(
    iterations: Int = 3, samplesPerProblem: Int = 8, temperature: Double = 1, maxNewTokens: Int = 96,
    includeCorrectToCorrect: Bool = false,
    sft: SFTConfig = SFTConfig(steps: 100, batchSize: 16, learningRate: 1e-4),
    seed: UInt64 = 0
  ) {
    self.iterations = iterations
    self.samplesPerProblem = samplesPerProblem
    self.temperature = temperature
    self.maxNewTokens = maxNewTokens
    self.includeCorrectToCorrect = includeCorrectToCorrect
    self.sft = sft
    self.seed = seed
  }
}

/// What one STaR iteration sampled, kept and trained on.
public struct SCoReSFTRound: Sendable {
  /// The traces sampled (STaR: two turns from the latest model; Pair-SFT: first attempts of the base).
  public var episodes: [SCoReEpisode]
  public var examples: [SCoReSFTExample]
  public var sequences: [TrainingSequence]
}

/// A trained SFT baseline: the final model, every round, and the logged records.
public struct SCoReSFTBaselineResult {
  public var model: Transformer
  public var rounds: [SCoReSFTRound]
  public var records: [SCoReRunRecord]
}

/// STaR for correction (spec §4.1). Iteration i (1…`iterations`): sample `samplesPerProblem`
/// two-turn traces per problem at temperature T from the latest model M_{i−1} (M_0 = base), keep
/// i → c traces (D_STaR; plus c → c for D⁺_STaR) with `SCoReBaselineData.star`, and fine-tune
/// **a fresh copy of the base model** on this iteration's data, turn 2 only, giving M_i.
///
/// [OURS] Restarting from the base each iteration and training on the latest iteration's data is
/// ReST-EM's protocol (Singh et al. 2024, "fine-tune the base model" in every Improve step), which
/// [P] says its STaR baseline follows; it keeps later rounds from compounding over-fitting on a
/// few hundred traces. Iterations whose filter keeps nothing leave M_i = base.
public enum SCoReSTaRBaseline {
  public static func run(
    base: Transformer, inputs: SCoReRunInputs, config: SCoReSTaRConfig, sampler: SCoReSamplerFactory? = nil,
    onRecord: @escaping (SCoReRunRecord) throws -> Void = { _ in }
  ) async throws -> SCoReSFTBaselineResult {
    guard config.iterations >= 1 else {
      throw SCoReTrainingError.invalidStage("STaR needs ≥ 1 iteration, got \(config.iterations)")
    }
    let recorder = SCoReRecorder(onRecord)
    let makeSampler = sampler ?? { inputs.nativeModel($0) }
    var latest = base
    var rounds: [SCoReSFTRound] = []
    for iteration in 1...config.iterations {
      let episodes = try await SCoReBaselineSFT.sample(
        model: makeSampler(latest), inputs: inputs, samplesPerProblem: config.samplesPerProblem, turns: 2,
        temperature: config.temperature, maxNewTokens: config.maxNewTokens,
        seed: config.seed &+ UInt64(iteration) &* 0x9E37_79B9)
      let examples = try SCoReBaselineData.star(
        traces: episodes, problems: inputs.problems, prompts: inputs.prompts, layout: inputs.layout,
        includeCorrectToCorrect: config.includeCorrectToCorrect)
      let sequences = SCoReBaselineSFT.sequences(examples, inputs: inputs)
      var stats = SCoReBaselineSFT.stats(episodes)
      stats["kept"] = Double(examples.count)
      stats["kept_i2c"] = Double(examples.filter { $0.kind == .incorrectToCorrect }.count)
      try recorder.log("star-iter\(iteration)-sample", step: 0, stats)
      var sft = config.sft
      sft.seed = config.sft.seed &+ UInt64(iteration)
      latest = try SCoReBaselineSFT.fineTune(
        base: base, sequences: sequences, config: sft, phase: "star-iter\(iteration)-sft", recorder: recorder)
      rounds.append(SCoReSFTRound(episodes: episodes, examples: examples, sequences: sequences))
    }
    return SCoReSFTBaselineResult(model: latest, rounds: rounds, records: recorder.records)
  }
}
