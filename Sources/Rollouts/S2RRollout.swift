import Tokenizers
import Verifiers

/// A parsed response together with the text of each action (decoded per action, so a multi-byte
/// character cut across an action border decodes to U+FFFD there and nowhere else).
///
/// Example: response text `"x=1 \\boxed{1}" + "Wait," + " ok. Therefore, the answer is correct."`
/// parsed with RL markers → `attemptAnswers == ["1"]`, `verificationTexts == [" ok. Therefore, …"]`,
/// `finalAnswer == "1"`.
public struct S2RRollout: Sendable, Equatable {
  public var ids: [Int]
  public var parsed: S2RParsedResponse
  /// Text of every action (markers included), aligned with `parsed.actions`.
  public var actionTexts: [String]

  public init(ids: [Int], parsed: S2RParsedResponse, decode: ([Int]) -> String) {
    self.ids = ids
    self.parsed = parsed
    actionTexts = parsed.actions.map { decode(Array(ids[$0.tokenRange])) }
  }

  /// Parses `ids` token-level with `parser` and decodes with `tokenizer`.
  public init(ids: [Int], parser: S2RActionParser, tokenizer: some Tokenizer) {
    self.init(ids: ids, parsed: parser.parse(ids), decode: { tokenizer.decode($0) })
  }

  /// The response text up to the stop id (all actions joined).
  public var text: String { actionTexts.joined() }

  public var attemptTexts: [String] { texts(of: .solve) }
  public var verificationTexts: [String] { texts(of: .verify) }

  /// Boxed answer of each attempt, "" when it has none (as `S2RTrajectory.attemptAnswers`).
  public var attemptAnswers: [String] { attemptTexts.map { AnswerExtractor.lastBoxed($0) ?? "" } }

  /// Answer of the whole rollout as the evaluation harness reads it (spec §6.3): the last box anywhere,
  /// else the extractor's fallbacks — the same rule as `S2RTrajectory.finalAnswer`.
  public func finalAnswer(options: AnswerExtractionOptions = AnswerExtractionOptions()) -> String? {
    S2RTrajectory(text).finalAnswer(options: options)
  }

  func texts(of kind: S2RActionKind) -> [String] {
    zip(parsed.actions, actionTexts).filter { $0.0.kind == kind }.map(\.1)
  }
}
