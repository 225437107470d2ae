import Foundation
import NN
import TensorCore
import Tokenizers
import XCTest

@testable import Models

final class ModelBundleTests: XCTestCase {
  /// The tokenizer built from the real SmolLM2 GGUF through the Swift reader encodes every fixture
  /// prompt exactly as llama.cpp did (Fixtures/smollm2-llamacpp.json, made with llama-cpp-python).
  func testGGUFTokenizerMatchesLlamaCppOnEveryFixturePrompt() throws {
    let url = SmolLM2GGUFTests.modelURL
    guard FileManager.default.fileExists(atPath: url.path) else {
      let message =
        "SKIPPING GGUF TOKENIZER PARITY: \(url.path) is absent — run `bash Scripts/fetch-smollm2.sh`"
      FileHandle.standardError.write(Data("\n*** \(message) ***\n\n".utf8))
      throw XCTSkip(message)
    }
    let file = try GGUFFile(url: url)
    let meta = try file.tokenizerMetadata()
    XCTAssertEqual(meta.model, "gpt2")
    XCTAssertEqual(meta.pre, "smollm")
    XCTAssertEqual(meta.tokens.count, 49152)
    XCTAssertEqual(meta.tokenTypes?.count, 49152)
    XCTAssertEqual(meta.bosTokenID, 1)
    XCTAssertEqual(meta.eosTokenID, 2)
    XCTAssertEqual(ChatTemplate(detectingFrom: meta.chatTemplate), .smolLM2)
    let t = try BPETokenizer(gguf: meta)
    XCTAssertEqual(t.preTokenizer, .gpt2IndividualDigits)

    let fixture = try Fixtures.json("smollm2-llamacpp.json")
    let prompts = try XCTUnwrap(fixture["prompts"] as? [[String: Any]])
    let random = try XCTUnwrap(fixture["random_prompts"] as? [[String: Any]])
    XCTAssertGreaterThanOrEqual(prompts.count, 12)
    XCTAssertGreaterThanOrEqual(random.count, 80)
    var checked = 0
    for (i, p) in (prompts + random).enumerated() {
      let text = try XCTUnwrap(p["text"] as? String)
      XCTAssertEqual(t.encode(text), try Fixtures.ints(p["ids"]), "plain ids of fixture prompt #\(i)")
      XCTAssertEqual(
        t.encodeWithSpecial(text), try Fixtures.ints(p["ids_special"]), "special ids of prompt #\(i)")
      checked += 1
    }
    XCTAssertEqual(checked, prompts.count + random.count)
  }

  func testTemplateDetection() {
    let smol =
      "{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system\\nYou are a helpful AI "
      + "assistant named SmolLM, trained by Hugging Face<|im_end|>\\n' }}{% endif %}{{'<|im_start|>' + "
      + "message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}"
    let qwen = "{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}"
    let llama3 =
      "{{ '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' + message['content'] | trim + "
      + "'<|eot_id|>' }}"
    XCTAssertEqual(ChatTemplate(detectingFrom: smol), .smolLM2)
    XCTAssertEqual(ChatTemplate(detectingFrom: qwen), .chatML(defaultSystemPrompt: nil))
    XCTAssertEqual(ChatTemplate(detectingFrom: llama3), .llama3)
    XCTAssertEqual(ChatTemplate(detectingFrom: "{{ bos_token }}{{ message['content'] }}"), .plain)
    XCTAssertEqual(ChatTemplate(detectingFrom: nil), .plain)
  }

  func tinyModel(vocab: Int) -> Transformer {
    var rng = SeededRNG(seed: 5)
    let c = ModelConfig(
      vocabSize: vocab, hiddenSize: 8, intermediateSize: 16, numHiddenLayers: 1, numAttentionHeads: 2,
      numKeyValueHeads: 1, maxPositionEmbeddings: 32, eosTokenIds: [2])
    return Transformer(config: c, rng: &rng)
  }

  func testLoadsRecheckDirectoryWithCharTokenizer() throws {
    let dir = try temporaryDirectory().appendingPathComponent("char-model")
    let chars = try CharTokenizer(characters: "0123456789+=")
    let model = tinyModel(vocab: chars.vocabSize)
    try model.save(to: dir, tokenizer: .data(try chars.jsonData(), name: "tokenizer.json"))
    let bundle = try ModelBundle.load(dir)
    XCTAssertEqual(bundle.tokenizer as? CharTokenizer, chars)
    XCTAssertEqual(bundle.template, .plain)
    XCTAssertEqual(bundle.stopTokenIDs, [2])  // <eos> of the char tokenizer and of the config
    let ids = chars.encode("12+3=")
    let expected = withNoGrad { model(ids, batch: 1) }.toArray()
    let got = withNoGrad { bundle.model(ids, batch: 1) }.toArray()
    XCTAssertEqual(got, expected)
  }

