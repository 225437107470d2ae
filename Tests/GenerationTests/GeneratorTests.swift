import Generation
import Models
import TensorCore
import Tokenizers
import XCTest

/// One id per byte, plus EOS = 256: enough text handling to test stop strings.
struct ByteTokenizer: Tokenizer {
  var vocabSize: Int { 257 }
  var bosTokenID: Int? { nil }
  var eosTokenID: Int? { 256 }
  var padTokenID: Int? { 256 }
  func encode(_ text: String, options: EncodeOptions) -> [Int] { text.utf8.map(Int.init) }
  func decodeBytes(_ ids: [Int], skipSpecial: Bool) -> [UInt8] { ids.filter { $0 < 256 }.map(UInt8.init) }
  func specialTokenID(_ text: String) -> Int? { text == "<eos>" ? 256 : nil }
  func isSpecial(_ id: Int) -> Bool { id == 256 }
}

final class GeneratorTests: XCTestCase {
  func model(seed: UInt64 = 1) -> Transformer {
    var rng = SeededRNG(seed: seed)
    let c = ModelConfig(
      vocabSize: 257, hiddenSize: 16, intermediateSize: 32, numHiddenLayers: 2, numAttentionHeads: 4,
      numKeyValueHeads: 2,
      maxPositionEmbeddings: 128)
    let m = Transformer(config: c, rng: &rng)
    // Sharper logits than the 0.02 init, so sampling and greedy differ visibly.
    for p in m.parameters where p.rank == 2 { p.assign(Tensor.randn(p.shape, std: 0.3, rng: &rng)) }
    return m
  }

  func testGreedyMatchesStepByStepArgmaxOfFullForward() {
    let m = model()
    let prompt = [72, 105, 33]
    let out = Generator(model: m).generate(prompts: [prompt], params: .greedy(maxNewTokens: 6), seeds: [0])[0]
    var seq = prompt
    for _ in 0..<6 {
      let logits = withNoGrad { m(seq, batch: 1) }.toArray()
      let last = Array(logits.suffix(257))
      seq.append(last.indices.max { last[$0] < last[$1] || (last[$0] == last[$1] && $0 > $1) }!)
    }
    XCTAssertEqual(out.tokens, Array(seq.suffix(6)))
    // Returned log-probs are log-softmax of the model's logits at each step.
    let logits = withNoGrad { m(Array(seq.dropLast()), batch: 1) }
    let lp = logits.reshaped([seq.count - 1, 257]).tokenLogProbs(targets: Array(seq.dropFirst()))
      .toDoubleArray()
    for (a, b) in zip(out.logProbs, lp.suffix(6)) { XCTAssertEqual(a, b, accuracy: 1e-4) }
  }

  /// A sequence's sample depends only on its prompt and seed, not on its batch-mates.
  func testBatchedSamplingEqualsSingleRuns() {
    let m = model()
    let prompts = [[1, 2, 3], [4, 5, 6, 7, 8], [9]]
    let params = SamplingParams(temperature: 1, topK: 50, topP: 0.95, maxNewTokens: 8)
    let batched = Generator(model: m).generate(prompts: prompts, params: params, seeds: [11, 12, 13])
    for (i, p) in prompts.enumerated() {
      let alone = Generator(model: m).generate(prompts: [p], params: params, seeds: [11 + UInt64(i)])[0]
      XCTAssertEqual(batched[i].tokens, alone.tokens, "sequence \(i)")
    }
    let again = Generator(model: m).generate(prompts: prompts, params: params, seeds: [11, 12, 13])
    XCTAssertEqual(again, batched, "same seeds ⇒ same samples")
  }

  /// Sequences that stop early leave the batch (their cache rows are dropped); the others' tokens
  /// and log-probs are those of single runs.
  func testEarlyStoppersLeaveTheBatchWithoutChangingTheOthers() {
    let m = model()
    let prompts = [[1, 2, 3], [4, 5], [9], [10, 11, 12, 13], [14], [15, 16]]
    var params = SamplingParams(temperature: 1, maxNewTokens: 16)
    params.stopTokenIDs = Array(0..<40)
    let seeds: [UInt64] = [21, 22, 23, 24, 25, 26]
    let batched = Generator(model: m).generate(prompts: prompts, params: params, seeds: seeds)
    let lengths = Set(batched.map(\.tokens.count))
    XCTAssertGreaterThan(lengths.count, 2, "the test needs sequences that stop at different steps")
    XCTAssertTrue(batched.contains { $0.finishReason == .stopToken })
    for (i, p) in prompts.enumerated() {
      let alone = Generator(model: m).generate(prompts: [p], params: params, seeds: [seeds[i]])[0]
      XCTAssertEqual(batched[i].tokens, alone.tokens, "sequence \(i)")
      XCTAssertEqual(batched[i].finishReason, alone.finishReason)
      for (a, b) in zip(batched[i].logProbs, alone.logProbs) { XCTAssertEqual(a, b, accuracy: 1e-5) }
    }
  }

  func testStopTokenAndStopString() {
    let m = model()
    let tok = ByteTokenizer()
    let free = Generator(model: m, tokenizer: tok).generate(
      prompts: [[65]], params: .greedy(maxNewTokens: 12), seeds: [0])[0]
    XCTAssertEqual(free.finishReason, .length)
    XCTAssertEqual(free.tokens.count, 12)
    // Stop on the third generated token's id: generation ends there, the id is kept.
    let stopID = free.tokens[2]
    let firstHit = free.tokens.firstIndex(of: stopID)!
    var p = SamplingParams.greedy(maxNewTokens: 12)
    p.stopTokenIDs = [stopID]
    let stopped = Generator(model: m, tokenizer: tok).generate(prompts: [[65]], params: p, seeds: [0])[0]
    XCTAssertEqual(stopped.tokens, Array(free.tokens.prefix(firstHit + 1)))
    XCTAssertEqual(stopped.finishReason, .stopToken)
    // Stop string: text is cut before it.
    let text = tok.decode(free.tokens)
    let needle = String(text.dropFirst(3).prefix(2))
    guard !needle.isEmpty else { return }
    var q = SamplingParams.greedy(maxNewTokens: 12)
    q.stopStrings = [needle]
    let cut = Generator(model: m, tokenizer: tok).generate(prompts: [[65]], params: q, seeds: [0])[0]
    XCTAssertEqual(cut.finishReason, .stopString)
    XCTAssertEqual(cut.text, String(text[..<text.range(of: needle)!.lowerBound]))
  }
}
