import Training
import XCTest

final class S2RAdvantagesTests: XCTestCase {
  func testOutcomeClampsThenRLOO() {
    XCTAssertEqual(S2RAdvantages.outcome([30, 0], groupSize: 2), [10, -10])
    let a = S2RAdvantages.outcome([1, 0, 0, 1, -1, -1, -1, -1], groupSize: 4)
    XCTAssertEqual(a[0], 2.0 / 3, accuracy: 1e-12)
    XCTAssertEqual(Array(a[4...]), [0, 0, 0, 0])
  }

  func testKLShapingAndWeights() {
    let s = S2RAdvantages.klShaped(
      advantage: 2.0 / 3, oldLogProbs: [-1, -2], refLogProbs: [-1.5, -2.5], beta: 0.1)
    XCTAssertEqual(s, 2.0 / 3 - 0.1, accuracy: 1e-12)
    XCTAssertEqual(S2RAdvantages.sampleWeight(advantage: 0), 0)
    XCTAssertEqual(S2RAdvantages.sampleWeight(advantage: -4.0 / 3), 1)
  }
}
