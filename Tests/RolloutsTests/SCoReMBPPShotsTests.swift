import XCTest

@testable import Rollouts

final class SCoReMBPPShotsTests: XCTestCase {
  func testShotsAreTasks2To4() {
    XCTAssertEqual(SCoReMBPPShots.shots.map(\.taskID), [2, 3, 4])
    XCTAssertEqual(SCoReMBPPShots.shots.map(\.tests.count), [3, 3, 3])
    XCTAssertTrue(
      SCoReMBPPShots.shots[1].code.hasPrefix("import math\ndef is_not_prime(n):\n    result = False\n"))
  }

  func testFirstShotRendering() {
    let expected =
      "You are an expert Python programmer, and here is your task: Write a function to find the similar "
      + "elements from the given two tuple lists. Your code should pass these tests:\n\n"
      + "assert similar_elements((3, 4, 5, 6),(5, 7, 4, 10)) == (4, 5)\n"
      + "assert similar_elements((1, 2, 3, 4),(5, 4, 3, 7)) == (3, 4)\n"
      + "assert similar_elements((11, 12, 14, 13),(17, 15, 14, 13)) == (13, 14)\n"
      + "[BEGIN]\n"
      + "def similar_elements(test_tup1, test_tup2):\n"
      + "  res = tuple(set(test_tup1) & set(test_tup2))\n"
      + "  return (res)\n"
      + "[DONE]"
    XCTAssertEqual(SCoReMBPPShots.render(SCoReMBPPShots.shots[0]), expected)
  }

  func testPrefixHoldsThreeShotsAndNoCarriageReturns() {
    let prefix = SCoReMBPPShots.fewShotPrefix
    XCTAssertEqual(prefix.components(separatedBy: "[BEGIN]").count, 4)
    XCTAssertEqual(prefix.components(separatedBy: "[DONE]\n\nYou are an expert").count, 3)
    XCTAssertTrue(prefix.hasSuffix("  largest_nums = hq.nlargest(n, nums)\n  return largest_nums\n[DONE]"))
    XCTAssertFalse(prefix.contains("\r"))
    XCTAssertFalse(prefix.contains(" \n"))
  }
}
