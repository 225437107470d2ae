import Foundation
import Generation
import Tokenizers

/// Where stage-0 verifications come from (spec §2.2): given the problem and one *extracted final
/// answer* (never the reasoning), a confirmative verification text, or nil when none is available.
/// `correct` is the truth, for generators that can write a verification of either verdict (synthetic
/// tasks); an LLM source ignores it.
public protocol S2RVerificationSource: Sendable {
  func verification(problem: String, answer: String, correct: Bool) async throws -> String?
  /// Several verifications at once, in the order asked. The default asks one by one; a model-backed
  /// source sends them together, so a local model decodes them as one batch and a server gets them
  /// concurrently (stage 0 asks up to 5 per problem).
  func verifications(_ queries: [S2RVerificationQuery]) async throws -> [String?]
}

/// One verification to ask for: a problem, one extracted answer, and whether that answer is right.
public struct S2RVerificationQuery: Sendable, Equatable {
  public var problem: String
  public var answer: String
  public var correct: Bool
  public init(problem: String, answer: String, correct: Bool) {
    self.problem = problem
    self.answer = answer
    self.correct = correct
  }
}

extension S2RVerificationSource {
  public func verifications(_ queries: [S2RVerificationQuery]) async throws -> [String?] {
    var out: [String?] = []
    for q in queries {
      out.append(try await verification(problem: q.problem, answer: q.answer, correct: q.correct))
    }
    return out
  }
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
    try await verifications([S2RVerificationQuery(problem: problem, answer: answer, correct: correct)])[0]
  }

  /// One `complete` call for all queries: each request keeps its own seed, so a verification does not
  /// depend on what else is asked with it (a local model decodes them as one batch, an
  /// OpenAI-compatible backend sends them concurrently up to its `--max-concurrency`).
  public func verifications(_ queries: [S2RVerificationQuery]) async throws -> [String?] {
    guard !queries.isEmpty else { return [] }
    let requests = queries.map { q in
      let hash = (q.problem + "\u{0}" + q.answer).utf8.reduce(0xcbf2_9ce4_8422_2325 as UInt64) {
        ($0 ^ UInt64($1)) &* 0x100_0000_01b3
      }
      return CompletionRequest(
        prompt: .chat([.user(Self.prompt(problem: q.problem, answer: q.answer))]), params: params, n: 1,
        seed: seed ^ hash)
    }
    let replies = try await model.complete(requests)
    return queries.indices.map { i in
      let text = i < replies.count ? replies[i].first?.text ?? "" : ""
      return text.isEmpty ? nil : text
    }
  }
}
