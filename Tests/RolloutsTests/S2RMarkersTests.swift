import Rollouts
import XCTest

final class S2RMarkersTests: XCTestCase {
  func testCharacterTokenizerVariantsLongestFirst() {
    let t = S2RTestTokenizer()
    let m = S2RMarkers(tokenizer: t, style: .rl, stopIDs: [t.eos])
    // " Wait," (6 ids) before "Wait," (5 ids); the in-context span equals "Wait," and is deduplicated.
    XCTAssertEqual(m.check, [[32, 87, 97, 105, 116, 44], [87, 97, 105, 116, 44]])
    XCTAssertEqual(m.retry.last, Array("Let me try again.\n\n".utf8).map { Int($0) })
    XCTAssertEqual(m.checkText, "Wait,")
    let sft = S2RMarkers(tokenizer: t, style: .sft, stopIDs: [t.eos])
    XCTAssertEqual(sft.check.last!.count, "\n\nWait, let me recheck my solution.\n\n".utf8.count)
  }

  func testAlignedSpanFollowsContextTokenisation() {
    // "\n\nWait" is one piece, so inside the SFT string "Wait," does not start on a token boundary.
    let t = S2RTestTokenizer(pieces: ["\n\nWait", "Wait", " let"])
    XCTAssertNil(S2RMarkers.alignedSpan(of: "Wait,", in: S2RMarkers.sftCheck, tokenizer: t))
    XCTAssertEqual(S2RMarkers.alignedSpan(of: ", let", in: S2RMarkers.sftCheck, tokenizer: t), [44, 258])
    // Plain encoding uses the "Wait" piece (id 257) + ",".
    let m = S2RMarkers(tokenizer: t, style: .rl, stopIDs: [])
    XCTAssertEqual(m.check, [[32, 257, 44], [257, 44]])
  }

  func testExplicitVariantsDropEmptyAndDuplicates() {
    let m = S2RMarkers(check: [[1], [], [2, 3], [1]], retry: [[4]], stopIDs: [0])
    XCTAssertEqual(m.check, [[2, 3], [1]])
  }
}
