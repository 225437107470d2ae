import Models
import NN
import TensorCore
import TestSupport
import XCTest

final class TransformerTests: XCTestCase {
  static func config(vocab: Int = 32, layers: Int = 2, tied: Bool = true, bias: Bool = false) -> ModelConfig {
    ModelConfig(
      vocabSize: vocab, hiddenSize: 16, intermediateSize: 24, numHiddenLayers: layers, numAttentionHeads: 4,
      numKeyValueHeads: 2, maxPositionEmbeddings: 64, ropeTheta: 10_000, rmsNormEps: 1e-5,
      tieWordEmbeddings: tied,
      attentionBias: bias)
  }

  func testParameterNamesFollowHuggingFace() {
    var rng = SeededRNG(seed: 1)
    let names = Transformer(config: Self.config(layers: 1, tied: false, bias: true), rng: &rng)
      .namedParameters().map(\.name)
    XCTAssertEqual(
      names,
      [
        "model.embed_tokens.weight", "model.layers.0.self_attn.q_proj.weight",
        "model.layers.0.self_attn.q_proj.bias",
        "model.layers.0.self_attn.k_proj.weight", "model.layers.0.self_attn.k_proj.bias",
        "model.layers.0.self_attn.v_proj.weight", "model.layers.0.self_attn.v_proj.bias",
        "model.layers.0.self_attn.o_proj.weight", "model.layers.0.mlp.gate_proj.weight",
        "model.layers.0.mlp.up_proj.weight",
        "model.layers.0.mlp.down_proj.weight", "model.layers.0.input_layernorm.weight",
        "model.layers.0.post_attention_layernorm.weight", "model.norm.weight", "lm_head.weight",
      ])
  }

  /// Finite differences through a whole block (and the embedding/head) in Float64.
  func testGradientOfFullBlockInDouble() {
    var rng = SeededRNG(seed: 2)
    let c = ModelConfig(
      vocabSize: 7, hiddenSize: 8, intermediateSize: 12, numHiddenLayers: 1, numAttentionHeads: 2,
      numKeyValueHeads: 1,
      maxPositionEmbeddings: 16, tieWordEmbeddings: false, attentionBias: true)
    let model = Transformer(config: c, dtype: .float64, rng: &rng)
    // Larger weights than the 0.02 init so every path carries signal.
    for p in model.parameters where p.rank == 2 {
      p.assign(Tensor.randn(p.shape, std: 0.5, dtype: .float64, rng: &rng))
    }
    let tokens = [1, 4, 2, 6, 0, 3, 3, 5]
    let (ok, report) = GradCheck.check(model.parameters, rtol: 1e-4) { _ in
      model(tokens, batch: 2, keyStart: [0, 1])
    }
    XCTAssertTrue(ok, "\(report)")
  }

  func testKVCacheDecodeMatchesFullForward() {
    var rng = SeededRNG(seed: 3)
    let model = Transformer(config: Self.config(), rng: &rng)
    let tokens = (0..<12).map { _ in Int.random(in: 0..<32, using: &rng) }
    let full = withNoGrad { model(tokens, batch: 1) }.toArray()  // (1, 12, V)
    let cache = KVCache(config: model.config, batch: 1, capacity: 16)
    // Prefill 5 tokens, then decode one at a time.
    var stepped: [Float] = withNoGrad { model(Array(tokens[0..<5]), batch: 1, cache: cache) }.toArray()
    for i in 5..<12 { stepped += withNoGrad { model([tokens[i]], batch: 1, cache: cache) }.toArray() }
    XCTAssertEqual(stepped.count, full.count)
    let maxErr = zip(stepped, full).map { abs($0 - $1) }.max()!
    XCTAssertLessThan(maxErr, 1e-4)
  }

  /// A left-padded batch of 4 sequences of different lengths gives each sequence the logits it
  /// gets alone; right padding leaves the real positions unchanged too.
  func testBatchAndPaddingMatchSingleRuns() {
    var rng = SeededRNG(seed: 4)
    let model = Transformer(config: Self.config(), rng: &rng)
    let seqs = [3, 7, 5, 7].map { n in (0..<n).map { _ in Int.random(in: 1..<32, using: &rng) } }
    let width = 7
    let single = seqs.map { s in withNoGrad { model(s, batch: 1) }.toArray() }
    let v = 32
    // Left padding with keyStart, then a KV-cached decode step for all four at once.
    let padded = seqs.flatMap { [Int](repeating: 0, count: width - $0.count) + $0 }
    let starts = seqs.map { width - $0.count }
    let cache = KVCache(config: model.config, batch: 4, capacity: 10)
    let left = withNoGrad { model(padded, batch: 4, keyStart: starts, cache: cache) }.toArray()
    for (b, s) in seqs.enumerated() {
      for i in 0..<s.count {
        for j in 0..<v {
          XCTAssertEqual(left[(b * width + starts[b] + i) * v + j], single[b][i * v + j], accuracy: 1e-4)
        }
      }
    }
    let next = [5, 6, 7, 8]
    let step = withNoGrad { model(next, batch: 4, keyStart: starts, cache: cache) }.toArray()
    for b in 0..<4 {
      let alone = withNoGrad { model(seqs[b] + [next[b]], batch: 1) }.toArray()
      for j in 0..<v { XCTAssertEqual(step[b * v + j], alone[seqs[b].count * v + j], accuracy: 1e-4) }
    }
    // Right padding (training layout): real positions are unaffected by the pads after them.
    let right = seqs.flatMap { $0 + [Int](repeating: 0, count: width - $0.count) }
    let r = withNoGrad { model(right, batch: 4) }.toArray()
    for (b, s) in seqs.enumerated() {
      for i in 0..<s.count * v { XCTAssertEqual(r[b * width * v + i], single[b][i], accuracy: 1e-4) }
    }
  }

  /// A tiny model memorises a short text (loss → ~0) and then regenerates it greedily.
  func testTinyModelOverfitsAndRegenerates() {
    var rng = SeededRNG(seed: 5)
    let text = Array("the cat sat on the mat.".utf8).map(Int.init)
    let c = ModelConfig(
      vocabSize: 128, hiddenSize: 32, intermediateSize: 64, numHiddenLayers: 2, numAttentionHeads: 4,
      numKeyValueHeads: 2,
      maxPositionEmbeddings: 64)
    let model = Transformer(config: c, rng: &rng)
    let opt = AdamW(model.namedParameters(), config: AdamWConfig(learningRate: 3e-3))
    var loss = 0.0
    for _ in 0..<150 {
      let logits = model(Array(text.dropLast()), batch: 1)  // (1, T, V)
      let l = logits.reshaped([text.count - 1, c.vocabSize]).crossEntropy(targets: Array(text.dropFirst()))
      loss = l.item()
      l.backward()
      opt.update()
      opt.zeroGrad()
    }
    XCTAssertLessThan(loss, 0.05)
    var generated = [text[0]]
    let cache = KVCache(config: c, batch: 1, capacity: 32)
    var next = [text[0]]
    for _ in 1..<text.count {
      let logits = withNoGrad { model(next, batch: 1, cache: cache) }.toArray()
      let id = logits.indices.max { logits[$0] < logits[$1] }!
      generated.append(id)
      next = [id]
    }
    XCTAssertEqual(String(decoding: generated.map(UInt8.init), as: UTF8.self), "the cat sat on the mat.")
  }
}
