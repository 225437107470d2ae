import NN
import TensorCore

// A LLaMA-family decoder-only transformer (LLaMA, Mistral, SmolLM, Qwen2), read top to bottom.
//
// Dimension legend:
//   B batch · T new tokens · S keys (cached + new) · D hidden size · H query heads ·
//   Hkv key/value heads · Dh head dim · F MLP (intermediate) size · V vocabulary
//
// Module tree and parameter names follow Hugging Face's LlamaForCausalLM exactly
// (`model.embed_tokens`, `model.layers.N.self_attn.q_proj`, …, `model.norm`, `lm_head`), so
// safetensors checkpoints load by name.

/// Which arithmetic the forward pass uses. `reference`: the differentiable TensorCore ops (Double
/// RoPE angles, Double norm statistics, libm exp). `llamaCpp`: `LlamaCppOps`, ggml's exact rounding
/// and summation order (inference only), which `Transformer(quantized:)` selects so that a GGUF
/// model reproduces llama.cpp bit for bit.
public enum Arithmetic: String, Sendable {
  case reference, llamaCpp
}

/// Multi-head self-attention with RoPE and grouped-query heads.
public final class SelfAttention: Module {
  let config: ModelConfig
  public let qProj, kProj, vProj, oProj: Linear

  init(_ c: ModelConfig, _ build: LayerBuilder, name: String) throws {
    config = c
    let (q, kv) = (c.numAttentionHeads * c.headDim, c.numKeyValueHeads * c.headDim)
    qProj = try build.linear("\(name).q_proj", c.hiddenSize, q, c.attentionBias, 1)
    kProj = try build.linear("\(name).k_proj", c.hiddenSize, kv, c.attentionBias, 1)
    vProj = try build.linear("\(name).v_proj", c.hiddenSize, kv, c.attentionBias, 1)
    // GPT-2's residual scaling: the projections that write into the residual stream start
    // smaller (std / sqrt(2·layers)) so the stream's variance does not grow with depth.
    oProj = try build.linear(
      "\(name).o_proj", q, c.hiddenSize, false, 1 / (2.0 * Double(c.numHiddenLayers)).squareRoot())
  }

  public var children: [(String, any Module)] {
    [("q_proj", qProj), ("k_proj", kProj), ("v_proj", vProj), ("o_proj", oProj)]
  }

  /// x (B, T, D) → (B, T, D). With a cache, keys/values of the T new tokens are appended to
  /// layer `layer` of it and attention runs over all S = length + T cached keys.
  func callAsFunction(
    _ x: Tensor, positions: [Int], keyStart: [Int]?, cache: KVCache?, layer: Int, arithmetic: Arithmetic
  ) -> Tensor {
    let (b, t) = (x.shape[0], x.shape[1])
    let (h, hkv, dh) = (config.numAttentionHeads, config.numKeyValueHeads, config.headDim)
    let exact = arithmetic == .llamaCpp
    func rotate(_ y: Tensor) -> Tensor {
      exact
        ? LlamaCppOps.rope(y, positions: positions, base: config.ropeTheta)
        : rope(y, positions: positions, base: config.ropeTheta)
    }
    var q = rotate(qProj(x).reshaped([b, t, h, dh]))  // (B, T, H, Dh)
    // llama.cpp's non-flash attention multiplies an F16 cache by Q converted to F16.
    if cache?.halfPrecision == true && !exact { q = q.roundedToHalf() }
    let k = rotate(kProj(x).reshaped([b, t, hkv, dh]))  // (B, T, Hkv, Dh)
    let v = vProj(x).reshaped([b, t, hkv, dh])  // (B, T, Hkv, Dh)
    guard let cache else {
      // Training and full-sequence scoring: the fused kernel reads (B, T, H, Dh) in place.
      let attended = causalSelfAttention(q: q, k: k, v: v, keyStart: keyStart)  // (B, T, H, Dh)
      return oProj(attended.reshaped([b, t, h * dh]))  // (B, T, H·Dh) → (B, T, D)
    }
    let qh = q.transposed(1, 2)  // (B, H, T, Dh)
    let kh = k.transposed(1, 2)  // (B, Hkv, T, Dh)
    let vh = v.transposed(1, 2)  // (B, Hkv, T, Dh)
    cache.write(layer: layer, keys: kh, values: vh)
    let attended: Tensor  // (B, H, T, Dh)
    if exact {
      // ggml's attention reads K and V back from its F16 cache (`hiddenStates` always passes one).
      attended = LlamaCppOps.attention(
        q: qh, k: cache.keys[layer], v: cache.values[layer], queryOffset: cache.length, keyStart: keyStart,
        keyLength: cache.length + t)
    } else {
      attended = causalAttention(
        q: qh, k: cache.keys[layer], v: cache.values[layer], queryOffset: cache.length, keyStart: keyStart,
        keyLength: cache.length + t, halfPrecisionProbabilities: cache.halfPrecision)
    }
    return oProj(attended.transposed(1, 2).reshaped([b, t, h * dh]))  // (B, T, H·Dh) → (B, T, D)
  }
}

