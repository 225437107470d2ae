import Generation
import Models
import Rollouts
import TensorCore
import Tokenizers

/// What every SCoRe method and baseline runner works on: the problems, the oracle checker, the
/// prompt set and layout (the same at training and evaluation, spec §1.4 (d)), and how contexts
/// become token ids (`tokenizer` + `template`; the template only matters for the `.chat` layout).
///
/// Synthetic char models: `prompts = .synthetic(firstTurn: "", correction:
/// SyntheticFormat.scoreInstruction, separator: "\n")`, `layout = .text`, `template = .plain`,
/// `tokenizer = SyntheticFormat.tokenizer()` — the layout the base model was pre-trained on.
public struct SCoReRunInputs: Sendable {
  public var tokenizer: any Tokenizer
  public var prompts: SCoRePromptSet
  public var layout: SCoRePromptLayout
  public var template: ChatTemplate
  public var problems: [SCoReProblem]
  public var checker: SCoReChecker

  public init(
    tokenizer: any Tokenizer, prompts: SCoRePromptSet, layout: SCoRePromptLayout = .text,
    template: ChatTemplate = .plain, problems: [SCoReProblem], checker: @escaping SCoReChecker
  ) {
    self.tokenizer = tokenizer
    self.prompts = prompts
    self.layout = layout
    self.template = template
    self.problems = problems
    self.checker = checker
  }

  /// The in-process sampler over `model` (the default `LanguageModel` seam of the runners).
  public func nativeModel(_ model: Transformer, name: String = "native") -> NativeLanguageModel {
    NativeLanguageModel(name: name, model: model, tokenizer: tokenizer, template: template, maxBatch: 64)
  }

  /// Token ids of a context exactly as the native sampler sees it.
  public func encode(_ prompt: Prompt) -> [Int] {
    switch prompt {
    case .text(let s):
      var ids = tokenizer.encode(s)
      if ids.isEmpty, let bos = tokenizer.bosTokenID ?? tokenizer.eosTokenID { ids = [bos] }
      return ids
    case .chat(let messages):
      return tokenizer.encodeWithSpecial(template.render(messages, addGenerationPrompt: true))
    }
  }
}

/// Builds the `LanguageModel` that samples from a given transformer. Runners sample through it, so
/// a caller can put a server in front of the same weights (`--api-base`); the default is
/// `SCoReRunInputs.nativeModel`.
public typealias SCoReSamplerFactory = @Sendable (Transformer) -> any LanguageModel

/// One logged record of a method run: which phase (e.g. "star-iter2-sft", "stageI-1"), the step
/// within the phase, a run-wide step counter, and the values.
public struct SCoReRunRecord: Sendable, Codable, Equatable {
  public var phase: String
  public var phaseStep: Int
  public var step: Int
  public var values: [String: Double]

  public init(phase: String, phaseStep: Int, step: Int, values: [String: Double]) {
    self.phase = phase
    self.phaseStep = phaseStep
    self.step = step
    self.values = values
  }

  /// The record as a `MetricsLog` line: the values plus "phase", "phase_step" and "step".
  public var metricsLine: [String: Any] {
    var d: [String: Any] = values
    d["phase"] = phase
    d["phase_step"] = phaseStep
    d["step"] = step
    return d
  }
}

/// Collects records, numbering them run-wide, and forwards each to the caller as it happens.
final class SCoReRecorder {
  private(set) var records: [SCoReRunRecord] = []
  private let sink: (SCoReRunRecord) throws -> Void

  init(_ sink: @escaping (SCoReRunRecord) throws -> Void) { self.sink = sink }

  func log(_ phase: String, step: Int, _ values: [String: Double]) throws {
    let r = SCoReRunRecord(phase: phase, phaseStep: step, step: records.count + 1, values: values)
    records.append(r)
    try sink(r)
  }
}

public enum SCoReModelCopy {
  /// A new transformer with `model`'s configuration and a copy of its weights (so fine-tuning the
  /// copy leaves `model` untouched).
  public static func copy(_ model: Transformer) -> Transformer {
    var rng = SeededRNG(seed: 0)  // weights are overwritten below; the init draw is irrelevant
    let out = Transformer(config: model.config, rng: &rng)
    let source = Dictionary(
      model.namedParameters().map { ($0.name, $0.tensor) }, uniquingKeysWith: { a, _ in a })
    for (name, tensor) in out.namedParameters() {
      guard let s = source[name] else { preconditionFailure("copy: parameter \(name) missing in the source") }
      tensor.assign(s)
    }
    return out
  }
}
