import Foundation
import Generation
import Tokenizers

/// Where stage-0 verifications come from (spec §2.2): given the problem and one *extracted final
/// answer* (never the reasoning), a confirmative verification text, or nil when none is available.
/// `correct` is the truth, for generators that can write a verification of either verdict (synthetic
/// tasks); an LLM source ignores it.
public protocol S2RVerificationSource: Sendable {
  func verification(problem: String, answer: String, correct: Bool) async throws -> String?
}

/// A verification source from a closure (e.g. the synthetic task generator's `verification(for:answer:)`).
public struct S2RClosureVerificationSource: S2RVerificationSource {
  public let body: @Sendable (String, String, Bool) async throws -> String?

  public init(_ body: @escaping @Sendable (String, String, Bool) async throws -> String?) {
    self.body = body
  }

  public func verification(problem: String, answer: String, correct: Bool) async throws -> String? {
    try await body(problem, answer, correct)
  }
}

/// A verification source that asks a language model with the official collection prompt (spec §2.2:
/// one user message, n = 1, temperature 0.1). Sample seeds are `seed` mixed with an FNV-1a hash of
/// problem and answer, so a rerun asks the same question with the same seed in any order.
public struct S2RLLMVerificationSource: S2RVerificationSource {
  /// The prompt of `tools/2_collect_verification.py` (a data format, kept literally, trailing space
  /// after the second sentence included).
  public static let promptTemplate = """
    You are a math teacher. I will give you a math problem and an answer, please tell me whether this answer \
    is correct.
    You cannot solve the problem step by step, you must use other methods to prove whether the answer is \
    correct.\u{20}

    * Question:
    {question}

    * Answer:
    {answer}

    * Your Prove:
    """

  public var model: any LanguageModel
  public var params: SamplingParams
  public var seed: UInt64

  public init(
    model: any LanguageModel, params: SamplingParams = SamplingParams(temperature: 0.1, maxNewTokens: 1024),
    seed: UInt64 = 0
  ) {
    self.model = model
    self.params = params
    self.seed = seed
  }

  /// The filled prompt.
  public static func prompt(problem: String, answer: String) -> String {
    promptTemplate.replacingOccurrences(of: "{question}", with: problem)
      .replacingOccurrences(of: "{answer}", with: answer)
  }

  public func verification(problem: String, answer: String, correct: Bool) async throws -> String? {
    let hash = (problem + "\u{0}" + answer).utf8.reduce(0xcbf2_9ce4_8422_2325 as UInt64) {
      ($0 ^ UInt64($1)) &* 0x100_0000_01b3
    }
    let request = CompletionRequest(
      prompt: .chat([.user(Self.prompt(problem: problem, answer: answer))]), params: params, n: 1,
      seed: seed ^ hash)
    let text = try await model.complete([request]).first?.first?.text ?? ""
    return text.isEmpty ? nil : text
  }
}
