import XCTest

@testable import Training

final class SCoReRLOOTests: XCTestCase {
  func testLeaveOneOutByHand() {
    let a = SCoReRLOO.advantages([1, 0, 0, 1])
    // A_0 = 1 − (0 + 0 + 1)/3 = 2/3; A_1 = 0 − (1 + 0 + 1)/3 = −2/3.
    let expected = [2.0 / 3, -2.0 / 3, -2.0 / 3, 2.0 / 3]
    for (x, y) in zip(a, expected) { XCTAssertEqual(x, y, accuracy: 1e-12) }
    let b = SCoReRLOO.advantages([3, 5, 10])
    // 3 − 7.5, 5 − 6.5, 10 − 4.
    for (x, y) in zip(b, [-4.5, -1.5, 6]) { XCTAssertEqual(x, y, accuracy: 1e-12) }
  }

  func testEdgeCases() {
    XCTAssertEqual(SCoReRLOO.advantages([]), [])
    XCTAssertEqual(SCoReRLOO.advantages([0.7]), [0.7])
    XCTAssertEqual(SCoReRLOO.advantages([2, 2, 2]), [0, 0, 0])
  }

  func testGroupedByProblem() throws {
    XCTAssertEqual(
      try SCoReRLOO.groupedAdvantages([1, 3, 5, 5], groups: ["a", "b", "a", "b"]), [-4, -2, 4, 2])
    XCTAssertThrowsError(try SCoReRLOO.groupedAdvantages([1], groups: ["a", "b"]))
  }
}
