import Foundation

/// The three fixed closing sentences of a refined stage-0 verification (spec §2.2, paper App. C.3:
/// the gpt-4o rewrite ends every verification with exactly one of them), and the normalisation
/// that makes a raw LLM verification end that way.
///
/// Why normalise instead of asking a second model to rewrite (the paper's C.3 step): the closing
/// sentence is the contract the RL-time verdict parser (§4.3 rule 1) and inference stopping rely
/// on, and it can be stated exactly from the verdict we already read; a rewrite call would double
/// the verifier cost and could itself change the verdict. [OURS]
public enum S2RVerdictSentence {
  public static let correct = "Therefore, the answer is correct."
  public static let incorrect = "Therefore, the answer is incorrect."
  public static let cannotVerify = "Therefore, the answer cannot be verified."
  public static let all = [correct, incorrect, cannotVerify]

  /// The sentence of `verdict`.
  public static func sentence(_ verdict: S2RVerdict) -> String {
    verdict == .correct ? correct : incorrect
  }

  /// `text` with every fixed sentence removed (case-insensitive), surrounding whitespace trimmed,
  /// and exactly one closing sentence for `verdict` appended (after a blank line, or alone when
  /// nothing else is left).
  ///
  /// Example: `normalised("7 + 5 = 12 checks out. Therefore, the answer is correct.\n", .correct)` →
  /// `"7 + 5 = 12 checks out.\n\nTherefore, the answer is correct."`.
  public static func normalised(_ text: String, verdict: S2RVerdict) -> String {
    var body = text
    for s in all {
      body = body.replacingOccurrences(of: s, with: "", options: .caseInsensitive)
    }
    body = body.trimmingCharacters(in: .whitespacesAndNewlines)
    let closing = sentence(verdict)
    return body.isEmpty ? closing : body + "\n\n" + closing
  }

  /// Whether `text` ends with exactly one fixed sentence and contains no other.
  public static func endsWithExactlyOne(_ text: String) -> Bool {
    let count = all.reduce(0) { $0 + text.lowercased().components(separatedBy: $1.lowercased()).count - 1 }
    return count == 1 && all.contains { text.hasSuffix($0) }
  }
}
