import Foundation
import NN
import TensorCore
import Tokenizers
import XCTest

@testable import Models

/// A model trained from a GGUF file is written as a Hugging Face directory (`HuggingFaceFiles`) and
/// reads back as the same model: tokenizer ids (llama.cpp's, from the fixture), chat template, stop
/// ids and logits. transformers' own reading is checked by Scripts/check-hf-export.sh.
final class HuggingFaceFilesTests: XCTestCase {
  func testGenerationConfigHandExample() throws {
    let t = try BPETokenizer(gguf: GGUFTokenizerMetadata(tokens: ["a", "<s>", "</s>"], merges: []))
    let c = ModelConfig(
      vocabSize: 3, hiddenSize: 8, intermediateSize: 16, numHiddenLayers: 1, numAttentionHeads: 2,
      maxPositionEmbeddings: 32, bosTokenId: 1, eosTokenIds: [2], padTokenId: 2)
    let root = try XCTUnwrap(
      JSONSerialization.jsonObject(with: HuggingFaceFiles.generationConfig(config: c, tokenizer: t))
        as? [String: Any])
    XCTAssertEqual(root["bos_token_id"] as? Int, 1)
    XCTAssertEqual(root["eos_token_id"] as? [Int], [2])
    XCTAssertEqual(root["pad_token_id"] as? Int, 2)
  }

  func testCharTokenizerIsRefused() throws {
    var rng = SeededRNG(seed: 1)
    let c = ModelConfig(
      vocabSize: 16, hiddenSize: 8, intermediateSize: 16, numHiddenLayers: 1, numAttentionHeads: 2,
      maxPositionEmbeddings: 32)
    let bundle = ModelBundle(
      model: Transformer(config: c, rng: &rng), tokenizer: try CharTokenizer(characters: "0123"),
      template: .plain)
    XCTAssertThrowsError(try HuggingFaceFiles(bundle: bundle)) {
      XCTAssertTrue("\($0)".contains("BPE"), "\($0)")
    }
  }

  func testSmolLM2GGUFWrittenAsHuggingFaceDirectoryReadsBackTheSame() throws {
    let url = SmolLM2GGUFTests.modelURL
    guard FileManager.default.fileExists(atPath: url.path) else {
      let message =
        "SKIPPING HF EXPORT ROUND TRIP: \(url.path) is absent — run `bash Scripts/fetch-smollm2.sh`"
      FileHandle.standardError.write(Data("\n*** \(message) ***\n\n".utf8))
      throw XCTSkip(message)
    }
    let source = try ModelBundle.load(url, keepQuantized: false)
    let files = try HuggingFaceFiles(bundle: source)
    let dir = try temporaryDirectory().appendingPathComponent("smollm2-hf")
    try source.model.save(to: dir, tokenizer: files.tokenizer, files: files.files)
    for name in [
      "config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json", "generation_config.json",
    ] {
      XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent(name).path), name)
    }
    let back = try ModelBundle.load(dir)
    XCTAssertEqual(back.template, .smolLM2)
    XCTAssertEqual(back.chatTemplateSource, source.chatTemplateSource)
    XCTAssertEqual(back.stopTokenIDs, source.stopTokenIDs)
    XCTAssertEqual(back.tokenizer.bosTokenID, 1)
    XCTAssertEqual(back.tokenizer.eosTokenID, 2)

    // llama.cpp's ids for every fixture prompt, through the written tokenizer.json.
    let fixture = try Fixtures.json("smollm2-llamacpp.json")
    let prompts =
      try XCTUnwrap(fixture["prompts"] as? [[String: Any]])
      + XCTUnwrap(fixture["random_prompts"] as? [[String: Any]])
    for (i, p) in prompts.enumerated() {
      let text = try XCTUnwrap(p["text"] as? String)
      XCTAssertEqual(back.tokenizer.encode(text), try Fixtures.ints(p["ids"]), "plain ids of prompt #\(i)")
      XCTAssertEqual(
        back.tokenizer.encodeWithSpecial(text), try Fixtures.ints(p["ids_special"]),
        "special ids of prompt #\(i)")
    }
    // Same weights, same arithmetic: the same logits bit for bit.
    let ids = back.tokenizer.encodeWithSpecial(
      back.template.render([.user("What is 2+3?")], addGenerationPrompt: true))
    XCTAssertEqual(back.model(ids, batch: 1).toArray(), source.model(ids, batch: 1).toArray())
  }
}
