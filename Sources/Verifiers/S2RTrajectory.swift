import Foundation

/// An S²R trajectory cut into attempts and verifications (S²R spec §1):
/// `s1 + CHECK + v1 + RETRY + s2 + CHECK + v2 + … + sk + CHECK + vk`.
///
/// Example: `S2RTrajectory("A \\boxed{1}" + S2RTrajectory.checkMarker + "No." + S2RTrajectory.retryMarker
/// + "B \\boxed{2}").attemptAnswers` is `["1", "2"]`.
public struct S2RTrajectory: Sendable, Equatable {
  public static let checkMarker = "\n\nWait, let me recheck my solution.\n\n"
  public static let retryMarker = "\n\nLet me try again.\n\n"

  public struct Turn: Sendable, Equatable {
    public var attempt: String
    /// The verification after the attempt, nil when the trajectory ends without one.
    public var verification: String?

    public init(attempt: String, verification: String?) {
      self.attempt = attempt
      self.verification = verification
    }
  }

  public var turns: [Turn]
  /// The whole text (the final answer is the last box anywhere, as in the Qwen2.5-Math harness).
  public var text: String

  public init(_ text: String) {
    self.text = text
    turns = text.components(separatedBy: Self.retryMarker).map { chunk in
      if let r = chunk.range(of: Self.checkMarker) {
        return Turn(attempt: String(chunk[..<r.lowerBound]), verification: String(chunk[r.upperBound...]))
      }
      return Turn(attempt: chunk, verification: nil)
    }
  }

  /// Boxed answer of each attempt ("" for an attempt without a box, as S²R's reward code does).
  public var attemptAnswers: [String] {
    turns.map { AnswerExtractor.lastBoxed($0.attempt) ?? "" }
  }

  /// Answer of the whole trajectory: last box anywhere, else the extractor's fallbacks.
  public func finalAnswer(options: AnswerExtractionOptions = AnswerExtractionOptions()) -> String? {
    AnswerExtractor.extract(text, options: options)?.text
  }
}
