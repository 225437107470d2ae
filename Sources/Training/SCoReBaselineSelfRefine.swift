import Generation
import Rollouts

/// Settings of the Self-Refine evaluation protocol (spec §4.1 [OURS]: one round).
public struct SCoReSelfRefineConfig: Codable, Sendable, Equatable {
  /// Feedback and rewrite requests; nil picks `SCoReSelfRefinePrompts.forTask` (chat layout) or
  /// `.synthetic` (synthetic task in text layout).
  public var refine: SCoReSelfRefinePrompts?
  /// 0 = greedy, as every reported evaluation (§1.6).
  public var temperature: Double
  public var maxNewTokens: Int
  public var samplesPerProblem: Int
  public var seed: UInt64

  public init(
    refine: SCoReSelfRefinePrompts? = nil, temperature: Double = 0, maxNewTokens: Int = 1024,
    samplesPerProblem: Int = 1, seed: UInt64 = 0
  ) {
    self.refine = refine
    self.temperature = temperature
    self.maxNewTokens = maxNewTokens
    self.samplesPerProblem = samplesPerProblem
    self.seed = seed
  }
}

extension SCoReSelfRefinePrompts {
  /// [OURS] Self-Refine requests for the synthetic char models, over their alphabet
  /// (`SyntheticFormat.alphabet`): "Check:" asks for feedback on y1, "Rewrite:" for y2. A model
  /// pre-trained on `SyntheticCorpus` has seen neither (it knows only the SCoRe instruction), just as
  /// an LLM meets Self-Refine's prompts zero-shot; the protocol, not the wording, is what is compared.
  public static let synthetic = SCoReSelfRefinePrompts(feedbackRequest: "Check:", rewriteRequest: "Rewrite:")
}

/// Self-Refine (Madaan et al. 2023) as SCoRe's prompting-only baseline: no training, an evaluation
/// protocol over any `LanguageModel` (native or a server) producing two-attempt episodes that
/// `SCoReMetrics` scores like SCoRe's — y1 from the turn-1 prompt, the model's feedback on y1, then
/// y2 = its rewrite using that feedback (`SCoReSelfRefineRunner`). In the text layout the
/// conversation is rendered as plain text by `SCoReTextLayoutModel`:
/// `x1 ⊕ sep ⊕ y1 ⊕ sep ⊕ feedbackRequest ⊕ sep ⊕ feedback ⊕ sep ⊕ rewriteRequest ⊕ sep`.
public enum SCoReSelfRefineBaseline {
  public static func run(
    model: any LanguageModel, inputs: SCoReRunInputs, config: SCoReSelfRefineConfig
  ) async throws -> [SCoReEpisode] {
    let textLayout = inputs.layout == .text
    let backend: any LanguageModel =
      textLayout ? SCoReTextLayoutModel(base: model, prompts: inputs.prompts) : model
    let refine =
      config.refine
      ?? (textLayout && inputs.prompts.task == .synthetic ? .synthetic : .forTask(inputs.prompts.task))
    let runner = SCoReSelfRefineRunner(
      model: backend, prompts: inputs.prompts, refine: refine,
      params: SamplingParams(temperature: config.temperature, maxNewTokens: config.maxNewTokens),
      samplesPerProblem: config.samplesPerProblem, seed: config.seed)
    return try await runner.run(problems: inputs.problems, checker: inputs.checker)
  }
}
