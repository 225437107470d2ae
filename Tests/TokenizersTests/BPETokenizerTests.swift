import XCTest

@testable import Tokenizers

final class BPETokenizerTests: XCTestCase {
  // Hand-computed example. Merges by rank: 0 (l,l)  1 (h,e)  2 (he,ll)  3 (Ġ,h)  4 (hell,o).
  let merges = [("l", "l"), ("h", "e"), ("he", "ll"), ("Ġ", "h"), ("hell", "o")]

  func testHandComputedMerges() throws {
    let t = try makeByteLevelTokenizer(merges: merges)
    let id = { (s: String) in t.id(of: s)! }
    // "hello": h e l l o → h e ll o → he ll o → hell o → hello
    XCTAssertEqual(t.encode("hello"), [id("hello")])
    // " hello": (l,l)=0 fires first, then (h,e)=1 takes the h, so (Ġ,h)=3 never applies:
    // Ġ h e l l o → Ġ h e ll o → Ġ he ll o → Ġ hell o → Ġ hello
    XCTAssertEqual(t.encode(" hello"), [id("Ġ"), id("hello")])
    // " h": only (Ġ,h) applies.
    XCTAssertEqual(t.encode(" h"), [id("Ġh")])
    // Equal ranks go to the leftmost pair: "lll" → ll l, not l ll.
    XCTAssertEqual(t.encode("lll"), [id("ll"), id("l")])
    // "llll" → ll ll (both pairs at rank 0, left first, then the remaining one).
    XCTAssertEqual(t.encode("llll"), [id("ll"), id("ll")])
    // Pieces are merged separately: "hell hello" → [hell] [Ġ hello]
    XCTAssertEqual(t.encode("hell hello"), [id("hell"), id("Ġ"), id("hello")])
    // A byte with no merges is its byte token: "\n" → Ċ (byte 0x0A).
    XCTAssertEqual(t.encode("\n"), [0x0A])
  }

  func testDecodeReturnsExactBytes() throws {
    let t = try makeByteLevelTokenizer(merges: merges)
    XCTAssertEqual(t.decode(t.encode("hello hell\n")), "hello hell\n")
    // "é" = C3 A9: two byte tokens; cutting after the first leaves an invalid sequence.
    XCTAssertEqual(t.decodeBytes([0xC3], skipSpecial: false), [0xC3])
    XCTAssertEqual(t.decode([0xC3]), "\u{FFFD}")
    XCTAssertEqual(t.decode([0xC3, 0xA9]), "é")
    XCTAssertEqual(t.decode([-1, 1_000_000]), "\u{FFFD}\u{FFFD}")
  }

