import Foundation
import Generation
import Models
import TensorCore
import Tokenizers
import XCTest

/// `TextGeneration.run` (the core of `recheck generate`) over tiny models written to temp dirs.
final class TextGenerationTests: XCTestCase {
  // No <eos> among the specials: stops come only from the config, so tests choose them.
  let chars = try! CharTokenizer(characters: "abcdehilnorstuwxyAU :\n", specialTokens: ["<pad>", "<unk>"])

  /// A 2-layer model with sharp random weights saved with `chars`, loaded back as a bundle.
  func bundle(eos: [Int] = []) throws -> ModelBundle {
    var rng = SeededRNG(seed: 3)
    let c = ModelConfig(
      vocabSize: chars.vocabSize, hiddenSize: 16, intermediateSize: 32, numHiddenLayers: 2,
      numAttentionHeads: 4,
      numKeyValueHeads: 2, maxPositionEmbeddings: 48, eosTokenIds: eos)
    let m = Transformer(config: c, rng: &rng)
    for p in m.parameters where p.rank == 2 { p.assign(Tensor.randn(p.shape, std: 0.4, rng: &rng)) }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "recheck-gen-\(UUID().uuidString)")
    addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
    try m.save(to: dir, tokenizer: .data(try chars.jsonData(), name: "tokenizer.json"))
    return try ModelBundle.load(dir)
  }

  /// Greedy continuation by re-running the full (cache-free) forward pass each step.
  func referenceGreedy(_ model: Transformer, _ prompt: [Int], steps: Int) -> [Int] {
    var seq = prompt
    let v = model.config.vocabSize
    for _ in 0..<steps {
      let last = Array(withNoGrad { model(seq, batch: 1) }.toArray().suffix(v))
      seq.append(last.indices.max { last[$0] < last[$1] || (last[$0] == last[$1] && $0 > $1) }!)
    }
    return Array(seq.dropFirst(prompt.count))
  }

  func testGreedyEqualsFullForwardArgmaxAndStreamsTheSameText() throws {
    let b = try bundle()
    var streamed = ""
    let config = TextGenerationConfig(prompt: "hello world", maxTokens: 12)
    let r = try TextGeneration.run(b, config: config) { streamed += $0 }
    let prompt = chars.encode("hello world")
    XCTAssertEqual(r.promptTokenCount, prompt.count)
    XCTAssertEqual(r.tokenIDs, referenceGreedy(b.model, prompt, steps: 12))
    XCTAssertEqual(r.finishReason, .length)
    XCTAssertEqual(r.text, chars.decode(r.tokenIDs))
    XCTAssertEqual(streamed, r.text)
    XCTAssertGreaterThan(r.tokensPerSecond, 0)
  }

  func testStopsAtEndOfSequenceTokenAndLeavesItOut() throws {
    let prompt = "a cat"
    let free = try TextGeneration.run(bundle(), config: TextGenerationConfig(prompt: prompt, maxTokens: 12))
      .tokenIDs
    // The last position whose token did not occur earlier: making it EOS stops exactly there.
    let k = try XCTUnwrap(free.indices.last { !free[..<$0].contains(free[$0]) })
    let b = try bundle(eos: [free[k]])
    XCTAssertEqual(b.stopTokenIDs, [free[k]])
    var streamed = ""
    let r = try TextGeneration.run(b, config: TextGenerationConfig(prompt: prompt, maxTokens: 12)) {
      streamed += $0
    }
    XCTAssertEqual(r.tokenIDs, Array(free[..<k]))
    XCTAssertEqual(r.finishReason, .stopToken)
    XCTAssertEqual(streamed, chars.decode(Array(free[..<k])))
  }

  func testChatWrapsPromptAsOneUserTurn() throws {
    let b = try bundle()
    XCTAssertEqual(b.template, .plain)
    let ids = TextGeneration.promptIDs(
      TextGenerationConfig(prompt: "hi", chat: true), tokenizer: b.tokenizer, template: b.template)
    XCTAssertEqual(chars.decode(ids), "User: hi\n\nAssistant:")
    let r = try TextGeneration.run(b, config: TextGenerationConfig(prompt: "hi", chat: true, maxTokens: 4))
    XCTAssertEqual(r.tokenIDs, referenceGreedy(b.model, ids, steps: 4))
  }

  func testSamplingIsSeededAndMatchesGenerator() throws {
    let b = try bundle()
    let config = TextGenerationConfig(prompt: "stew", maxTokens: 10, temperature: 1.2, topP: 0.9, seed: 42)
    let first = try TextGeneration.run(b, config: config)
    XCTAssertEqual(try TextGeneration.run(b, config: config).tokenIDs, first.tokenIDs)
    let direct = Generator(model: b.model).generate(
      prompts: [chars.encode("stew")], params: SamplingParams(temperature: 1.2, topP: 0.9, maxNewTokens: 10),
      seeds: [42])[0]
    XCTAssertEqual(first.tokenIDs, direct.tokens)
    var other = config
    other.seed = 43
    XCTAssertNotEqual(try TextGeneration.run(b, config: other).tokenIDs, first.tokenIDs)
  }

  func testRejectsBadRequests() throws {
    let b = try bundle()
    XCTAssertThrowsError(try TextGeneration.run(b, config: TextGenerationConfig(prompt: "a", maxTokens: 0)))
    XCTAssertThrowsError(try TextGeneration.run(b, config: TextGenerationConfig(prompt: "a", topP: 0)))
    XCTAssertThrowsError(try TextGeneration.run(b, config: TextGenerationConfig(prompt: "a", maxTokens: 48)))
    {
      XCTAssertTrue("\($0)".contains("48 positions"), "\($0)")
    }
  }

  /// End to end on the real SmolLM2 GGUF: template detected from the file, chat prompt ids and the
  /// first greedy tokens equal llama.cpp's (Tests/ModelsTests/Fixtures/smollm2-llamacpp.json).
  func testSmolLM2ChatGreedyMatchesLlamaCpp() throws {
    let env = ProcessInfo.processInfo.environment
    let cache =
      env["RECHECK_CACHE"] ?? ((env["XDG_CACHE_HOME"] ?? (NSHomeDirectory() + "/.cache")) + "/recheck")
    let url = URL(fileURLWithPath: cache + "/smollm2/SmolLM2-135M-Instruct.Q4_1.gguf")
    guard FileManager.default.fileExists(atPath: url.path) else {
      let message = "SKIPPING SmolLM2 GENERATION: \(url.path) is absent — run `bash Scripts/fetch-smollm2.sh`"
      FileHandle.standardError.write(Data("\n*** \(message) ***\n\n".utf8))
      throw XCTSkip(message)
    }
    let fixtureURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("../ModelsTests/Fixtures/smollm2-llamacpp.json")
    let fixture = try XCTUnwrap(
      JSONSerialization.jsonObject(with: Data(contentsOf: fixtureURL)) as? [String: Any])
    let entry = try XCTUnwrap(
      (fixture["logits"] as? [[String: Any]])?.first { $0["prompt"] as? String == "chatml" })
    let b = try ModelBundle.load(url)
    XCTAssertTrue(b.model.isQuantized)
    XCTAssertEqual(b.template, .smolLM2)
    let config = TextGenerationConfig(prompt: "What is 12 * 13?", chat: true, maxTokens: 8)
    XCTAssertEqual(
      TextGeneration.promptIDs(config, tokenizer: b.tokenizer, template: b.template),
      entry["prompt_ids"] as? [Int])
    let r = try TextGeneration.run(b, config: config)
    let expected = Array(try XCTUnwrap(entry["greedy_ids"] as? [Int]).prefix(8))
    XCTAssertEqual(r.tokenIDs, expected)
    XCTAssertEqual(r.text, b.tokenizer.decode(expected))
    XCTAssertTrue(r.text.hasPrefix("12 * 13 ="), r.text)
  }
}
