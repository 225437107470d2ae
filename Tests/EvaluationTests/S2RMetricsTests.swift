import Evaluation
import Rollouts
import XCTest

final class S2RMetricsTests: XCTestCase {
  let records = [
    S2RProblemRecord(attemptsCorrect: [true], verdicts: [.correct], finalCorrect: true),
    S2RProblemRecord(attemptsCorrect: [false, true], verdicts: [.incorrect, .correct], finalCorrect: true),
    S2RProblemRecord(attemptsCorrect: [true, false], verdicts: [.incorrect, .correct], finalCorrect: false),
    S2RProblemRecord(attemptsCorrect: [false], verdicts: [.correct], finalCorrect: false),
  ]

  func testWorkedExample() {
    let s = S2RMetrics.summary(records)
    XCTAssertEqual(s.problems, 4)
    XCTAssertEqual(s.firstAttemptAccuracy, 0.5)
    XCTAssertEqual(s.finalAccuracy, 0.5)
    XCTAssertEqual(s.delta, 0)
    XCTAssertEqual(s.incorrectToCorrect, 0.25)
    XCTAssertEqual(s.correctToIncorrect, 0.25)
    XCTAssertEqual(s.averageAttempts, 1.5)
    XCTAssertEqual(s.verificationAccuracy, 0.5)
    XCTAssertEqual(s.errorRecall!, 1.0 / 3, accuracy: 1e-12)
    XCTAssertEqual(s.correctPrecision, 0.5)
    XCTAssertEqual(s.incorrectToCorrectRate, 0.5)
    XCTAssertEqual(s.correctToIncorrectRate, 0.5)
  }

  func testAsymmetricCaseAndEmptyDenominators() {
    // One problem fixed by its second attempt, no verification after the last attempt.
    let r = [
      S2RProblemRecord(attemptsCorrect: [false, true], verdicts: [.incorrect, nil], finalCorrect: true)
    ]
    XCTAssertEqual(S2RMetrics.delta(r), 1)
    XCTAssertEqual(S2RMetrics.errorRecall(r), 1)
    XCTAssertNil(S2RMetrics.correctPrecision(r))  // no "correct" verdict
    XCTAssertNil(S2RMetrics.correctToIncorrectRate(r))  // no first-right problem
    XCTAssertNil(S2RMetrics.finalAccuracy([]))
  }

  func testRecordFromScoredRollout() {
    func act(_ k: S2RActionKind, _ ok: Bool, _ v: S2RVerdict? = nil) -> S2RScoredAction {
      S2RScoredAction(
        action: S2RAction(kind: k, tokenRange: 0..<0, partIndex: 1), text: "", attemptCorrect: ok, verdict: v,
        reward: 0)
    }
    let marker = S2RScoredAction(
      action: S2RAction(kind: .marker, tokenRange: 0..<0, partIndex: 0), text: "", reward: 0)
    let s = S2RScoredRollout(
      actions: [act(.solve, false), marker, act(.verify, false, .incorrect), marker, act(.solve, true)],
      truncated: false, isValid: true)
    XCTAssertEqual(
      S2RProblemRecord(scored: s, finalCorrect: true),
      S2RProblemRecord(attemptsCorrect: [false, true], verdicts: [.incorrect, nil], finalCorrect: true))
  }
}