  /// `dtype: .float64` widens every weight exactly and runs in Double: logits within Float32's
  /// rounding of the Float32 model's, but not themselves Float32 values (the forward ran in Double).
  func testLoadsDirectoryInFloat64() throws {
    let dir = try temporaryDirectory().appendingPathComponent("f64-model")
    let chars = try CharTokenizer(characters: "0123456789+=")
    let model = tinyModel(vocab: chars.vocabSize)
    try model.save(to: dir, tokenizer: .data(try chars.jsonData(), name: "tokenizer.json"))
    let wide = try ModelBundle.load(dir, dtype: .float64).model
    for ((name, p64), (_, p32)) in zip(wide.namedParameters(), model.namedParameters()) {
      XCTAssertEqual(p64.dtype, .float64, name)
      XCTAssertEqual(p64.toDoubleArray(), p32.toDoubleArray(), name)
    }
    let ids = chars.encode("12+3=")
    let narrow = withNoGrad { model(ids, batch: 1) }.toDoubleArray()
    let out = withNoGrad { wide(ids, batch: 1) }
    XCTAssertEqual(out.dtype, .float64)
    let exact = out.toDoubleArray()
    XCTAssertEqual(exact.count, narrow.count)
    for (a, b) in zip(exact, narrow) { XCTAssertEqual(a, b, accuracy: 1e-5) }
    XCTAssertTrue(exact.contains { Double(Float($0)) != $0 }, "Float64 logits are all Float32 values")
  }

  /// A Hugging Face layout: byte-level BPE tokenizer.json, tokenizer_config.json with the EOS token
  /// as an object and a ChatML template.
  func testLoadsHuggingFaceDirectoryWithBPETokenizerAndConfig() throws {
    let dir = try temporaryDirectory().appendingPathComponent("hf-model")
    var vocab: [String: Int] = [:]
    for b in 0..<256 { vocab[ByteLevelAlphabet.encode([UInt8(b)])] = b }
    vocab["ab"] = 256
    let added: [[String: Any]] = [
      ["id": 257, "content": "<|im_start|>", "special": true],
      ["id": 258, "content": "<|im_end|>", "special": true],
    ]
    let tokenizerJSON: [String: Any] = [
      "added_tokens": added, "normalizer": NSNull(),
      "pre_tokenizer": ["type": "ByteLevel", "add_prefix_space": false, "use_regex": true],
      "model": ["type": "BPE", "vocab": vocab, "merges": ["a b"]],
    ]
    let config: [String: Any] = [
      "eos_token": ["content": "<|im_end|>", "special": true], "bos_token": "<|im_start|>",
      "chat_template": "{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>'}}",
    ]
    let model = tinyModel(vocab: 259)
    try model.save(
      to: dir,
      tokenizer: .data(try JSONSerialization.data(withJSONObject: tokenizerJSON), name: "tokenizer.json"))
    try JSONSerialization.data(withJSONObject: config).write(
      to: dir.appendingPathComponent("tokenizer_config.json"))
    let bundle = try ModelBundle.load(dir)
    let t = try XCTUnwrap(bundle.tokenizer as? BPETokenizer)
    XCTAssertEqual(t.eosTokenID, 258)
    XCTAssertEqual(t.bosTokenID, 257)
    XCTAssertEqual(t.encode("cab"), [99, 256])  // "c", then the merge "ab"
    XCTAssertEqual(bundle.template, .chatML(defaultSystemPrompt: nil))
    XCTAssertEqual(bundle.stopTokenIDs, [2, 258])  // config eos_token_id, tokenizer EOS = <|im_end|>
  }

  func testBadInputsGiveClearErrors() throws {
    let root = try temporaryDirectory()
    XCTAssertThrowsError(try ModelBundle.load(root.appendingPathComponent("absent.gguf"))) {
      XCTAssertTrue("\($0)".contains("no such file"), "\($0)")
    }
    let text = root.appendingPathComponent("weights.bin")
    try Data([1, 2, 3]).write(to: text)
    XCTAssertThrowsError(try ModelBundle.load(text)) { XCTAssertTrue("\($0)".contains(".gguf"), "\($0)") }
    let dir = root.appendingPathComponent("no-tokenizer")
    try tinyModel(vocab: 16).save(to: dir)
    XCTAssertThrowsError(try ModelBundle.load(dir)) {
      XCTAssertTrue("\($0)".contains("tokenizer.json"), "\($0)")
    }
    // A char tokenizer with more ids than the model's vocabulary cannot drive it.
    let big = root.appendingPathComponent("too-many-ids")
    let chars = try CharTokenizer(characters: "abcdefghijklmnopqrstuvwxyz")
    try tinyModel(vocab: 16).save(to: big, tokenizer: .data(try chars.jsonData(), name: "tokenizer.json"))
    XCTAssertThrowsError(try ModelBundle.load(big)) { XCTAssertTrue("\($0)".contains("vocab_size"), "\($0)") }
  }
}
