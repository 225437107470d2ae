import Foundation

/// What a verification concludes about the attempt it checks.
public enum S2RVerdict: String, Sendable, Codable, Equatable {
  case correct, incorrect
}

/// The verdict read from a verification text and the rule that decided it (nil: undetermined).
public struct S2RVerdictReading: Sendable, Equatable {
  public var verdict: S2RVerdict?
  public var rule: String
  public init(verdict: S2RVerdict?, rule: String) {
    self.verdict = verdict
    self.rule = rule
  }
}

/// The one S²R verdict parser, used for RL rewards, inference stopping, data construction and metrics
/// (spec §2.3, §4.3, §9.7 — the official code has three different ones). Rules, in order:
/// 1. `fixed-sentence`: the last `"Therefore, the answer is X."` (case-insensitive) whose X is
///    `correct` or `incorrect` (the closing sentence that refined data and our synthetic tasks end
///    with; online RL's first rule). `"… cannot be verified."` there → undetermined.
/// 2. `last-sentence`: the data-construction phrase lists (§2.3) on the last sentence (text split on
///    `.`; the piece before a trailing `.`), incorrect phrases first, then correct phrases, then
///    `"plausible"` → correct. A last sentence with `"cannot"` and `"verif"` → undetermined.
/// 3. `previous-sentence`: the phrase lists on the sentence before it (§2.3 rule 6).
/// 4. `keyword` (only with `scope == .wholeText`): online RL's keywords anywhere — `"is incorrect"`,
///    `"cannot verify"` → incorrect; `"is correct"`, `"is indeed"`, `"verified to be correct"`,
///    `"verified as correct"` → correct.
/// Otherwise undetermined. RL resolves undetermined positionally (`verdict(_:isLastAction:)`, §4.3
/// rule 4); data construction discards it. Why this order: the fixed sentence is the contract of the
/// data; sentence-local phrases beat keywords anywhere, which misfire on reasoning such as "if x = 2
/// the sum is incorrect, but x = 3 …".
///
/// Example: `read("Substituting gives 7. Therefore, the answer is incorrect.")` →
/// (incorrect, fixed-sentence); `read("Plugging in, 3 + 4 = 7, so the answer is reasonable.")` →
/// (correct, last-sentence); `verdict("I am not sure.", isLastAction: true)` → correct.
public enum S2RVerdictParser {
  public enum Scope: String, Sendable, Codable { case lastSentences, wholeText }

  public static let incorrectPhrases = [
    "is incorrect", "is likely incorrect", "is unlikely correct", "answer is wrong", "incorrect answer",
    "not the correct answer", "answer is not correct", "solution is incorrect", "calculation is wrong",
    "result is incorrect",
  ]
  public static let correctPhrases = [
    "is correct", "appears to be correct", "answer is reasonable", "solution is correct",
    "calculation is correct",
    "result is correct", "correctly solved", "answer checks out",
  ]
  static let keywordIncorrect = ["is incorrect", "cannot verify"]
  static let keywordCorrect = ["is correct", "is indeed", "verified to be correct", "verified as correct"]
  static let fixedPrefix = "therefore, the answer is "

  public static func read(_ text: String, scope: Scope = .wholeText) -> S2RVerdictReading {
    let lower = text.lowercased()
    if let fixed = fixedSentence(lower) { return fixed }
    let pieces = lower.components(separatedBy: ".")
    let lastIndex = lower.hasSuffix(".") ? pieces.count - 2 : pieces.count - 1
    if lastIndex >= 0 {
      let last = pieces[lastIndex]
      if let v = phraseVerdict(last) { return S2RVerdictReading(verdict: v, rule: "last-sentence") }
      if last.contains("plausible") { return S2RVerdictReading(verdict: .correct, rule: "last-sentence") }
      if last.contains("cannot") && last.contains("verif") {
        return S2RVerdictReading(verdict: nil, rule: "cannot-verify")
      }
      if lastIndex >= 1, let v = phraseVerdict(pieces[lastIndex - 1]) {
        return S2RVerdictReading(verdict: v, rule: "previous-sentence")
      }
    }
    if scope == .wholeText {
      if keywordIncorrect.contains(where: lower.contains) {
        return S2RVerdictReading(verdict: .incorrect, rule: "keyword")
      }
      if keywordCorrect.contains(where: lower.contains) {
        return S2RVerdictReading(verdict: .correct, rule: "keyword")
      }
    }
    return S2RVerdictReading(verdict: nil, rule: "undetermined")
  }

  /// RL verdict (spec §4.3): `read`, and when undetermined the positional default — correct if this
  /// verification is the last content action of the rollout, incorrect otherwise.
  public static func verdict(_ text: String, isLastAction: Bool) -> S2RVerdict {
    read(text).verdict ?? (isLastAction ? .correct : .incorrect)
  }

  /// Only the fixed closing sentence (rule 1), for decisions on text that may still be growing
  /// (inference stopping), where a phrase could match a sentence that is not finished yet.
  public static func fixedSentenceVerdict(_ text: String) -> S2RVerdict? {
    fixedSentence(text.lowercased())?.verdict
  }

  static func fixedSentence(_ lower: String) -> S2RVerdictReading? {
    var searchEnd = lower.endIndex
    while let r = lower.range(of: fixedPrefix, options: .backwards, range: lower.startIndex..<searchEnd) {
      let tail = lower[r.upperBound...]
      if let dot = tail.firstIndex(of: ".") {
        switch tail[..<dot] {
        case "correct": return S2RVerdictReading(verdict: .correct, rule: "fixed-sentence")
        case "incorrect": return S2RVerdictReading(verdict: .incorrect, rule: "fixed-sentence")
        case "cannot be verified": return S2RVerdictReading(verdict: nil, rule: "cannot-verify")
        default: break
        }
      }
      searchEnd = r.lowerBound
    }
    return nil
  }

  static func phraseVerdict(_ sentence: String) -> S2RVerdict? {
    if incorrectPhrases.contains(where: sentence.contains) { return .incorrect }
    if correctPhrases.contains(where: sentence.contains) { return .correct }
    return nil
  }
}
