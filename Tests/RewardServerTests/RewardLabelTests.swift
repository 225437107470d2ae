import XCTest

@testable import RewardServer

final class RewardLabelTests: XCTestCase {
  func testParsesJSONLabelWithAllFields() throws {
    let label = try RewardLabel.parse(
      #"{"task": "humaneval", "tests": ["def check(f): assert f(1) == 2"], "entry_point": "inc", "r1": 0, "shaping": 10}"#
    )
    XCTAssertEqual(label.task, "humaneval")
    XCTAssertEqual(label.tests, ["def check(f): assert f(1) == 2"])
    XCTAssertEqual(label.entryPoint, "inc")
    XCTAssertEqual(label.r1, 0)
    XCTAssertEqual(label.shaping, 10)
  }

  func testBareStringIsAMathAnswerAndNumbersAreAccepted() throws {
    XCTAssertEqual(try RewardLabel.parse("19"), RewardLabel(task: "math", answer: "19"))
    XCTAssertEqual(try RewardLabel.parse(#"{"answer": 19}"#), RewardLabel(task: "math", answer: "19"))
    XCTAssertEqual(try RewardLabel.parse(#"{"reference": "\\frac12"}"#).answer, "\\frac12")
    // A single test string is a one-element list.
    XCTAssertEqual(try RewardLabel.parse(#"{"task": "code", "tests": "assert True"}"#).tests, ["assert True"])
  }

  func testMalformedObjectLabelNamesTheProblem() {
    XCTAssertThrowsError(try RewardLabel.parse(#"{"task": "math", "answer": "1""#)) { error in
      guard case RewardServiceError.badRequest(let m) = error else { return XCTFail("\(error)") }
      XCTAssertTrue(m.contains("invalid JSON"), m)
    }
    XCTAssertThrowsError(try RewardLabel.parse(#"{"task": 3}"#)) { error in
      guard case RewardServiceError.badRequest(let m) = error else { return XCTFail("\(error)") }
      XCTAssertTrue(m.contains("task"), m)
    }
  }

  func testShapedRewardFollowsSCoReEquation4() {
    // r̃2 = r2 + α(r2 − r1), hand-computed.
    XCTAssertEqual(RewardScorer.shapedReward(r2: 1, r1: 0, shaping: 10), 11)
    XCTAssertEqual(RewardScorer.shapedReward(r2: 0, r1: 1, shaping: 10), -10)
    XCTAssertEqual(RewardScorer.shapedReward(r2: 1, r1: 1, shaping: 10), 1)
    XCTAssertEqual(RewardScorer.shapedReward(r2: 1, r1: nil, shaping: 10), 1)
    XCTAssertEqual(RewardScorer.shapedReward(r2: 0, r1: 0, shaping: nil), 0)
  }
}
