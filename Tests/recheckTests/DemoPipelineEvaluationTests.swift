import Evaluation
import XCTest

@testable import recheck

/// The per-position check line the demo prints after each S²R evaluation.
final class DemoPipelineEvaluationTests: XCTestCase {
  /// One problem, three checks counted by hand: 1st ✗"incorrect" (r 1/1), 2nd ✗"correct" (r 0/1),
  /// 3rd ✓"correct" (a 1/1); no right attempt at the first two and no wrong one at the third.
  func testDescribeByPosition() {
    let records = [
      S2RProblemRecord(
        attemptsCorrect: [false, false, true], verdicts: [.incorrect, .correct, .correct], finalCorrect: true)
    ]
    XCTAssertEqual(
      DemoPipeline.describeByPosition(records),
      "1st a – (0/0) r 1.00 (1/1) · 2nd a – (0/0) r 0.00 (0/1) · 3rd+ a 1.00 (1/1) r – (0/0)")
    let undetermined = [S2RProblemRecord(attemptsCorrect: [true], verdicts: [nil], finalCorrect: true)]
    XCTAssertEqual(
      DemoPipeline.describeByPosition(undetermined),
      "1st a 0.00 (0/1) r – (0/0), 1 undetermined · 2nd a – (0/0) r – (0/0) · 3rd+ a – (0/0) r – (0/0)")
  }
}
