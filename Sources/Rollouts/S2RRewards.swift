import Foundation
import Verifiers

/// One action with its rule-based reward (spec §4.3).
public struct S2RScoredAction: Sendable, Equatable {
  public var action: S2RAction
  public var text: String
  /// Solve: the attempt's boxed answer ("" without a box). Nil for other kinds.
  public var answer: String?
  /// Solve: whether this attempt is right. Verify: whether the attempt it checks is right.
  public var attemptCorrect: Bool?
  /// Verify: the verdict (`S2RVerdictParser.verdict(_:isLastAction:)`).
  public var verdict: S2RVerdict?
  /// Raw reward: solve ±1, verify ±1 (verdict agrees with the checked attempt), marker 0.
  public var reward: Double

  public init(
    action: S2RAction, text: String, answer: String? = nil, attemptCorrect: Bool? = nil,
    verdict: S2RVerdict? = nil,
    reward: Double
  ) {
    self.action = action
    self.text = text
    self.answer = answer
    self.attemptCorrect = attemptCorrect
    self.verdict = verdict
    self.reward = reward
  }
}

/// A rollout with every action scored.
public struct S2RScoredRollout: Sendable, Equatable {
  public var actions: [S2RScoredAction]
  public var truncated: Bool
  public var isValid: Bool

  public init(actions: [S2RScoredAction], truncated: Bool, isValid: Bool) {
    self.actions = actions
    self.truncated = truncated
    self.isValid = isValid
  }

  /// Content actions only.
  public var content: [S2RScoredAction] { actions.filter { $0.action.kind != .marker } }
  /// Correctness of each attempt, in order.
  public var attemptCorrectness: [Bool] {
    actions.compactMap { $0.action.kind == .solve ? $0.attemptCorrect : nil }
  }
  /// Outcome reward R_o (spec §4.4): the solve reward of the last attempt, ±1. Truncation is not
  /// penalised (official ORL); pass `truncatedReward` (e.g. −1) to penalise it.
  public func outcomeReward(truncatedReward: Double? = nil) -> Double {
    if truncated, let t = truncatedReward { return t }
    return actions.last { $0.action.kind == .solve }?.reward ?? -1
  }
}

/// Rule-based action rewards (spec §4.3).
///
/// - solve: +1 when the attempt's last `\boxed{}` content passes `isCorrect`, else −1. An attempt with
///   no box (or an empty box) gets −1 without asking the checker — fixing the official `"" == ""`
///   reward of +1 (§9.8).
/// - verify: +1 when the verdict matches the correctness of the most recent attempt, else −1.
/// - marker: 0.
///
/// Example: attempts `\boxed{5}` (wrong), `\boxed{6}` (right), verifications "…incorrect." then
/// "…correct." with `isCorrect = { $0 == "6" }` → rewards s1 −1, v1 +1, s2 +1, v2 +1.
public enum S2RRewards {
  public static func score(_ rollout: S2RRollout, isCorrect: (String) -> Bool) -> S2RScoredRollout {
    let acts = rollout.parsed.actions
    let lastContent = acts.lastIndex { $0.kind != .marker }
    var lastAttemptRight = false
    var out: [S2RScoredAction] = []
    for (i, a) in acts.enumerated() {
      let text = rollout.actionTexts[i]
      switch a.kind {
      case .marker:
        out.append(S2RScoredAction(action: a, text: text, reward: 0))
      case .solve:
        let answer = AnswerExtractor.lastBoxed(text) ?? ""
        let trimmed = answer.trimmingCharacters(in: .whitespacesAndNewlines)
        lastAttemptRight = !trimmed.isEmpty && isCorrect(answer)
        out.append(
          S2RScoredAction(
            action: a, text: text, answer: answer, attemptCorrect: lastAttemptRight,
            reward: lastAttemptRight ? 1 : -1))
      case .verify:
        let v = S2RVerdictParser.verdict(text, isLastAction: i == lastContent)
        let agrees = (v == .correct) == lastAttemptRight
        out.append(
          S2RScoredAction(
            action: a, text: text, attemptCorrect: lastAttemptRight, verdict: v, reward: agrees ? 1 : -1))
      }
    }
    return S2RScoredRollout(
      actions: out, truncated: rollout.parsed.truncated, isValid: rollout.parsed.isValid)
  }

  /// A MATH-style checker: `MathGrader.grade` (Recheck's one grading function, which also reads the
  /// reference when it is a whole solution) against the gold answer or an alternate gold (spec §4.3
  /// accepts either the solution's box or the `answer` field). A labelled prediction ("x = 3", §2.3,
  /// §9.8) is matched by `grade`'s equation rule (a variable on the left), so the checker agrees with
  /// `recheck grade math`, `eval` and the reward server on every pair.
  ///
  /// Example: `mathChecker(reference: "\\frac{1}{2}")("x=0.5")` is true.
  public static func mathChecker(reference: String, alternate: String? = nil) -> @Sendable (String) -> Bool {
    let refs = [reference] + (alternate.map { [$0] } ?? [])
    return { predicted in
      refs.contains { MathGrader.grade(reference: $0, response: predicted).equivalent }
    }
  }
}
