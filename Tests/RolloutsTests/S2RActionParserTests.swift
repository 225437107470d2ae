import Rollouts
import XCTest

final class S2RActionParserTests: XCTestCase {
  let markers = S2RMarkers(check: [[7]], retry: [[8]], stopIDs: [0])

  func testDocExampleMergesRepeatedCheck() {
    let p = S2RActionParser(markers: markers).parse([1, 2, 7, 3, 7, 4, 8, 5, 0, 9])
    XCTAssertEqual(
      p.actions,
      [
        S2RAction(kind: .solve, tokenRange: 0..<2, partIndex: 1),
        S2RAction(kind: .marker, tokenRange: 2..<3, partIndex: 0, marker: .check),
        S2RAction(kind: .verify, tokenRange: 3..<6, partIndex: 3),
        S2RAction(kind: .marker, tokenRange: 6..<7, partIndex: 0, marker: .retry),
        S2RAction(kind: .solve, tokenRange: 7..<8, partIndex: 5),
      ])
    XCTAssertEqual(p.responseEnd, 8)
    XCTAssertTrue(p.stopped)
    XCTAssertTrue(p.isValid)
    XCTAssertEqual(p.attemptCount, 2)
  }

  /// δ by hand: s1 s1 k v v r s2 k v r s3 | stop → the earlier attempts and the retry marker in
  /// front of s2 are context; verifications and the final attempt (with its retry marker) train.
  func testDeltaTrainedByHand() {
    let p = S2RActionParser(markers: markers).parse([1, 2, 7, 3, 4, 8, 5, 7, 6, 8, 9, 0, 9])
    XCTAssertEqual(p.responseEnd, 11)
    XCTAssertEqual(
      p.deltaTrained, [false, false, true, true, true, false, false, true, true, true, true])
    // One attempt, no verification: the attempt is the final one and trained.
    XCTAssertEqual(S2RActionParser(markers: markers).parse([1, 2]).deltaTrained, [true, true])
  }

  func testWithoutMergingEveryMarkerCuts() {
    let p = S2RActionParser(markers: markers, mergeRepeatedMarkers: false).parse([1, 7, 3, 7, 4])
    XCTAssertEqual(p.actions.map(\.kind), [.solve, .marker, .verify, .marker, .verify])
    XCTAssertEqual(p.actions.map(\.partIndex), [1, 0, 3, 0, 5])
    XCTAssertFalse(p.isValid)  // verify follows verify
    XCTAssertTrue(p.truncated)
  }

  func testMarkerIdsInsideOtherIdsDoNotMatch() {
    // Joined id strings "114_117" contain "14_11"; exact id subsequences do not.
    let m = S2RMarkers(check: [[14, 11]], retry: [[8]], stopIDs: [0])
    let p = S2RActionParser(markers: m).parse([3, 114, 117, 5, 14, 11, 6])
    XCTAssertEqual(p.actions.map(\.kind), [.solve, .marker, .verify])
    XCTAssertEqual(p.actions[1].tokenRange, 4..<6)
  }

  func testMultiTokenMarkerAndEmptyActionsInvalid() {
    let m = S2RMarkers(check: [[7, 7]], retry: [[8, 9]], stopIDs: [0])
    let p = S2RActionParser(markers: m).parse([7, 7, 1, 8, 9, 0])
    XCTAssertEqual(p.actions.map(\.tokenRange), [0..<0, 0..<2, 2..<3, 3..<5, 5..<5])
    XCTAssertFalse(p.isValid)  // empty s1 and empty s2
  }

  func testCharTokenizerRLMarkersOnRealText() {
    let t = S2RTestTokenizer()
    let parser = S2RActionParser(markers: S2RMarkers(tokenizer: t, style: .rl, stopIDs: [t.eos]))
    let text = "1+1=3 \\boxed{3}\n\nWait, let me recheck. No.\n\nLet me try again.\n\n1+1=2 \\boxed{2}"
    let ids = t.encode(text) + [t.eos]
    let r = S2RRollout(ids: ids, parser: parser, tokenizer: t)
    XCTAssertEqual(r.parsed.actions.map(\.kind), [.solve, .marker, .verify, .marker, .solve])
    XCTAssertEqual(r.attemptAnswers, ["3", "2"])
    XCTAssertEqual(r.verificationTexts, [" let me recheck. No.\n\n"])
    XCTAssertEqual(r.text, text)
    XCTAssertEqual(r.finalAnswer(), "2")
  }

  func testTextLevelParseHandlesMergedTokens() {
    // "\n\nWait" is a single piece: the id-level variants ("Wait", ",") never match it.
    let t = S2RTestTokenizer(pieces: ["\n\nWait", "Wait", "xWait"])
    let parser = S2RActionParser(markers: S2RMarkers(tokenizer: t, style: .rl, stopIDs: [t.eos]))
    let ids = t.encode("ab\n\nWait, no") + [t.eos]
    XCTAssertEqual(parser.parse(ids).actions.count, 1)
    let p = parser.parseText(ids, tokenizer: t)
    XCTAssertEqual(p.actions.map(\.kind), [.solve, .marker, .verify])
    XCTAssertEqual(p.actions.map(\.tokenRange), [0..<2, 2..<4, 4..<7])
    XCTAssertTrue(p.stopped)
    // "xWait," glued inside one token is not a marker.
    XCTAssertEqual(parser.parseText(t.encode("axWait, no"), tokenizer: t).actions.count, 1)
  }
}
