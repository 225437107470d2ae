import Rollouts
import TestSupport
import Tokenizers
import XCTest

/// `S2RResponseLayout`: a chat model's stop ids and the parse choice on a byte-level BPE whose
/// vocabulary merges `"\n\nWait"` into one token (hand-computed actions), and the plain layout of a
/// char tokenizer (what RL always used).
final class S2RResponseLayoutTests: XCTestCase {
  /// The shared tiny chat BPE whose `"\n\nWait"` is one token (`TestFixtures`).
  static func tokenizer() throws -> BPETokenizer { try TestFixtures.chatBPEWithMergedWait() }

  func testChatLayoutStopsOnEOSAndEndOfTurnAndParsesSpecialPrompts() throws {
    let t = try Self.tokenizer()
    let layout = S2RResponseLayout.chat(t, endOfTurn: "<|im_end|>", textMarkers: true)
    XCTAssertEqual(layout.stopIDs, [257, 258])
    XCTAssertEqual(layout.endID, 257)
    XCTAssertEqual(layout.encodePrompt("<|im_start|>a", tokenizer: t), [256, 97])
    XCTAssertEqual(S2RResponseLayout.plain(t).encodePrompt("<|im_start|>a", tokenizer: t).count, 13)
  }

  func testMergedWaitTokenIsAMarkerOnlyForTheTextParse() throws {
    let t = try Self.tokenizer()
    let ids = t.encode("ab\n\nWait, no") + [257]
    XCTAssertEqual(ids, [97, 98, 259, 44, 32, 110, 111, 257])
    let text = S2RResponseLayout.chat(t, endOfTurn: "<|im_end|>", textMarkers: true)
    // The merged token and the comma are the marker; "ab" the attempt, " no" the verification.
    let parsed = text.parse(ids, parser: text.parser(t), tokenizer: t)
    XCTAssertEqual(
      parsed.actions,
      [
        S2RAction(kind: .solve, tokenRange: 0..<2, partIndex: 1),
        S2RAction(kind: .marker, tokenRange: 2..<4, partIndex: 0, marker: .check),
        S2RAction(kind: .verify, tokenRange: 4..<7, partIndex: 3),
      ])
    XCTAssertEqual(parsed.responseEnd, 7)
    XCTAssertTrue(parsed.stopped)
    XCTAssertTrue(parsed.isValid)
    let rollout = text.rollout(ids, parser: text.parser(t), tokenizer: t)
    XCTAssertEqual(rollout.verificationTexts, [" no"])
    // Token ids never contain "Wait," at a token boundary here: the id parse sees one attempt.
    var ids2 = text
    ids2.textMarkers = false
    XCTAssertEqual(
      ids2.parse(ids, parser: ids2.parser(t), tokenizer: t).actions,
      [S2RAction(kind: .solve, tokenRange: 0..<7, partIndex: 1)])
  }

  func testPlainLayoutOfACharTokenizerIsTheOldOne() throws {
    let t = SyntheticFormat.tokenizer()
    let layout = S2RResponseLayout.plain(t)
    XCTAssertEqual(layout.stopIDs, [t.eosTokenID!])
    XCTAssertEqual(layout.endID, t.eosTokenID)
    XCTAssertFalse(layout.textMarkers)
    XCTAssertEqual(
      layout.parser(t).markers, S2RMarkers(tokenizer: t, style: .rl, stopIDs: [t.eosTokenID!]))
    let ids = t.encode("\\boxed{4}" + SyntheticFormat.checkMarker + "x") + [t.eosTokenID!]
    XCTAssertEqual(
      layout.parse(ids, parser: layout.parser(t), tokenizer: t),
      S2RActionParser(markers: S2RMarkers(tokenizer: t, style: .rl, stopIDs: [t.eosTokenID!])).parse(ids))
  }
}