  func testRoundTripRandomUTF8() throws {
    let t = try makeByteLevelTokenizer(
      merges: [("Ġ", "t"), ("h", "e"), ("Ġt", "he"), ("Ġ", "Ġ"), ("ĠĠ", "ĠĠ"), ("Ċ", "Ċ"), ("ä", "½")])
    let pools: [[UInt32]] = [
      Array(0x20...0x7E),  // ASCII
      [0x1F600, 0x1F44D, 0x1F3FD, 0x200D, 0x1F468, 0x1F469, 0x2764, 0xFE0F],  // emoji + ZWJ + modifiers
      Array(0x4E00...0x4E40) + Array(0x3040...0x3060) + Array(0xAC00...0xAC10),  // CJK, kana, hangul
      [0x0301, 0x0308, 0x0327, 0x0065, 0x0061, 0x006F],  // combining marks after vowels
      [0x20, 0x20, 0x09, 0x0A, 0x0D, 0xA0, 0x3000, 0x2028, 0x1C],  // whitespace runs, newlines
      // contractions, digits, other numbers
      [0x27, 0x73, 0x74, 0x6C, 0x64, 0x30, 0x31, 0x39, 0x0660, 0x00BD, 0x2167],
    ]
    var rng = SplitMix64(seed: 42)
    for pre in PreTokenizer.allCases {
      var c = BPETokenizer.Configuration(
        tokens: t.tokens, kinds: t.kinds, merges: [("Ġ", "t"), ("h", "e"), ("Ġt", "he")], preTokenizer: pre)
      c.unk = nil
      let tok = try BPETokenizer(c)
      for _ in 0..<300 {
        var s = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...40, using: &rng) {
          let pool = pools[Int.random(in: 0..<pools.count, using: &rng)]
          s.append(Unicode.Scalar(pool[Int.random(in: 0..<pool.count, using: &rng)])!)
        }
        let text = String(s)
        let ids = tok.encode(text)
        XCTAssertEqual(tok.decode(ids), text, "\(pre): \(text.unicodeScalars.map { $0.value })")
        XCTAssertEqual(tok.decodeBytes(ids, skipSpecial: false), Array(text.utf8))
        // Splitting never loses or reorders scalars.
        XCTAssertEqual(pre.split(text).joined(), text)
      }
    }
  }

  func testSpecialTokensMatchedOnlyWhenAsked() throws {
    let t = try makeByteLevelTokenizer(merges: merges, specials: ["<|im_start|>", "<|im_end|>", "<|im"])
    let start = t.specialTokenID("<|im_start|>")!
    let end = t.specialTokenID("<|im_end|>")!
    let short = t.specialTokenID("<|im")!
    XCTAssertEqual(t.encodeWithSpecial("<|im_start|>hello<|im_end|>"), [start, t.id(of: "hello")!, end])
    // Longest match wins over the prefix token "<|im".
    XCTAssertEqual(t.encodeWithSpecial("<|im_end|><|im"), [end, short])
    // Plain encoding treats the text as bytes: 12 single-byte pieces of "<|im_start|>".
    let plain = t.encode("<|im_start|>")
    XCTAssertFalse(plain.contains(start))
    XCTAssertEqual(t.decode(plain), "<|im_start|>")
    XCTAssertTrue(t.isSpecial(start))
    XCTAssertEqual(t.decode([start, t.id(of: "hello")!, end], skipSpecial: true), "hello")
    XCTAssertEqual(t.decode([start, t.id(of: "hello")!, end]), "<|im_start|>hello<|im_end|>")
  }

  func testAddBOSAndGGUFSpecialIDs() throws {
    let tokens = (0..<256).map { String(Unicode.Scalar(ByteLevelAlphabet.scalarForByte[$0])!) } + ["<s>"]
    let m = GGUFTokenizerMetadata(
      pre: "smollm", tokens: tokens, merges: [], tokenTypes: Array(repeating: 1, count: 256) + [3],
      bosTokenID: 256, eosTokenID: 256, paddingTokenID: 256, addBOSToken: true)
    let t = try BPETokenizer(gguf: m)
    XCTAssertEqual(t.preTokenizer, .gpt2IndividualDigits)
    XCTAssertTrue(t.addBOSByDefault)
    XCTAssertEqual(t.encode("a", options: EncodeOptions(addBOS: true)), [256, 0x61])
    XCTAssertEqual(t.padTokenID, 256)
  }

  func testBadGGUFMetadataIsAnError() throws {
    let tokens = ["a", "b"]
    XCTAssertThrowsError(
      try BPETokenizer(gguf: GGUFTokenizerMetadata(model: "llama", tokens: tokens, merges: [])))
    XCTAssertThrowsError(
      try BPETokenizer(gguf: GGUFTokenizerMetadata(pre: "nope", tokens: tokens, merges: [])))
    XCTAssertThrowsError(try BPETokenizer(gguf: GGUFTokenizerMetadata(tokens: tokens, merges: ["a c"]))) {
      e in
      XCTAssertEqual(e as? TokenizerError, .invalidMerge(index: 0, text: "a c"))
    }
    XCTAssertThrowsError(try BPETokenizer(gguf: GGUFTokenizerMetadata(tokens: tokens, merges: ["ab"])))
    XCTAssertThrowsError(
      try BPETokenizer(gguf: GGUFTokenizerMetadata(tokens: tokens, merges: [], bosTokenID: 9)))
  }

  func testMergeResultMissingFromVocabFallsBackToBytes() throws {
    // (a,b) produces "ab", which is not a token; (ab,c) produces "abc", which is.
    var tokens = (0..<256).map { String(Unicode.Scalar(ByteLevelAlphabet.scalarForByte[$0])!) }
    tokens.append("abc")
    let t = try BPETokenizer(gguf: GGUFTokenizerMetadata(tokens: tokens, merges: ["a b", "ab c"]))
    XCTAssertEqual(t.encode("abc"), [256])
    XCTAssertEqual(t.encode("ab"), [0x61, 0x62])
  }

  func testIgnoreMergesTakesWholeWord() throws {
    var tokens = (0..<256).map { String(Unicode.Scalar(ByteLevelAlphabet.scalarForByte[$0])!) }
    tokens += ["ab", "abc"]
    let kinds = [TokenKind](repeating: .normal, count: tokens.count)
    // No merge reaches "abc", but with ignore_merges a piece equal to a token is emitted whole.
    var c = BPETokenizer.Configuration(
      tokens: tokens, kinds: kinds, merges: [("a", "b")], preTokenizer: .llama3)
    XCTAssertEqual(try BPETokenizer(c).encode("abc"), [256, 0x63])
    c.ignoreMerges = true
    XCTAssertEqual(try BPETokenizer(c).encode("abc"), [257])
  }
}
