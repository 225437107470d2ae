import Datasets
import Tokenizers

/// The text layout of synthetic-task episodes for tiny character-level models, shared by
/// pre-training, S²R trajectories and SCoRe episodes (so training and evaluation use one
/// template, SCoRe §1.4 rule (d)).
///
///   prompt             := problem "\n"                       e.g. "3x+7=22\n"
///   single attempt     := prompt solution <eos>
///   SCoRe two turns    := prompt y1 "\n" instruction "\n" y2 <eos>
///   S²R trajectory     := prompt s1 "\n\nWait, let me recheck my solution.\n\n" v1
///                         "\n\nLet me try again.\n\n" s2 … vk <eos>
///
/// The SCoRe instruction is a short stand-in for the paper's "There might be an error in the
/// solution above … rewrite the solution" (§1.3): a tiny model learns a fixed marker, not English,
/// so a shorter string costs less context without changing the method.
public enum SyntheticFormat {
  public static let scoreInstruction = "There might be an error. Rewrite:"
  public static let checkMarker = "\n\nWait, let me recheck my solution.\n\n"
  public static let retryMarker = "\n\nLet me try again.\n\n"

  public static func prompt(_ p: SyntheticProblem) -> String { p.text + "\n" }

  /// Turn-2 context: the prompt, the first attempt and the instruction.
  public static func secondTurnPrompt(_ p: SyntheticProblem, firstAttempt: String) -> String {
    prompt(p) + firstAttempt + "\n" + scoreInstruction + "\n"
  }

  /// Every character the synthetic texts use.
  public static let alphabet: String = {
    var chars = Set("0123456789+-*/=?()x.,:; \n{}\\LT")
    let words = [
      "boxed", "Check", "same as", "not", "is not in the list", "is not a pair in order",
      SyntheticTask.correctVerdict, SyntheticTask.incorrectVerdict,
      scoreInstruction,
      checkMarker, retryMarker,
    ]
    for w in words { chars.formUnion(w) }
    return String(chars.sorted())
  }()

  /// The character tokenizer for synthetic runs (special tokens <pad>, <bos>, <eos>, <unk>).
  public static func tokenizer() -> CharTokenizer {
    // The alphabet is fixed and valid, so construction cannot fail.
    try! CharTokenizer(characters: alphabet)
  }

  /// Reward of an attempt: 1 when its last boxed integer is the answer, else 0, plus what was
  /// extracted (nil when there is no box).
  public static func score(_ p: SyntheticProblem, attempt: String) -> (correct: Bool, extracted: Int?) {
    let answer = SyntheticTask.boxedAnswer(in: attempt)
    return (answer == p.answer, answer)
  }
}
