import Rollouts
import XCTest

final class S2RVerdictParserTests: XCTestCase {
  func read(_ s: String, _ scope: S2RVerdictParser.Scope = .wholeText) -> S2RVerdictReading {
    S2RVerdictParser.read(s, scope: scope)
  }

  func testFixedSentenceWinsAndLastOneCounts() {
    XCTAssertEqual(
      read("Substituting gives 7. Therefore, the answer is incorrect."),
      S2RVerdictReading(verdict: .incorrect, rule: "fixed-sentence"))
    XCTAssertEqual(
      read("Therefore, the answer is correct. Hmm. Therefore, the answer is incorrect. ok").verdict,
      .incorrect)
    XCTAssertEqual(read("Therefore, the answer is 5. It is correct.").rule, "last-sentence")
    XCTAssertEqual(
      read("Therefore, the answer cannot be verified. Therefore, the answer is cannot be verified."),
      S2RVerdictReading(verdict: nil, rule: "cannot-verify"))
  }

  func testPhraseListsOnLastAndPreviousSentence() {
    XCTAssertEqual(
      read("Plugging in, 3 + 4 = 7, so the answer is reasonable."),
      S2RVerdictReading(verdict: .correct, rule: "last-sentence"))
    XCTAssertEqual(read("The value is plausible.").verdict, .correct)
    XCTAssertEqual(read("This answer is not correct.").verdict, .incorrect)  // incorrect list first
    XCTAssertEqual(
      read("The result is incorrect. Moving on"),
      S2RVerdictReading(verdict: .incorrect, rule: "previous-sentence"))
    XCTAssertEqual(read("We cannot fully verify this.").rule, "cannot-verify")
  }

  func testKeywordsOnlyForWholeTextScope() {
    let s = "The sum is indeed 7. Good work. Done."
    XCTAssertEqual(read(s), S2RVerdictReading(verdict: .correct, rule: "keyword"))
    XCTAssertEqual(read(s, .lastSentences), S2RVerdictReading(verdict: nil, rule: "undetermined"))
  }

  func testPositionalFallback() {
    XCTAssertEqual(S2RVerdictParser.verdict("I am not sure.", isLastAction: true), .correct)
    XCTAssertEqual(S2RVerdictParser.verdict("I am not sure.", isLastAction: false), .incorrect)
    XCTAssertEqual(S2RVerdictParser.verdict("So it is incorrect.", isLastAction: true), .incorrect)
    XCTAssertEqual(S2RVerdictParser.fixedSentenceVerdict("It is correct."), nil)
  }
}
