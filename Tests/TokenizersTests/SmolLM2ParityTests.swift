import Foundation
import XCTest

@testable import Tokenizers

/// Parity with llama.cpp on the real SmolLM2-135M-Instruct vocabulary.
///
/// Reference ids: Tests/ModelsTests/Fixtures/smollm2-llamacpp.json (committed; made by
/// Scripts/make-smollm2-fixture.sh with llama-cpp-python). The vocabulary comes from an uncommitted
/// dump of the GGUF's tokenizer.ggml.* arrays at $RECHECK_CACHE/smollm2/tokenizer-dump.json
/// (default ~/.cache/recheck), written by Scripts/dump-smollm2-tokenizer.sh in seconds. Without it
/// these tests skip loudly; the Models target repeats the check through the Swift GGUF reader.
final class SmolLM2ParityTests: XCTestCase {
  struct Prompt {
    var name: String
    var text: String
    var ids: [Int]
    var idsSpecial: [Int]
  }

  static func cacheDirectory() -> URL {
    let env = ProcessInfo.processInfo.environment
    if let c = env["RECHECK_CACHE"] { return URL(fileURLWithPath: c) }
    let base =
      env["XDG_CACHE_HOME"].map { URL(fileURLWithPath: $0) }
      ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache")
    return base.appendingPathComponent("recheck")
  }

  func loadDump() throws -> [String: Any] {
    let url = Self.cacheDirectory().appendingPathComponent("smollm2/tokenizer-dump.json")
    guard let data = try? Data(contentsOf: url) else {
      throw XCTSkip(
        "!!! SmolLM2 tokenizer dump missing at \(url.path): run `bash Scripts/dump-smollm2-tokenizer.sh` (seconds) "
          + "to check BPE parity with llama.cpp !!!")
    }
    return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
  }

  func loadTokenizer() throws -> BPETokenizer {
    let d = try loadDump()
    let meta = GGUFTokenizerMetadata(
      model: try XCTUnwrap(d["model"] as? String), pre: d["pre"] as? String,
      tokens: try XCTUnwrap(d["tokens"] as? [String]), merges: try XCTUnwrap(d["merges"] as? [String]),
      tokenTypes: (d["token_type"] as? [Int])?.map { Int32($0) }, bosTokenID: d["bos_token_id"] as? Int,
      eosTokenID: d["eos_token_id"] as? Int, unknownTokenID: d["unknown_token_id"] as? Int,
      paddingTokenID: d["padding_token_id"] as? Int, addBOSToken: d["add_bos_token"] as? Bool,
      chatTemplate: d["chat_template"] as? String)
    return try BPETokenizer(gguf: meta)
  }

  func loadFixture() throws -> (prompts: [Prompt], greedy: [(ids: [Int], text: String)], random: [Prompt]) {
    let url = repositoryRoot.appendingPathComponent("Tests/ModelsTests/Fixtures/smollm2-llamacpp.json")
    let d = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    let prompts = try XCTUnwrap(d["prompts"] as? [[String: Any]]).map { p in
      Prompt(
        name: p["name"] as! String, text: p["text"] as! String, ids: p["ids"] as! [Int],
        idsSpecial: p["ids_special"] as! [Int])
    }
    let greedy = try XCTUnwrap(d["logits"] as? [[String: Any]]).map {
      ($0["greedy_ids"] as! [Int], $0["greedy_text"] as! String)
    }
    let random = try XCTUnwrap(d["random_prompts"] as? [[String: Any]]).enumerated().map { i, p in
      Prompt(
        name: "random #\(i)", text: p["text"] as! String, ids: p["ids"] as! [Int],
        idsSpecial: p["ids_special"] as! [Int])
    }
    return (prompts, greedy, random)
  }

