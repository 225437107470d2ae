import Training
import XCTest

final class RLOOTests: XCTestCase {
  func testSpecExamples() {
    let a = RLOO.advantages([1, 0, 0, 1])
    for (x, y) in zip(a, [2.0 / 3, -2.0 / 3, -2.0 / 3, 2.0 / 3]) { XCTAssertEqual(x, y, accuracy: 1e-12) }
    let b = RLOO.advantages([1, -1, -1, 1])
    for (x, y) in zip(b, [4.0 / 3, -4.0 / 3, -4.0 / 3, 4.0 / 3]) { XCTAssertEqual(x, y, accuracy: 1e-12) }
    XCTAssertEqual(RLOO.advantages([1, 1, 1, 1]), [0, 0, 0, 0])
    XCTAssertEqual(RLOO.advantages([5]), [0])
    XCTAssertEqual(RLOO.advantages([]), [])
  }

  func testGroups() {
    // Groups [1, -1] and [3, 1, 2]: 1 − (−1) = 2; 3 − 1.5 = 1.5, 1 − 2.5 = −1.5, 2 − 2 = 0.
    XCTAssertEqual(RLOO.advantages([1, -1, 3, 1, 2], groupSize: 2), [2, -2, 2, -2, 0])
    XCTAssertEqual(RLOO.advantages([3, 1, 2], groupSize: 3), [1.5, -1.5, 0])
  }
}
