import Verifiers
import XCTest

final class AnswerExtractorTests: XCTestCase {
  func testLastBoxedWithNestedBraces() {
    let t = "First \\boxed{1}. Then $\\boxed{\\frac{a^{2}}{\\sqrt{b}}}$ done."
    XCTAssertEqual(
      AnswerExtractor.extract(t), ExtractedAnswer(text: "\\frac{a^{2}}{\\sqrt{b}}", source: .boxed))
    XCTAssertEqual(AnswerExtractor.allBoxed(t), ["1", "\\frac{a^{2}}{\\sqrt{b}}"])
  }

  func testFboxAndUnbracedBox() {
    XCTAssertEqual(AnswerExtractor.lastBoxed("so \\fbox{42}"), "42")
    XCTAssertEqual(AnswerExtractor.lastBoxed("answer $\\boxed 5$."), "5")
    XCTAssertNil(AnswerExtractor.lastBoxed("broken \\boxed{1"))
  }

  func testMinervaPhrase() {
    let t = "Work.\nFinal Answer: The final answer is $\\frac{3}{4}$. I hope it is correct."
    XCTAssertEqual(AnswerExtractor.extract(t), ExtractedAnswer(text: "\\frac{3}{4}", source: .minerva))
  }

  func testGsm8kAndAnswerIs() {
    XCTAssertEqual(
      AnswerExtractor.extract("She has 3+4=7 apples.\n#### 1,234"),
      ExtractedAnswer(text: "1234", source: .gsm8k))
    XCTAssertEqual(
      AnswerExtractor.extract("Thus the answer is 12.\nDone"), ExtractedAnswer(text: "12", source: .answerIs))
  }

  func testLastNumberFallbackCanBeSwitchedOff() {
    XCTAssertEqual(
      AnswerExtractor.extract("we get 3 then -4.5, total"), ExtractedAnswer(text: "-4.5", source: .lastNumber)
    )
    XCTAssertEqual(AnswerExtractor.lastNumber("cost 1,200 dollars"), "1200")
    var o = AnswerExtractionOptions()
    o.lastNumberFallback = false
    XCTAssertNil(AnswerExtractor.extract("we get 3 then 4", options: o))
    XCTAssertNil(AnswerExtractor.extract("no digits here"))
  }

  func testS2RTrajectoryAttemptsAndFinal() {
    let c = S2RTrajectory.checkMarker
    let r = S2RTrajectory.retryMarker
    let t =
      "Try \\boxed{3}" + c + "That is wrong." + r + "No box here" + c
      + "Wrong again, the answer is incorrect." + r
      + "Now \\boxed{\\frac{1}{2}}" + c + "Correct."
    let traj = S2RTrajectory(t)
    XCTAssertEqual(traj.turns.count, 3)
    XCTAssertEqual(traj.attemptAnswers, ["3", "", "\\frac{1}{2}"])
    XCTAssertEqual(traj.turns[2].verification, "Correct.")
    XCTAssertEqual(traj.finalAnswer(), "\\frac{1}{2}")
    // Last attempt without a box: the final answer is an earlier box (harness behaviour).
    XCTAssertEqual(S2RTrajectory("A \\boxed{7}" + c + "no" + r + "B").finalAnswer(), "7")
    XCTAssertEqual(S2RTrajectory("plain").turns, [S2RTrajectory.Turn(attempt: "plain", verification: nil)])
  }
}
