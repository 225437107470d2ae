import Rollouts

/// What S²R's behaviour metrics need from one evaluated problem.
public struct S2RProblemRecord: Sendable, Codable, Equatable {
  /// Correctness of each attempt, in order.
  public var attemptsCorrect: [Bool]
  /// Verdict of the verification after attempt j (nil when the attempt has none); same length.
  public var verdicts: [S2RVerdict?]
  /// Whether the trajectory's final answer (last box anywhere, as graded by evaluation) is right.
  public var finalCorrect: Bool

  public init(attemptsCorrect: [Bool], verdicts: [S2RVerdict?], finalCorrect: Bool) {
    precondition(attemptsCorrect.count == verdicts.count, "one verdict slot per attempt")
    self.attemptsCorrect = attemptsCorrect
    self.verdicts = verdicts
    self.finalCorrect = finalCorrect
  }

  /// From a scored rollout: each verification's verdict goes to the attempt it follows.
  public init(scored: S2RScoredRollout, finalCorrect: Bool) {
    var ok: [Bool] = []
    var v: [S2RVerdict?] = []
    for a in scored.content {
      if a.action.kind == .solve {
        ok.append(a.attemptCorrect ?? false)
        v.append(nil)
      } else if !v.isEmpty, v[v.count - 1] == nil {
        v[v.count - 1] = a.verdict
      }
    }
    self.init(attemptsCorrect: ok, verdicts: v, finalCorrect: finalCorrect)
  }
}

/// S²R evaluation and behaviour metrics (spec §4.8, paper App. E), each a pure function over
/// per-problem records; rates are nil when their denominator is empty.
///
/// Worked example — four problems (attempts with the verdict after each, final):
/// P1 [✓ "correct"] final ✓; P2 [✗ "incorrect", ✓ "correct"] final ✓; P3 [✓ "incorrect", ✗ "correct"]
/// final ✗; P4 [✗ "correct"] final ✗. First-attempt accuracy 2/4, final 2/4, Δ 0, Δ^{i→c} 1/4 (P2),
/// Δ^{c→i} 1/4 (P3), average attempts 6/4; verifications: 6, right in P1, P2, P2 → VA 3/6; wrong
/// attempts checked: P2 s1 (caught), P3 s2, P4 s1 → ER 1/3; "correct" verdicts on P1 ✓, P2 ✓, P3 ✗,
/// P4 ✗ → CP 2/4; first wrong: P2 (fixed), P4 → ICR 1/2; first right: P1, P3 (broken) → CIR 1/2.
public enum S2RMetrics {
  public static func firstAttemptAccuracy(_ r: [S2RProblemRecord]) -> Double? {
    mean(r.map { $0.attemptsCorrect.first ?? false })
  }

  public static func finalAccuracy(_ r: [S2RProblemRecord]) -> Double? { mean(r.map(\.finalCorrect)) }

  /// Δ = final − first-attempt accuracy.
  public static func delta(_ r: [S2RProblemRecord]) -> Double? {
    guard let f = finalAccuracy(r), let s = firstAttemptAccuracy(r) else { return nil }
    return f - s
  }

  /// Δ^{i→c}: share of all problems whose first attempt is wrong and final answer right.
  public static func incorrectToCorrect(_ r: [S2RProblemRecord]) -> Double? {
    mean(r.map { !($0.attemptsCorrect.first ?? false) && $0.finalCorrect })
  }

  /// Δ^{c→i}: share of all problems whose first attempt is right and final answer wrong.
  public static func correctToIncorrect(_ r: [S2RProblemRecord]) -> Double? {
    mean(r.map { ($0.attemptsCorrect.first ?? false) && !$0.finalCorrect })
  }

  public static func averageAttempts(_ r: [S2RProblemRecord]) -> Double? {
    r.isEmpty ? nil : Double(r.reduce(0) { $0 + $1.attemptsCorrect.count }) / Double(r.count)
  }

  /// VA: share of verifications whose verdict matches the correctness of the attempt they check.
  public static func verificationAccuracy(_ r: [S2RProblemRecord]) -> Double? {
    mean(pairs(r).map { ($0.verdict == .correct) == $0.correct })
  }

  /// ER: P(verdict incorrect | checked attempt wrong).
  public static func errorRecall(_ r: [S2RProblemRecord]) -> Double? {
    mean(pairs(r).filter { !$0.correct }.map { $0.verdict == .incorrect })
  }

  /// CP: P(checked attempt right | verdict correct).
  public static func correctPrecision(_ r: [S2RProblemRecord]) -> Double? {
    mean(pairs(r).filter { $0.verdict == .correct }.map(\.correct))
  }

  /// ICR: P(final right | first attempt wrong).
  public static func incorrectToCorrectRate(_ r: [S2RProblemRecord]) -> Double? {
    mean(r.filter { !($0.attemptsCorrect.first ?? false) }.map(\.finalCorrect))
  }

  /// CIR: P(final wrong | first attempt right).
  public static func correctToIncorrectRate(_ r: [S2RProblemRecord]) -> Double? {
    mean(r.filter { $0.attemptsCorrect.first ?? false }.map { !$0.finalCorrect })
  }

  /// All metrics at once, for reports.
  public struct Summary: Sendable, Codable, Equatable {
    public var problems: Int
    public var firstAttemptAccuracy, finalAccuracy, delta, incorrectToCorrect, correctToIncorrect: Double?
    public var averageAttempts, verificationAccuracy, errorRecall, correctPrecision: Double?
    public var incorrectToCorrectRate, correctToIncorrectRate: Double?
  }

  public static func summary(_ r: [S2RProblemRecord]) -> Summary {
    Summary(
      problems: r.count, firstAttemptAccuracy: firstAttemptAccuracy(r), finalAccuracy: finalAccuracy(r),
      delta: delta(r), incorrectToCorrect: incorrectToCorrect(r), correctToIncorrect: correctToIncorrect(r),
      averageAttempts: averageAttempts(r), verificationAccuracy: verificationAccuracy(r),
      errorRecall: errorRecall(r),
      correctPrecision: correctPrecision(r), incorrectToCorrectRate: incorrectToCorrectRate(r),
      correctToIncorrectRate: correctToIncorrectRate(r))
  }

  static func pairs(_ r: [S2RProblemRecord]) -> [(correct: Bool, verdict: S2RVerdict)] {
    r.flatMap { p in zip(p.attemptsCorrect, p.verdicts).compactMap { c, v in v.map { (c, $0) } } }
  }

  static func mean(_ xs: [Bool]) -> Double? {
    xs.isEmpty ? nil : Double(xs.count { $0 }) / Double(xs.count)
  }
}
