import Foundation
import XCTest

@testable import Tokenizers

/// `huggingFaceJSON()` / `huggingFaceConfigJSON`: the written tokenizer.json has the layout of the
/// `tokenizers` library (checked field by field against SmolLM2's own file's shape) and reads back
/// into a tokenizer that encodes every text to the same ids. transformers' reading of it is checked
/// by Scripts/check-hf-export.sh.
final class BPETokenizerExportTests: XCTestCase {
  let texts = [
    "", "hello world", "  two  spaces\tand a tab\n\nnew lines", "digits 1234567 and 3.14159",
    "ünïcödé 日本語 🙂", "it's we're I'LL", "<|im_start|>user\nHi<|im_end|>\n", "a<tool>b",
  ]

  func roundTrip(_ t: BPETokenizer) throws -> BPETokenizer {
    let back = try BPETokenizer(
      tokenizerJSON: try t.huggingFaceJSON(), bosToken: t.bosTokenID.flatMap(t.token),
      eosToken: t.eosTokenID.flatMap(t.token), padToken: t.padTokenID.flatMap(t.token))
    XCTAssertEqual(back.vocabSize, t.vocabSize)
    XCTAssertEqual(back.mergeCount, t.mergeCount)
    XCTAssertEqual(back.preTokenizer, t.preTokenizer)
    XCTAssertEqual(back.addBOSByDefault, t.addBOSByDefault)
    XCTAssertEqual(back.bosTokenID, t.bosTokenID)
    XCTAssertEqual(back.eosTokenID, t.eosTokenID)
    for text in texts {
      XCTAssertEqual(back.encode(text), t.encode(text), text)
      XCTAssertEqual(back.encodeWithSpecial(text), t.encodeWithSpecial(text), text)
      XCTAssertEqual(
        back.encode(text, options: EncodeOptions(addBOS: true)),
        t.encode(text, options: EncodeOptions(addBOS: true)))
    }
    return back
  }

  func testEveryPreTokenizerRoundTrips() throws {
    let merges: [(String, String)] = [
      ("h", "e"), ("l", "l"), ("he", "ll"), ("Ġ", "w"), ("1", "2"), ("Ġ", "Ġ"),
    ]
    for pre in PreTokenizer.allCases {
      let t = try makeByteLevelTokenizer(merges: merges, specials: ["<|im_start|>", "<|im_end|>"], pre: pre)
      _ = try roundTrip(t)
    }
  }

  func testSpecialsStripsBOSAndNFCSurvive() throws {
    var tokens = (0..<256).map { String(Unicode.Scalar(ByteLevelAlphabet.scalarForByte[$0])!) }
    tokens += ["ab", "<s>", "</s>", "<tool>"]
    var kinds = [TokenKind](repeating: .normal, count: tokens.count)
    kinds[257] = .control
    kinds[258] = .control
    kinds[259] = .userDefined
    var c = BPETokenizer.Configuration(
      tokens: tokens, kinds: kinds, merges: [("a", "b")], preTokenizer: .llama3)
    c.bos = 257
    c.eos = 258
    c.addBOS = true
    c.ignoreMerges = true
    c.normalizeNFC = true
    c.strip = [259: (lstrip: true, rstrip: false)]
    let t = try BPETokenizer(c)
    let back = try roundTrip(t)
    XCTAssertTrue(back.ignoreMerges)
    XCTAssertTrue(back.normalizeNFC)
    XCTAssertEqual(back.encode("ab <tool>ab"), [256, 259, 256])  // lstrip swallows the space
    XCTAssertEqual(back.encode("x", options: EncodeOptions(addBOS: true)).first, 257)
    XCTAssertFalse(back.isSpecial(259))
    XCTAssertTrue(back.isSpecial(258))
  }

  /// The shape of SmolLM2-135M-Instruct's own tokenizer.json (transformers' file), hand-copied:
  /// a Digits + ByteLevel sequence, ByteLevel decoder and post-processor, BPE with string pairs.
  func testLayoutMatchesTheTokenizersFormat() throws {
    let t = try makeByteLevelTokenizer(
      merges: [("a", "b")], specials: ["<|endoftext|>"], pre: .gpt2IndividualDigits)
    let root = try XCTUnwrap(JSONSerialization.jsonObject(with: t.huggingFaceJSON()) as? [String: Any])
    let pre = try XCTUnwrap(root["pre_tokenizer"] as? [String: Any])
    XCTAssertEqual(pre["type"] as? String, "Sequence")
    let steps = try XCTUnwrap(pre["pretokenizers"] as? [[String: Any]])
    XCTAssertEqual(steps.map { $0["type"] as? String }, ["Digits", "ByteLevel"])
    XCTAssertEqual(steps[0]["individual_digits"] as? Bool, true)
    XCTAssertEqual((root["decoder"] as? [String: Any])?["type"] as? String, "ByteLevel")
    XCTAssertEqual((root["post_processor"] as? [String: Any])?["type"] as? String, "ByteLevel")
    let model = try XCTUnwrap(root["model"] as? [String: Any])
    XCTAssertEqual(model["type"] as? String, "BPE")
    XCTAssertEqual((model["merges"] as? [[String]])?.first, ["a", "b"])
    let vocab = try XCTUnwrap(model["vocab"] as? [String: Int])
    XCTAssertEqual(vocab.count, 258)
    XCTAssertEqual(vocab["ab"], 256)
    XCTAssertEqual(vocab["<|endoftext|>"], 257)
    let added = try XCTUnwrap(root["added_tokens"] as? [[String: Any]])
    XCTAssertEqual(added.count, 1)
    XCTAssertEqual(added[0]["id"] as? Int, 257)
    XCTAssertEqual(added[0]["special"] as? Bool, true)
  }

  func testTokenizerConfigCarriesSpecialsAndTemplate() throws {
    var tokens = (0..<256).map { String(Unicode.Scalar(ByteLevelAlphabet.scalarForByte[$0])!) }
    tokens += ["<|im_start|>", "<|im_end|>"]
    var kinds = [TokenKind](repeating: .normal, count: tokens.count)
    kinds[256] = .control
    kinds[257] = .control
    var c = BPETokenizer.Configuration(tokens: tokens, kinds: kinds, merges: [], preTokenizer: .gpt2)
    c.bos = 256
    c.eos = 257
    let t = try BPETokenizer(c)
    let jinja =
      "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
    let root = try XCTUnwrap(
      JSONSerialization.jsonObject(with: t.huggingFaceConfigJSON(chatTemplate: jinja, modelMaxLength: 2048))
        as? [String: Any])
    XCTAssertEqual(root["bos_token"] as? String, "<|im_start|>")
    XCTAssertEqual(root["eos_token"] as? String, "<|im_end|>")
    XCTAssertNil(root["pad_token"])
    XCTAssertEqual(root["chat_template"] as? String, jinja)
    XCTAssertEqual(root["model_max_length"] as? Int, 2048)
    let decoder = try XCTUnwrap(root["added_tokens_decoder"] as? [String: [String: Any]])
    XCTAssertEqual(Set(decoder.keys), ["256", "257"])
    XCTAssertEqual(decoder["257"]?["content"] as? String, "<|im_end|>")
  }
}
