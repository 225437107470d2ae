import XCTest

@testable import Tokenizers

final class ByteLevelAlphabetTests: XCTestCase {
  /// Hand-derived from GPT-2's rule: the 68 non-printable bytes 0x00–0x20, 0x7F–0xA0, 0xAD map in
  /// order to U+0100…U+0143; printable bytes map to themselves.
  func testTable() {
    let t = ByteLevelAlphabet.scalarForByte
    XCTAssertEqual(t[0x00], 0x100)
    XCTAssertEqual(t[0x0A], 0x10A)  // "Ċ"
    XCTAssertEqual(t[0x20], 0x120)  // "Ġ"
    XCTAssertEqual(t[0x21], 0x21)
    XCTAssertEqual(t[0x7E], 0x7E)
    XCTAssertEqual(t[0x7F], 0x121)
    XCTAssertEqual(t[0xA0], 0x142)
    XCTAssertEqual(t[0xA1], 0xA1)
    XCTAssertEqual(t[0xAD], 0x143)
    XCTAssertEqual(t[0xFF], 0xFF)
    XCTAssertEqual(Set(t).count, 256)
  }

  func testEncodeDecodeRoundTrip() {
    XCTAssertEqual(ByteLevelAlphabet.encode(Array(" hi\n".utf8)), "ĠhiĊ")
    XCTAssertEqual(ByteLevelAlphabet.decode("ĠhiĊ"), Array(" hi\n".utf8))
    XCTAssertEqual(ByteLevelAlphabet.decode(ByteLevelAlphabet.encode(0...255)), Array(0...255))
    XCTAssertNil(ByteLevelAlphabet.decode("Ő"))  // U+0150 is past the alphabet
  }

  func testUTF8DecodingOffsets() {
    var scalars: [UInt32] = []
    var offsets: [Int] = []
    UTF8Decoding.decode(Array("aé你👍".utf8), scalars: &scalars, offsets: &offsets)
    XCTAssertEqual(scalars, [0x61, 0xE9, 0x4F60, 0x1F44D])
    XCTAssertEqual(offsets, [0, 1, 3, 6, 10])
  }
}
