import Rollouts
import XCTest

@testable import Evaluation

final class EvalS2RCutterTests: XCTestCase {
  let check = S2RMarkers.sftCheck
  let retry = S2RMarkers.sftRetry

  func testStopsAfterOwnCorrectVerdict() {
    let text =
      "A \\boxed{3}" + check + "Therefore, the answer is incorrect." + retry + "B \\boxed{4}" + check
      + "Therefore, the answer is correct." + retry + "C"
    let r = EvalS2RCutter(maxAttempts: 4, markers: .sft).cut(text, finishReason: .stopToken)
    XCTAssertEqual(r.stopReason, .verifiedCorrect)
    XCTAssertEqual(r.attempts, ["A \\boxed{3}", "B \\boxed{4}"])
    XCTAssertEqual(
      r.verifications, ["Therefore, the answer is incorrect.", "Therefore, the answer is correct."])
    XCTAssertEqual(
      r.text,
      "A \\boxed{3}" + check + "Therefore, the answer is incorrect." + retry + "B \\boxed{4}" + check
        + "Therefore, the answer is correct.")
  }

  func testAttemptBudgetAndLengthAndRLMarkers() {
    let text = "A" + check + "no. Therefore, the answer is incorrect." + retry + "B"
    let one = EvalS2RCutter(maxAttempts: 1, markers: .sft).cut(text, finishReason: .stopToken)
    XCTAssertEqual(one.stopReason, .attemptBudget)
    XCTAssertEqual(one.text, "A" + check + "no. Therefore, the answer is incorrect.")
    let two = EvalS2RCutter(maxAttempts: 2, markers: .sft).cut(text, finishReason: .length)
    XCTAssertEqual(two.stopReason, .tokenBudget)
    XCTAssertEqual(two.attempts, ["A", "B"])
    XCTAssertEqual(two.verifications, ["no. Therefore, the answer is incorrect.", nil])
    // RL markers: "Wait," opens a verification; multibyte text survives the byte-level cut.
    let rl = EvalS2RCutter(maxAttempts: 3, markers: .rl).cut(
      "x=½ \\boxed{1}Wait, ok. Therefore, the answer is correct.", finishReason: .stopToken)
    XCTAssertEqual(rl.attempts, ["x=½ \\boxed{1}"])
    XCTAssertEqual(rl.verifications, [" ok. Therefore, the answer is correct."])
    XCTAssertEqual(rl.stopReason, .verifiedCorrect)
  }
}
