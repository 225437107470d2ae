import Foundation
import XCTest

@testable import Tokenizers

final class BPETokenizerHuggingFaceTests: XCTestCase {
  /// A tiny tokenizer.json: bytes a b c Ġ, merges in both forms, two added tokens.
  func json(merges: String, pre: String) -> Data {
    Data(
      """
      {"version": "1.0",
       "added_tokens": [
         {"id": 0, "content": "<|endoftext|>", "special": true, "lstrip": false, "rstrip": false},
         {"id": 8, "content": "<tool>", "special": false, "lstrip": true, "rstrip": false}],
       "normalizer": null,
       "pre_tokenizer": \(pre),
       "decoder": {"type": "ByteLevel"},
       "model": {"type": "BPE", "unk_token": null, "ignore_merges": false,
         "vocab": {"<|endoftext|>": 0, "a": 1, "b": 2, "c": 3, "Ġ": 4, "ab": 5, "Ġab": 6, "abc": 7},
         "merges": \(merges)}}
      """.utf8)
  }
  let byteLevel =
    #"{"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true}"#

  func testLoadsStringAndArrayMerges() throws {
    for merges in [#"["a b", "Ġ ab", "ab c"]"#, #"[["a", "b"], ["Ġ", "ab"], ["ab", "c"]]"#] {
      let t = try BPETokenizer(tokenizerJSON: json(merges: merges, pre: byteLevel), eosToken: "<|endoftext|>")
      XCTAssertEqual(t.vocabSize, 9)
      XCTAssertEqual(t.mergeCount, 3)
      XCTAssertEqual(t.preTokenizer, .gpt2)
      XCTAssertEqual(t.eosTokenID, 0)
      // "abc ab": [abc] [Ġab]
      XCTAssertEqual(t.encode("abc ab"), [7, 6])
      XCTAssertEqual(t.encodeWithSpecial("ab<|endoftext|>"), [5, 0])
      XCTAssertEqual(t.encode("ab<|endoftext|>").contains(0), false)
      // Non-special added token: always matched; lstrip swallows the space before it.
      XCTAssertEqual(t.encode("ab <tool>c"), [5, 8, 3])
      XCTAssertEqual(t.decode([5, 8, 3]), "ab<tool>c")
      XCTAssertEqual(t.decode([0, 5], skipSpecial: true), "ab")
    }
  }

  func testPreTokenizerSequences() throws {
    let digits =
      #"{"type": "Sequence", "pretokenizers": [{"type": "Digits", "individual_digits": true}, "#
      + #"{"type": "ByteLevel", "add_prefix_space": false, "use_regex": true}]}"#
    XCTAssertEqual(
      try BPETokenizer(tokenizerJSON: json(merges: "[]", pre: digits)).preTokenizer, .gpt2IndividualDigits)
    let llama3Regex = PreTokenizer.llama3Regex.replacingOccurrences(of: "\\", with: "\\\\")
    let split =
      #"{"type": "Sequence", "pretokenizers": [{"type": "Split", "pattern": {"Regex": ""# + llama3Regex
      + #""}, "behavior": "Isolated", "invert": false}, {"type": "ByteLevel", "add_prefix_space": false, "use_regex": false}]}"#
    XCTAssertEqual(try BPETokenizer(tokenizerJSON: json(merges: "[]", pre: split)).preTokenizer, .llama3)
    let prefix = #"{"type": "ByteLevel", "add_prefix_space": true}"#
    let t = try BPETokenizer(tokenizerJSON: json(merges: #"["a b", "Ġ ab"]"#, pre: prefix))
    XCTAssertEqual(t.encode("ab"), [6])  // " ab" after the prefix space
  }

  func testMalformedInputsAreErrors() {
    XCTAssertThrowsError(try BPETokenizer(tokenizerJSON: Data("{".utf8)))
    XCTAssertThrowsError(try BPETokenizer(tokenizerJSON: json(merges: #"["a"]"#, pre: byteLevel))) { e in
      XCTAssertEqual(e as? TokenizerError, .invalidMerge(index: 0, text: "a"))
    }
    XCTAssertThrowsError(try BPETokenizer(tokenizerJSON: json(merges: #"["a z"]"#, pre: byteLevel)))
    XCTAssertThrowsError(try BPETokenizer(tokenizerJSON: json(merges: "[]", pre: #"{"type": "Whitespace"}"#)))
    XCTAssertThrowsError(try BPETokenizer(tokenizerJSON: json(merges: "[]", pre: byteLevel), bosToken: "<s>"))
    { e in
      XCTAssertEqual(e as? TokenizerError, .unknownToken("<s>"))
    }
  }
}
