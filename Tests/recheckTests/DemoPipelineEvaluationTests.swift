import Evaluation
import XCTest

@testable import recheck

/// The per-position check line the demo prints after each S²R evaluation.
final class DemoPipelineEvaluationTests: XCTestCase {
  /// Three problems, counted by hand: first checks ✗"incorrect", ✗"correct", ✗"incorrect" (no right
  /// attempt: a undefined; 2 of 3 wrong rejected); second ✓"correct", ✗"incorrect"; third ✗"correct".
  func testDescribeByPosition() {
    let records = [
      S2RProblemRecord(
        attemptsCorrect: [false, true], verdicts: [.incorrect, .correct], finalCorrect: true),
      S2RProblemRecord(attemptsCorrect: [false], verdicts: [.correct], finalCorrect: false),
      S2RProblemRecord(
        attemptsCorrect: [false, false, false], verdicts: [.incorrect, .incorrect, .correct],
        finalCorrect: false),
    ]
    XCTAssertEqual(
      DemoPipeline.describeByPosition(records),
      "1st a – (0/0) r 0.67 (2/3) · 2nd a 1.00 (1/1) r 1.00 (1/1) · 3rd+ a – (0/0) r 0.00 (0/1)")
    let undetermined = [S2RProblemRecord(attemptsCorrect: [true], verdicts: [nil], finalCorrect: true)]
    XCTAssertEqual(
      DemoPipeline.describeByPosition(undetermined),
      "1st a 0.00 (0/1) r – (0/0), 1 undetermined · 2nd a – (0/0) r – (0/0) · 3rd+ a – (0/0) r – (0/0)")
  }
}