  func testEncodeMatchesLlamaCpp() throws {
    let t = try loadTokenizer()
    XCTAssertEqual(t.vocabSize, 49152)
    XCTAssertEqual(t.preTokenizer, .gpt2IndividualDigits)
    XCTAssertEqual(t.bosTokenID, 1)
    XCTAssertEqual(t.eosTokenID, 2)
    XCTAssertFalse(t.addBOSByDefault)
    let (prompts, _, random) = try loadFixture()
    XCTAssertGreaterThanOrEqual(prompts.count, 12)
    XCTAssertGreaterThanOrEqual(random.count, 80)
    for p in prompts + random {
      XCTAssertEqual(t.encode(p.text), p.ids, "plain ids differ for prompt '\(p.name)'")
      XCTAssertEqual(t.encodeWithSpecial(p.text), p.idsSpecial, "special ids differ for prompt '\(p.name)'")
    }
  }

  func testDecodeFixtureIdsGivesPrompt() throws {
    let t = try loadTokenizer()
    let (prompts, greedy, random) = try loadFixture()
    for p in prompts + random {
      XCTAssertEqual(t.decode(p.ids), p.text, p.name)
      XCTAssertEqual(t.decode(p.idsSpecial), p.text, p.name)
    }
    for g in greedy {
      XCTAssertEqual(t.decode(g.ids), g.text)
      var s = StreamingDecoder(tokenizer: t)
      XCTAssertEqual(g.ids.map { s.append($0) }.joined() + s.finish(), g.text)
    }
  }

  /// The same vocabulary written as a HF tokenizer.json (SmolLM2's layout: Digits + ByteLevel,
  /// merges as pairs, control tokens in added_tokens) must tokenize identically.
  func testHuggingFaceLayoutOfSameVocabMatches() throws {
    let d = try loadDump()
    let tokens = try XCTUnwrap(d["tokens"] as? [String])
    let types = try XCTUnwrap(d["token_type"] as? [Int])
    let merges = try XCTUnwrap(d["merges"] as? [String]).map { $0.split(separator: " ").map(String.init) }
    var vocab: [String: Int] = [:]
    for (i, t) in tokens.enumerated() { vocab[t] = i }
    let added = tokens.indices.filter { types[$0] == 3 }.map {
      ["id": $0, "content": tokens[$0], "special": true, "lstrip": false, "rstrip": false] as [String: Any]
    }
    let json: [String: Any] = [
      "version": "1.0", "added_tokens": added, "normalizer": NSNull(),
      "pre_tokenizer": [
        "type": "Sequence",
        "pretokenizers": [
          ["type": "Digits", "individual_digits": true],
          ["type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true],
        ],
      ],
      "model": ["type": "BPE", "vocab": vocab, "merges": merges, "ignore_merges": false],
    ]
    let t = try BPETokenizer(
      tokenizerJSON: try JSONSerialization.data(withJSONObject: json), bosToken: "<|im_start|>",
      eosToken: "<|im_end|>", padToken: "<|im_end|>")
    XCTAssertEqual(t.vocabSize, 49152)
    XCTAssertEqual(t.preTokenizer, .gpt2IndividualDigits)
    XCTAssertEqual(t.bosTokenID, 1)
    let (prompts, _, random) = try loadFixture()
    for p in prompts + random {
      XCTAssertEqual(t.encode(p.text), p.ids, "plain ids differ for prompt '\(p.name)'")
      XCTAssertEqual(t.encodeWithSpecial(p.text), p.idsSpecial, "special ids differ for prompt '\(p.name)'")
    }
  }

  func testChatTemplateEncodesLikeFixture() throws {
    let t = try loadTokenizer()
    let (prompts, _, _) = try loadFixture()
    let chat = try XCTUnwrap(prompts.first { $0.name == "chatml" })
    let rendered = ChatTemplate.smolLM2.render([.user("What is 12 * 13?")], addGenerationPrompt: true)
    XCTAssertEqual(rendered, chat.text)
    XCTAssertEqual(t.encodeWithSpecial(rendered), chat.idsSpecial)
  }
}
