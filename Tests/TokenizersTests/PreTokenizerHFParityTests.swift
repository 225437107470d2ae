import Foundation
import XCTest

@testable import Tokenizers

/// Splits against Hugging Face `tokenizers` (Rust) on fixture prompts and 150 seeded random strings:
/// Tests/TokenizersTests/Fixtures/pretokenizer-hf.json, made by Scripts/make-pretokenizer-fixture.py.
final class PreTokenizerHFParityTests: XCTestCase {
  func testSplitsMatchHuggingFace() throws {
    let url = repositoryRoot.appendingPathComponent("Tests/TokenizersTests/Fixtures/pretokenizer-hf.json")
    let d = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    let texts = try XCTUnwrap(d["texts"] as? [String])
    let splits = try XCTUnwrap(d["splits"] as? [String: [[Int]]])
    XCTAssertEqual(Set(splits.keys), Set(PreTokenizer.allCases.map(\.rawValue)))
    XCTAssertGreaterThan(texts.count, 150)
    for pre in PreTokenizer.allCases {
      let expected = try XCTUnwrap(splits[pre.rawValue])
      XCTAssertEqual(expected.count, texts.count)
      for (text, ends) in zip(texts, expected) {
        var got: [Int] = []
        pre.split(text.unicodeScalars.map(\.value), into: &got)
        XCTAssertEqual(got, ends, "\(pre) on \(text.debugDescription)")
      }
    }
  }
}
