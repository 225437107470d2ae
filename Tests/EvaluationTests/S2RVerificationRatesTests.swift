import Rollouts
import XCTest

@testable import Evaluation

final class S2RVerificationRatesTests: XCTestCase {
  /// The doc comment's example, counted by hand.
  func testCountsAcceptedRejectedAndUndetermined() {
    let v = S2RVerificationRates([
      .init(correct: true, verdict: .correct), .init(correct: true, verdict: .incorrect),
      .init(correct: true, verdict: nil), .init(correct: false, verdict: .incorrect),
      .init(correct: false, verdict: .correct),
    ])
    XCTAssertEqual(
      [v.right, v.wrong, v.accepted, v.rejected, v.undetermined], [3, 2, 1, 1, 1])
    XCTAssertEqual(v.a!, 1.0 / 3, accuracy: 1e-15)
    XCTAssertEqual(v.r, 0.5)
  }

  func testRatesAreUndefinedWithoutTheirDenominators() {
    let v = S2RVerificationRates([.init(correct: true, verdict: .correct)])
    XCTAssertEqual(v.a, 1)
    XCTAssertNil(v.r)
    XCTAssertNil(S2RVerificationRates([]).a)
  }

  /// First attempts and first verdicts from S²R records (S2RMetrics' worked example): P1 ✓"correct",
  /// P2 ✗"incorrect", P3 ✓"incorrect", P4 ✗"correct", and a P5 whose attempt has no verification.
  func testFirstAttemptsOfRecords() {
    let records = [
      S2RProblemRecord(attemptsCorrect: [true], verdicts: [.correct], finalCorrect: true),
      S2RProblemRecord(
        attemptsCorrect: [false, true], verdicts: [.incorrect, .correct], finalCorrect: true),
      S2RProblemRecord(
        attemptsCorrect: [true, false], verdicts: [.incorrect, .correct], finalCorrect: false),
      S2RProblemRecord(attemptsCorrect: [false], verdicts: [.correct], finalCorrect: false),
      S2RProblemRecord(attemptsCorrect: [false], verdicts: [nil], finalCorrect: false),
      S2RProblemRecord(attemptsCorrect: [], verdicts: [], finalCorrect: false),
    ]
    let first = S2RCheckedAttempt.firstAttempts(records)
    XCTAssertEqual(first.map(\.correct), [true, false, true, false, false])
    let v = S2RVerificationRates(first)
    XCTAssertEqual([v.right, v.wrong, v.accepted, v.rejected, v.undetermined], [2, 3, 1, 1, 1])
    XCTAssertEqual(v.a, 0.5)
    XCTAssertEqual(v.r!, 1.0 / 3, accuracy: 1e-15)
  }

  /// The doc comment's example of `byPosition`, grouped by hand, and three groups over the same records.
  func testByPosition() {
    let records = [
      S2RProblemRecord(
        attemptsCorrect: [false, true], verdicts: [.incorrect, .correct], finalCorrect: true),
      S2RProblemRecord(attemptsCorrect: [false], verdicts: [.correct], finalCorrect: false),
      S2RProblemRecord(
        attemptsCorrect: [false, false, false], verdicts: [.incorrect, .incorrect, .correct],
        finalCorrect: false),
    ]
    let two = S2RCheckedAttempt.byPosition(records, groups: 2)
    XCTAssertEqual(two.map { $0.map(\.correct) }, [[false, false, false], [true, false, false]])
    XCTAssertEqual(
      two.map { $0.map(\.verdict) }, [[.incorrect, .correct, .incorrect], [.correct, .incorrect, .correct]])
    let three = S2RCheckedAttempt.byPosition(records, groups: 3)
    XCTAssertEqual(three.map(\.count), [3, 2, 1])
    let third = S2RVerificationRates(three[2])
    XCTAssertEqual([third.right, third.wrong, third.accepted, third.rejected], [0, 1, 0, 0])
    XCTAssertEqual(third.r, 0)
    // Every check lands in one group: the groups' totals are the pooled counts.
    XCTAssertEqual(three.map(\.count).reduce(0, +), S2RMetrics.pairs(records).count)
  }
}
