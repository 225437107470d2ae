import Foundation
import XCTest

@testable import Tokenizers

final class CharTokenizerTests: XCTestCase {
  func testIdsFollowSpecialsThenCharacters() throws {
    let t = try CharTokenizer(
      characters: "0123+= ", specialTokens: ["<pad>", "<bos>", "<eos>", "<unk>", "<sep>"])
    XCTAssertEqual(t.vocabSize, 12)
    XCTAssertEqual(t.padTokenID, 0)
    XCTAssertEqual(t.bosTokenID, 1)
    XCTAssertEqual(t.eosTokenID, 2)
    XCTAssertEqual(t.unknownTokenID, 3)
    XCTAssertEqual(t.specialTokenID("<sep>"), 4)
    // '1' is the second character → 5 + 1.
    XCTAssertEqual(t.encode("12+3"), [6, 7, 9, 8])
    XCTAssertEqual(t.encode("1", options: EncodeOptions(addBOS: true)), [1, 6])
    XCTAssertEqual(t.decode([1, 6, 7, 2]), "<bos>12<eos>")
    XCTAssertEqual(t.decode([1, 6, 7, 2], skipSpecial: true), "12")
  }

  func testUnknownCharacters() throws {
    let t = try CharTokenizer(characters: "ab")
    XCTAssertEqual(t.encode("axb"), [4, t.unknownTokenID, 5])
    XCTAssertThrowsError(try t.encodeStrict("axb")) { e in
      XCTAssertEqual(e as? TokenizerError, .unknownCharacter(scalar: 0x78, offset: 1))
    }
    XCTAssertThrowsError(try CharTokenizer(characters: "aba"))
  }

  func testSpecialParsingIsOptIn() throws {
    let t = try CharTokenizer(characters: "<>abceos")
    let plain = t.encode("<eos>")
    XCTAssertEqual(plain.count, 5)
    XCTAssertEqual(t.encodeWithSpecial("a<eos>"), [t.encode("a")[0], t.eosTokenID!])
    XCTAssertEqual(t.decode(plain), "<eos>")
  }

  func testJSONRoundTrip() throws {
    let t = try CharTokenizer(
      characters: "0123456789 \n+-*/=é", specialTokens: ["<pad>", "<bos>", "<eos>", "<v>"])
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("char-tok-\(getpid()).json")
    defer { try? FileManager.default.removeItem(at: url) }
    try t.jsonData().write(to: url)
    let back = try CharTokenizer(contentsOf: url)
    XCTAssertEqual(back, t)
    XCTAssertEqual(back.encode("12 = é\n"), t.encode("12 = é\n"))
    XCTAssertEqual(back.specialTokens, ["<pad>", "<bos>", "<eos>", "<v>", "<unk>"])
    XCTAssertThrowsError(
      try CharTokenizer(jsonData: Data(#"{"format":"other","specialTokens":[],"characters":[]}"#.utf8)))
    XCTAssertThrowsError(try CharTokenizer(jsonData: Data("not json".utf8)))
  }
}
