import Rollouts
import XCTest

final class S2RVerdictSentenceTests: XCTestCase {
  func testNormalisedAppendsExactlyOneSentence() {
    // Hand-written: the phrase verdict "checks out" stays as text, one closing sentence is added.
    XCTAssertEqual(
      S2RVerdictSentence.normalised("  12 - 5 = 7, so the answer checks out.\n", verdict: .correct),
      "12 - 5 = 7, so the answer checks out.\n\nTherefore, the answer is correct.")
    // Earlier and repeated fixed sentences (any case, any verdict) are removed first.
    let messy =
      "therefore, the answer is correct. But 3·4 = 12 ≠ 13. Therefore, the answer is incorrect. "
      + "Therefore, the answer cannot be verified."
    let n = S2RVerdictSentence.normalised(messy, verdict: .incorrect)
    XCTAssertEqual(n, "But 3·4 = 12 ≠ 13.\n\nTherefore, the answer is incorrect.")
    XCTAssertTrue(S2RVerdictSentence.endsWithExactlyOne(n))
    XCTAssertFalse(S2RVerdictSentence.endsWithExactlyOne(messy))
    XCTAssertEqual(S2RVerdictSentence.normalised("", verdict: .correct), "Therefore, the answer is correct.")
  }
}
