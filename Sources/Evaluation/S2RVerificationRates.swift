import Rollouts

/// One attempt and the verdict a verification gave it (nil: no verification, or its verdict is
/// undetermined).
public struct S2RCheckedAttempt: Sendable, Codable, Equatable {
  public var correct: Bool
  public var verdict: S2RVerdict?

  public init(correct: Bool, verdict: S2RVerdict?) {
    self.correct = correct
    self.verdict = verdict
  }

  /// Every checked attempt grouped by its place in the trajectory: group k holds the k-th attempt of
  /// each problem (0-based) with the verdict of the verification after it, the last group every later
  /// one too; an attempt with no readable verdict keeps nil (counted as undetermined). Why: VA pools all
  /// checks, so a method whose trajectories reach more late checks scores lower with the same checks
  /// (Docs/reproduction.md: the third checks of wrong attempts were right 0–25 % of the time while the
  /// first ones were right over 90 %).
  ///
  /// Example, groups 2: ✗"incorrect" ✓"correct" | ✗"correct" | ✗"incorrect" ✗"incorrect" ✗"correct"
  /// → group 0: ✗"incorrect", ✗"correct", ✗"incorrect"; group 1: ✓"correct", ✗"incorrect", ✗"correct".
  public static func byPosition(_ records: [S2RProblemRecord], groups: Int = 3) -> [[S2RCheckedAttempt]] {
    precondition(groups >= 1, "byPosition needs at least one group")
    var out = Array(repeating: [S2RCheckedAttempt](), count: groups)
    for r in records {
      for (i, (correct, verdict)) in zip(r.attemptsCorrect, r.verdicts).enumerated() {
        out[min(i, groups - 1)].append(S2RCheckedAttempt(correct: correct, verdict: verdict))
      }
    }
    return out
  }

  /// Each problem's first attempt with the verdict of the verification after it (problems with no
  /// attempt are left out).
  public static func firstAttempts(_ records: [S2RProblemRecord]) -> [S2RCheckedAttempt] {
    records.compactMap { r in
      r.attemptsCorrect.first.map { S2RCheckedAttempt(correct: $0, verdict: r.verdicts[0]) }
    }
  }
}

/// How often a verifier accepts right attempts (a) and rejects wrong ones (r) — S²R's premise
/// (issue 20 item 2). A retry replaces an attempt only when its verification rejects it, so with
/// first-attempt accuracy p and a retry of accuracy q, one retry changes accuracy by
/// (1−p)·r·q − p·(1−a)·(1−q) (wrong attempts rejected and fixed, minus right ones rejected and
/// broken); for q = p that is p(1−p)(a + r − 1), positive exactly when a + r > 1.
///
/// An undetermined verdict (nil) is neither an acceptance nor a rejection; it stays in the
/// denominators and is counted on its own.
///
/// Example: right ✓"correct", right ✓"incorrect", right ✓nil, wrong ✗"incorrect", wrong ✗"correct"
/// → right 3, accepted 1, a = 1/3; wrong 2, rejected 1, r = 1/2; undetermined 1.
public struct S2RVerificationRates: Sendable, Codable, Equatable {
  public var right = 0
  public var wrong = 0
  /// Right attempts with verdict "correct".
  public var accepted = 0
  /// Wrong attempts with verdict "incorrect".
  public var rejected = 0
  /// Attempts (right or wrong) with no verdict.
  public var undetermined = 0

  public init(_ attempts: [S2RCheckedAttempt]) {
    for x in attempts {
      if x.correct { right += 1 } else { wrong += 1 }
      switch x.verdict {
      case .correct?: if x.correct { accepted += 1 }
      case .incorrect?: if !x.correct { rejected += 1 }
      case nil: undetermined += 1
      }
    }
  }

  /// P(accept | right); nil without right attempts.
  public var a: Double? { right > 0 ? Double(accepted) / Double(right) : nil }
  /// P(reject | wrong); nil without wrong attempts.
  public var r: Double? { wrong > 0 ? Double(rejected) / Double(wrong) : nil }
}
