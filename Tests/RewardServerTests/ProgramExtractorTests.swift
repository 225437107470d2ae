import XCTest

@testable import RewardServer

final class ProgramExtractorTests: XCTestCase {
  func testBeginDoneDelimitersWin() {
    let r = ProgramExtractor.extract("Here it is:\n[BEGIN]\ndef f(x):\n    return x + 1\n[DONE]\nmore text")
    XCTAssertEqual(r.program, "\ndef f(x):\n    return x + 1\n")
    XCTAssertTrue(r.delimited)
  }

  func testLastFencedBlockWithoutInfoString() {
    let text = "first\n```python\nprint(1)\n```\nthen\n```py\nprint(2)\n```\ntrailing"
    XCTAssertEqual(ProgramExtractor.extract(text).program, "print(2)\n")
    // An unclosed last fence is ignored: the last complete block is used.
    XCTAssertEqual(ProgramExtractor.extract("```\nx = 1\n```\n```python\nunfinished").program, "x = 1\n")
    // A first line that is code (not a single word) is kept.
    XCTAssertEqual(ProgramExtractor.extract("```print(3)\n```").program, "print(3)\n")
  }

  func testWholeResponseWhenNoFormat() {
    let r = ProgramExtractor.extract("def g():\n    return 2\n")
    XCTAssertEqual(r.program, "def g():\n    return 2\n")
    XCTAssertFalse(r.delimited)
  }
}
