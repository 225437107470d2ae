import XCTest

@testable import Tokenizers

final class StreamingDecoderTests: XCTestCase {
  func testHoldsBackPartialCharacters() throws {
    let t = try makeByteLevelTokenizer(merges: [])
    var d = StreamingDecoder(tokenizer: t)
    // "é👍" = C3 A9 | F0 9F 91 8D, one byte token each.
    let pieces = [0xC3, 0xA9, 0xF0, 0x9F, 0x91, 0x8D, 0x21].map { d.append($0) }
    XCTAssertEqual(pieces, ["", "é", "", "", "", "👍", "!"])
    XCTAssertEqual(d.finish(), "")
  }

  func testStreamedTextEqualsFullDecode() throws {
    let t = try makeByteLevelTokenizer(merges: [("Ġ", "t"), ("ä", "½")])
    let text = "tea 你好 🎉 ok\ndone"
    var d = StreamingDecoder(tokenizer: t)
    let streamed = t.encode(text).map { d.append($0) }.joined() + d.finish()
    XCTAssertEqual(streamed, text)
  }

  func testInvalidBytesAreReleased() throws {
    let t = try makeByteLevelTokenizer(merges: [])
    var d = StreamingDecoder(tokenizer: t)
    XCTAssertEqual(d.append(0xFF), "\u{FFFD}")  // never valid: not held
    XCTAssertEqual(d.append(0xE4), "")  // lead of a 3-byte sequence
    XCTAssertEqual(d.finish(), "\u{FFFD}")  // unfinished at the end
  }
}
