import Generation
import Models
import Rollouts
import Tokenizers

/// The supervised half of SCoRe's SFT baselines (STaR, Pair-SFT; spec §4.1): correction examples
/// become token sequences trained on turn 2 only, and a copy of the base model is fine-tuned on them.
public enum SCoReBaselineSFT {
  /// One sequence per example: the turn-2 context x1 ⊕ y1 ⊕ p with weight 0 (prompt, first
  /// attempt and instruction never receive gradient, §1.4 (b), (c)), then y2 and EOS with weight 1.
  ///
  /// Example (char tokenizer, text layout, context "2+3\n6\nFix.\n", target "5"): 11 context ids
  /// with weight 0, then the id of "5" and EOS with weight 1.
  public static func sequences(_ examples: [SCoReSFTExample], inputs: SCoReRunInputs) -> [TrainingSequence] {
    let eos = inputs.tokenizer.eosTokenID.map { [$0] } ?? []
    return examples.map {
      TrainingSequence(prompt: inputs.encode($0.prompt), completion: inputs.tokenizer.encode($0.target) + eos)
    }
  }

  /// Fine-tunes a fresh copy of `base` on `sequences` with `config`; with no sequences the copy is
  /// returned untrained (a data set can be empty when no sample was ever fixed). Every optimiser
  /// step is logged under `phase`.
  static func fineTune(
    base: Transformer, sequences: [TrainingSequence], config: SFTConfig, phase: String,
    recorder: SCoReRecorder
  ) throws -> Transformer {
    let model = SCoReModelCopy.copy(base)
    guard !sequences.isEmpty, config.steps > 0 else { return model }
    try SFTTrainer(model: model, data: sequences, config: config).train(onStep: { r in
      try recorder.log(phase, step: r.step, r.values)
    })
    return model
  }

  /// Samples `samplesPerProblem` episodes of `turns` attempts per problem from `model`.
  static func sample(
    model: any LanguageModel, inputs: SCoReRunInputs, samplesPerProblem: Int, turns: Int, temperature: Double,
    maxNewTokens: Int, seed: UInt64
  ) async throws -> [SCoReEpisode] {
    let runner = SCoReEpisodeRunner(
      model: model, prompts: inputs.prompts,
      config: SCoReRolloutConfig(
        samplesPerProblem: samplesPerProblem, turns: turns,
        params: SamplingParams(temperature: temperature, maxNewTokens: maxNewTokens), layout: inputs.layout,
        seed: seed))
    return try await runner.run(problems: inputs.problems, checker: inputs.checker)
  }

  /// Sampling statistics of a batch of episodes: accuracy per attempt and the number of episodes.
  static func stats(_ episodes: [SCoReEpisode]) -> [String: Double] {
    let n = Double(max(episodes.count, 1))
    var values: [String: Double] = ["episodes": Double(episodes.count)]
    let turns = episodes.map(\.attempts.count).min() ?? 0
    for t in 0..<turns {
      values["acc_t\(t + 1)"] = Double(episodes.filter { $0.attempts[t].isCorrect }.count) / n
    }
    return values
  }
}
