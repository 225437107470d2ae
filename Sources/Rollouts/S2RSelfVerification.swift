/// Why self-verifying inference stopped.
public enum S2RStopReason: String, Sendable, Codable, Equatable {
  /// The model emitted a stop id.
  case endOfSequence
  /// The model's own last verification ended with "Therefore, the answer is correct.".
  case verifiedCorrect
  /// A further attempt would exceed `maxAttempts`.
  case attemptBudget
  /// The response reached `maxTokens`.
  case tokenBudget
  /// The continuation returned no tokens.
  case noProgress
}

/// Budgets of self-verifying inference.
public struct S2RInferenceBudget: Sendable, Codable, Equatable {
  public var maxAttempts: Int
  public var maxTokens: Int
  public init(maxAttempts: Int = 4, maxTokens: Int = 2048) {
    self.maxAttempts = maxAttempts
    self.maxTokens = maxTokens
  }
}

/// The pure decision of self-verifying inference (spec §1 transition rule: verify → end on CORRECT).
public struct S2RStopDecision: Sendable, Equatable {
  /// Nil: keep generating.
  public var reason: S2RStopReason?
  /// How many response tokens to keep (the rest is cut off).
  public var keep: Int
  /// Attempts in the kept response.
  public var attemptsUsed: Int

  public init(reason: S2RStopReason?, keep: Int, attemptsUsed: Int) {
    self.reason = reason
    self.keep = keep
    self.attemptsUsed = attemptsUsed
  }
}

/// Self-verifying inference: decide after each generated chunk whether to stop, and a loop around a
/// `(prefix ids) -> continuation ids` closure so it is testable without a model.
///
/// Decision on the response so far, in order of position in the text (the first that applies wins):
/// - a completed verification (followed by a marker, or at a stop id) whose fixed closing sentence says
///   correct → stop `verifiedCorrect`, keep through that verification (a retry the model wrote after
///   its own "correct" is cut);
/// - a retry marker that would open attempt `maxAttempts + 1` → stop `attemptBudget`, keep up to the
///   marker;
/// - a stop id → stop `endOfSequence`, keep through the stop id;
/// - `maxTokens` reached → `tokenBudget` (keep `maxTokens`); otherwise continue. Only the first
///   `maxTokens` tokens are looked at. Only the fixed
///   sentence is used while text is growing (see `S2RVerdictParser.fixedSentenceVerdict`); a
///   verification that is still open but already states the fixed "correct" sentence stops too.
///
/// Example (check [7], retry [8], stop [0], maxAttempts 2): response `s1 7 v1(incorrect) 8 s2 7
/// v2(correct) 8 s3` → verifiedCorrect, keep = end of v2, attemptsUsed 2.
public struct S2RSelfVerification: Sendable {
  public var parser: S2RActionParser
  public var budget: S2RInferenceBudget

  public init(parser: S2RActionParser, budget: S2RInferenceBudget) {
    self.parser = parser
    self.budget = budget
  }

  public func decide(response: [Int], decode: ([Int]) -> String) -> S2RStopDecision {
    // Only the first maxTokens tokens count; anything past the budget is never kept.
    let view = Array(response.prefix(budget.maxTokens))
    let p = parser.parse(view)
    var attempts = 0
    for a in p.actions {
      switch a.kind {
      case .solve:
        attempts += 1
      case .marker:
        if a.marker == .retry && attempts >= budget.maxAttempts {
          return S2RStopDecision(
            reason: .attemptBudget, keep: a.tokenRange.lowerBound, attemptsUsed: attempts)
        }
      case .verify:
        if S2RVerdictParser.fixedSentenceVerdict(decode(Array(view[a.tokenRange]))) == .correct {
          return S2RStopDecision(
            reason: .verifiedCorrect, keep: a.tokenRange.upperBound, attemptsUsed: attempts)
        }
      }
    }
    if p.stopped {
      return S2RStopDecision(reason: .endOfSequence, keep: p.responseEnd + 1, attemptsUsed: attempts)
    }
    if response.count >= budget.maxTokens {
      return S2RStopDecision(reason: .tokenBudget, keep: budget.maxTokens, attemptsUsed: attempts)
    }
    return S2RStopDecision(reason: nil, keep: response.count, attemptsUsed: attempts)
  }

  /// Generates until `decide` stops: each call of `continuation` gets prompt + response so far and
  /// returns the next chunk (e.g. generation up to a stop id, the retry marker, or a chunk size).
  /// Returns the kept response, the reason and the attempts used.
  public func run(
    prompt: [Int], decode: ([Int]) -> String, continuation: ([Int]) async throws -> [Int]
  ) async throws -> (response: [Int], decision: S2RStopDecision) {
    var response: [Int] = []
    while true {
      let chunk = try await continuation(prompt + response)
      if chunk.isEmpty {
        let d = decide(response: response, decode: decode)
        return (
          Array(response.prefix(d.keep)),
          S2RStopDecision(reason: d.reason ?? .noProgress, keep: d.keep, attemptsUsed: d.attemptsUsed)
        )
      }
      response += chunk
      let d = decide(response: response, decode: decode)
      if d.reason != nil { return (Array(response.prefix(d.keep)), d) }
    }
  }
}
