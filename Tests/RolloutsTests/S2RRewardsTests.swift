import Rollouts
import XCTest

final class S2RRewardsTests: XCTestCase {
  let t = S2RTestTokenizer()

  func rollout(_ text: String, stop: Bool = true) -> S2RRollout {
    let parser = S2RActionParser(markers: S2RMarkers(tokenizer: t, style: .sft, stopIDs: [t.eos]))
    return S2RRollout(ids: t.encode(text) + (stop ? [t.eos] : []), parser: parser, tokenizer: t)
  }

  func testDocExampleRewards() {
    let text =
      "a \\boxed{5}" + S2RMarkers.sftCheck + "Therefore, the answer is incorrect." + S2RMarkers.sftRetry
      + "b \\boxed{6}" + S2RMarkers.sftCheck + "Therefore, the answer is correct."
    let s = S2RRewards.score(rollout(text), isCorrect: { $0 == "6" })
    XCTAssertEqual(s.content.map(\.reward), [-1, 1, 1, 1])
    XCTAssertEqual(s.actions.filter { $0.action.kind == .marker }.map(\.reward), [0, 0, 0])
    XCTAssertEqual(s.content.map(\.answer), ["5", nil, "6", nil])
    XCTAssertEqual(s.content.map(\.verdict), [nil, .incorrect, nil, .correct])
    XCTAssertEqual(s.attemptCorrectness, [false, true])
    XCTAssertEqual(s.outcomeReward(), 1)
    XCTAssertFalse(s.truncated)
    XCTAssertTrue(s.isValid)
  }

  func testWrongVerdictsAndMissingBox() {
    // s1 right but verified "incorrect" (−1); s2 has no box (−1, checker never asked) and its
    // trailing undetermined verification is last → positional "correct", which is wrong (−1).
    let text =
      "\\boxed{6}" + S2RMarkers.sftCheck + "It is incorrect." + S2RMarkers.sftRetry + "no box"
      + S2RMarkers.sftCheck
      + "Hmm"
    var asked: [String] = []
    let s = S2RRewards.score(rollout(text, stop: false)) {
      asked.append($0); return $0 == "6"
    }
    XCTAssertEqual(asked, ["6"])
    XCTAssertEqual(s.content.map(\.reward), [1, -1, -1, -1])
    XCTAssertEqual(s.outcomeReward(), -1)
    XCTAssertTrue(s.truncated)
    XCTAssertEqual(s.outcomeReward(truncatedReward: -2), -2)
  }

  func testMathChecker() {
    let c = S2RRewards.mathChecker(reference: "\\frac{1}{2}", alternate: "7")
    XCTAssertTrue(c("x=0.5"))
    XCTAssertTrue(c("7"))
    XCTAssertFalse(c("0.6"))
  }
}
