import Generation
import Models
import Rollouts
import TensorCore

/// Settings of the Pair-SFT baseline (spec §4.1; a variant of Welleck et al. 2023).
public struct SCoRePairSFTConfig: Codable, Sendable, Equatable {
  /// Independent first attempts sampled per problem from the base model.
  public var samplesPerProblem: Int
  public var temperature: Double
  public var maxNewTokens: Int
  /// D⁺_SFT: also pair correct responses with correct ones.
  public var includeCorrectToCorrect: Bool
  /// The single supervised run (turn 2 only).
  public var sft: SFTConfig
  public var seed: UInt64

  public init(
    samplesPerProblem: Int = 8, temperature: Double = 1, maxNewTokens: Int = 96,
    includeCorrectToCorrect: Bool = false,
    sft: SFTConfig = SFTConfig(steps: 100, batchSize: 16, learningRate: 1e-4), seed: UInt64 = 0
  ) {
    self.samplesPerProblem = samplesPerProblem
    self.temperature = temperature
    self.maxNewTokens = maxNewTokens
    self.includeCorrectToCorrect = includeCorrectToCorrect
    self.sft = sft
    self.seed = seed
  }
}

/// Pair-SFT (spec §4.1): sample `samplesPerProblem` first attempts per problem from the base model,
/// pair every incorrect one with a correct one of the same problem (y1 := incorrect, y2 := correct;
/// D⁺_SFT adds c → c pairs) with `SCoReBaselineData.pairSFT`, and fine-tune a copy of the base
/// model once on them, turn 2 only. One round; with no pairs the copy is returned untrained.
public enum SCoRePairSFTBaseline {
  public static func run(
    base: Transformer, inputs: SCoReRunInputs, config: SCoRePairSFTConfig,
    sampler: SCoReSamplerFactory? = nil,
    onRecord: @escaping (SCoReRunRecord) throws -> Void = { _ in }
  ) async throws -> SCoReSFTBaselineResult {
    let recorder = SCoReRecorder(onRecord)
    let model = (sampler ?? { inputs.nativeModel($0) })(base)
    let samples = try await SCoReBaselineSFT.sample(
      model: model, inputs: inputs, samplesPerProblem: config.samplesPerProblem, turns: 1,
      temperature: config.temperature, maxNewTokens: config.maxNewTokens, seed: config.seed)
    var rng = SeededRNG(seed: config.seed &+ 0x5F)
    let examples = try SCoReBaselineData.pairSFT(
      samples: samples, problems: inputs.problems, prompts: inputs.prompts, layout: inputs.layout,
      includeCorrectToCorrect: config.includeCorrectToCorrect, using: &rng)
    let sequences = SCoReBaselineSFT.sequences(examples, inputs: inputs)
    var stats = SCoReBaselineSFT.stats(samples)
    stats["pairs"] = Double(examples.count)
    stats["pairs_i2c"] = Double(examples.filter { $0.kind == .incorrectToCorrect }.count)
    try recorder.log("pair-sft-sample", step: 0, stats)
    let trained = try SCoReBaselineSFT.fineTune(
      base: base, sequences: sequences, config: config.sft, phase: "pair-sft", recorder: recorder)
    return SCoReSFTBaselineResult(
      model: trained, rounds: [SCoReSFTRound(episodes: samples, examples: examples, sequences: sequences)],
      records: recorder.records)
  }
}
