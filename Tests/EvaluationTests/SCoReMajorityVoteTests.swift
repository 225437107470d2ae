import XCTest

@testable import Evaluation

final class SCoReMajorityVoteTests: XCTestCase {
  func testVoteAndTies() {
    XCTAssertEqual(SCoReMajorityVote.vote(["3", nil, "4", "4", "3"], equivalent: ==), "3")
    XCTAssertEqual(SCoReMajorityVote.vote(["4", "3", "3"], equivalent: ==), "3")
    XCTAssertNil(SCoReMajorityVote.vote([nil, nil], equivalent: ==))
    XCTAssertNil(SCoReMajorityVote.vote([], equivalent: ==))
    // An equivalence closure (numeric value here) merges different spellings.
    let numeric: (String, String) -> Bool = { Double($0) == Double($1) }
    XCTAssertEqual(
      SCoReMajorityVote.vote(["1", "0.5", "2", ".50", "1.0", "0.5"], equivalent: numeric), "0.5")
  }

  func testPools() {
    XCTAssertEqual(SCoReMajorityVote.parallelPool(firstAttempts: ["a", "b", "c"], budget: 2), ["a", "b"])
    XCTAssertNil(SCoReMajorityVote.parallelPool(firstAttempts: ["a"], budget: 2))
    let episodes: [[String?]] = [["a", "b"], ["c", "d"], ["e", "f"]]
    XCTAssertEqual(
      SCoReMajorityVote.sequentialPool(episodes: episodes, budget: 4, includeFirst: false), ["b", "d"])
    XCTAssertEqual(
      SCoReMajorityVote.sequentialPool(episodes: episodes, budget: 4, includeFirst: true),
      ["a", "b", "c", "d"])
    XCTAssertNil(SCoReMajorityVote.sequentialPool(episodes: episodes, budget: 8, includeFirst: false))
    XCTAssertNil(SCoReMajorityVote.sequentialPool(episodes: [["a"]], budget: 2, includeFirst: false))
  }

  func testAccuracy() {
    let refs = ["1", "4"]
    let acc = SCoReMajorityVote.accuracy(pools: [["1", "1", "2"], ["5", nil]], equivalent: ==) {
      refs[$0] == $1
    }
    XCTAssertEqual(acc, 0.5)
    // Sequential voting fixes problem 2 when second attempts correct "5" to "4".
    let seq = SCoReMajorityVote.sequentialPool(
      episodes: [["5", "4"], ["5", "4"]], budget: 4, includeFirst: false)!
    XCTAssertEqual(SCoReMajorityVote.accuracy(pools: [["1"], seq], equivalent: ==) { refs[$0] == $1 }, 1)
  }

  func testScalingCurve() {
    let points = SCoReMajorityVote.scalingCurve(
      budgets: [2, 4, 8], firstAttempts: [["5", "5", "4", "4"]], episodes: [[["5", "4"], ["5", "4"]]],
      includeFirst: false, equivalent: ==, isCorrect: { _, answer in answer == "4" })
    // Budget 2: parallel ["5", "5"] → 0; sequential ["4"] → 1. Budget 4: "5" wins the tie → 0; ["4", "4"] → 1.
    // Budget 8 needs more samples than exist and is skipped.
    XCTAssertEqual(
      points,
      [
        SCoReScalingPoint(generations: 2, parallel: 0, sequential: 1),
        SCoReScalingPoint(generations: 4, parallel: 0, sequential: 1),
      ])
    let both = SCoReMajorityVote.scalingCurve(
      budgets: [4], firstAttempts: [["5", "5", "4", "4"]], episodes: [[["5", "4"], ["5", "5"]]],
      includeFirst: true, equivalent: ==, isCorrect: { _, answer in answer == "4" })
    XCTAssertEqual(both, [SCoReScalingPoint(generations: 4, parallel: 0, sequential: 0)])  // 5,4,5,5 → "5"
  }
}