/// The SwiGLU feed-forward block: down(silu(gate(x)) ⊙ up(x)).
public final class MLP: Module {
  public let gateProj, upProj, downProj: Linear

  init(_ c: ModelConfig, _ build: LayerBuilder, name: String) throws {
    gateProj = try build.linear("\(name).gate_proj", c.hiddenSize, c.intermediateSize, false, 1)
    upProj = try build.linear("\(name).up_proj", c.hiddenSize, c.intermediateSize, false, 1)
    downProj = try build.linear(
      "\(name).down_proj", c.intermediateSize, c.hiddenSize, false,
      1 / (2.0 * Double(c.numHiddenLayers)).squareRoot())
  }

  public var children: [(String, any Module)] {
    [("gate_proj", gateProj), ("up_proj", upProj), ("down_proj", downProj)]
  }

  /// (B, T, D) → (B, T, F) → (B, T, D)
  func callAsFunction(_ x: Tensor, arithmetic: Arithmetic = .reference) -> Tensor {
    let (gate, up) = (gateProj(x), upProj(x))  // (B, T, F)
    return downProj(arithmetic == .llamaCpp ? LlamaCppOps.swiglu(gate, up) : swiglu(gate, up))
  }
}

/// One pre-norm residual block: x + attn(norm(x)), then + mlp(norm(·)).
public final class DecoderLayer: Module {
  public let selfAttn: SelfAttention
  public let mlp: MLP
  public let inputLayernorm, postAttentionLayernorm: RMSNorm

  init(_ c: ModelConfig, _ build: LayerBuilder, name: String) throws {
    selfAttn = try SelfAttention(c, build, name: "\(name).self_attn")
    mlp = try MLP(c, build, name: "\(name).mlp")
    inputLayernorm = try build.norm("\(name).input_layernorm", c.hiddenSize, c.rmsNormEps)
    postAttentionLayernorm = try build.norm("\(name).post_attention_layernorm", c.hiddenSize, c.rmsNormEps)
  }

  public var children: [(String, any Module)] {
    [
      ("self_attn", selfAttn), ("mlp", mlp), ("input_layernorm", inputLayernorm),
      ("post_attention_layernorm", postAttentionLayernorm),
    ]
  }

  func callAsFunction(
    _ x: Tensor, positions: [Int], keyStart: [Int]?, cache: KVCache?, layer: Int, arithmetic: Arithmetic
  ) -> Tensor {
    let a = arithmetic
    let h =
      // (B, T, D)
      x
      + selfAttn(
        inputLayernorm(x, arithmetic: a), positions: positions, keyStart: keyStart, cache: cache,
        layer: layer,
        arithmetic: a)
    return h + mlp(postAttentionLayernorm(h, arithmetic: a), arithmetic: a)  // (B, T, D)
  }
}

/// The causal language model: embeddings → decoder layers → final norm → LM head.
public final class Transformer: Module {
  public let config: ModelConfig
  public let embedTokens: Embedding
  public let layers: [DecoderLayer]
  public let norm: RMSNorm
  /// Absent when the head is tied to the embedding table (`tie_word_embeddings`).
  public let lmHead: Linear?
  /// The forward pass's arithmetic: `.llamaCpp` for `init(quantized:)`, else `.reference`.
  public internal(set) var arithmetic = Arithmetic.reference

  /// A freshly initialised model (normal(0, 0.02) weights, seeded). Float64 exists for gradient
  /// checks; the KV cache (inference) is Float32 only.
  public convenience init(
    config c: ModelConfig, dtype: DType = .float32, initStd: Double = 0.02, rng: inout SeededRNG
  ) {
    let build = LayerBuilder.random(dtype: dtype, std: initStd, rng: rng)
    try! self.init(config: c, build: build)  // random initialisation cannot fail
    rng = build.rng
  }

  /// The layers from `build`, in declaration order (which fixes the random draws).
  init(config c: ModelConfig, build: LayerBuilder) throws {
    config = c
    embedTokens = try build.embedding("model.embed_tokens", c.vocabSize, c.hiddenSize)
    layers = try (0..<c.numHiddenLayers).map { try DecoderLayer(c, build, name: "model.layers.\($0)") }
    norm = try build.norm("model.norm", c.hiddenSize, c.rmsNormEps)
    lmHead = c.tieWordEmbeddings ? nil : try build.linear("lm_head", c.hiddenSize, c.vocabSize, false, 1)
  }

  public var children: [(String, any Module)] {
    var out: [(String, any Module)] = [("model.embed_tokens", embedTokens)]
    for (i, layer) in layers.enumerated() { out.append(("model.layers.\(i)", layer)) }
    out.append(("model.norm", norm))
    if let lmHead { out.append(("lm_head", lmHead)) }
    return out
  }

  /// Final hidden states (B, T, D) of `tokens`, B rows of T ids (flat, row-major).
  ///
  /// - positions: one RoPE position per token; default: the cache length (or 0) plus the index
  ///   within the row, minus `keyStart` for left-padded rows.
  /// - keyStart: per row, the first non-padding key position (left padding); nil = no padding.
  ///   Right padding needs no mask: causal attention never lets a real token see a later pad.
  /// - cache: when given, new keys/values are appended to it and attention sees the whole cache.
  public func hiddenStates(
    _ tokens: [Int], batch: Int, positions: [Int]? = nil, keyStart: [Int]? = nil, cache: KVCache? = nil
  )
    -> Tensor
  {
    precondition(
      batch > 0 && tokens.count % batch == 0,
      "hiddenStates: \(tokens.count) tokens do not split into \(batch) rows")
    let t = tokens.count / batch
    // llama.cpp's attention always goes through its F16 cache: without one, a temporary one.
    let cache =
      cache
      ?? (arithmetic == .llamaCpp
        ? KVCache(config: config, batch: batch, capacity: t, halfPrecision: true) : nil)
    let offset = cache?.length ?? 0
    let pos =
      positions
      ?? (0..<batch).flatMap { b in (0..<t).map { i in max(offset + i - (keyStart?[b] ?? 0), 0) } }
    var x = embedTokens(tokens, shape: [batch, t])  // (B, T, D)
    for (i, layer) in layers.enumerated() {
      // (B, T, D)
      x = layer(x, positions: pos, keyStart: keyStart, cache: cache, layer: i, arithmetic: arithmetic)
    }
    cache?.advance(by: t)
    return norm(x, arithmetic: arithmetic)  // (B, T, D)
  }

  /// LM-head logits of hidden states (…, D) → (…, V).
  public func logits(_ hidden: Tensor) -> Tensor {
    if let lmHead { return lmHead(hidden) }
    if let table = embedTokens.quantized { return quantizedMatmul(hidden, table) }  // tied, quantized
    return hidden.matmul(embedTokens.weight, transposeB: true)  // tied: (…, D) · (V, D)ᵀ
  }

  /// Logits (B, T, V) of every position.
  public func callAsFunction(
    _ tokens: [Int], batch: Int, positions: [Int]? = nil, keyStart: [Int]? = nil, cache: KVCache? = nil
  )
    -> Tensor
  {
    logits(hiddenStates(tokens, batch: batch, positions: positions, keyStart: keyStart, cache: cache))
  }
}

extension RMSNorm {
  /// The norm with the given arithmetic (see `Arithmetic`).
  func callAsFunction(_ x: Tensor, arithmetic: Arithmetic) -> Tensor {
    arithmetic == .llamaCpp ? LlamaCppOps.rmsNorm(x, weight: weight, eps: eps) : self(x)
  }
}
