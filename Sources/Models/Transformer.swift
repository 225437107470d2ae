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

/// Multi-head self-attention with RoPE and grouped-query heads.
public final class SelfAttention: Module {
  let config: ModelConfig
  public let qProj, kProj, vProj, oProj: Linear

  init(_ c: ModelConfig, dtype: DType, std: Double, rng: inout SeededRNG) {
    config = c
    qProj = Linear(
      c.hiddenSize, c.numAttentionHeads * c.headDim, bias: c.attentionBias, init: .normal(std: std),
      dtype: dtype, rng: &rng)
    kProj = Linear(
      c.hiddenSize, c.numKeyValueHeads * c.headDim, bias: c.attentionBias, init: .normal(std: std),
      dtype: dtype, rng: &rng)
    vProj = Linear(
      c.hiddenSize, c.numKeyValueHeads * c.headDim, bias: c.attentionBias, init: .normal(std: std),
      dtype: dtype, rng: &rng)
    // GPT-2's residual scaling: the projections that write into the residual stream start
    // smaller (std / sqrt(2·layers)) so the stream's variance does not grow with depth.
    oProj = Linear(
      c.numAttentionHeads * c.headDim, c.hiddenSize,
      init: .normal(std: std / (2.0 * Double(c.numHiddenLayers)).squareRoot()), dtype: dtype, rng: &rng)
  }

  public var children: [(String, any Module)] {
    [("q_proj", qProj), ("k_proj", kProj), ("v_proj", vProj), ("o_proj", oProj)]
  }

  /// x (B, T, D) → (B, T, D). With a cache, keys/values of the T new tokens are appended to
  /// layer `layer` of it and attention runs over all S = length + T cached keys.
  func callAsFunction(_ x: Tensor, positions: [Int], keyStart: [Int]?, cache: KVCache?, layer: Int) -> Tensor
  {
    let (b, t) = (x.shape[0], x.shape[1])
    let (h, hkv, dh) = (config.numAttentionHeads, config.numKeyValueHeads, config.headDim)
    // (B, T, H, Dh) and (B, T, Hkv, Dh)
    let q = rope(qProj(x).reshaped([b, t, h, dh]), positions: positions, base: config.ropeTheta)
    let k = rope(kProj(x).reshaped([b, t, hkv, dh]), positions: positions, base: config.ropeTheta)
    let v = vProj(x).reshaped([b, t, hkv, dh])  // (B, T, Hkv, Dh)
    let qh = q.transposed(1, 2)  // (B, H, T, Dh)
    let kh = k.transposed(1, 2)  // (B, Hkv, T, Dh)
    let vh = v.transposed(1, 2)  // (B, Hkv, T, Dh)
    let attended: Tensor  // (B, H, T, Dh)
    if let cache {
      cache.write(layer: layer, keys: kh, values: vh)
      let s = cache.length + t
      attended = causalAttention(
        q: qh, k: cache.keys[layer], v: cache.values[layer], queryOffset: cache.length, keyStart: keyStart,
        keyLength: s)
    } else {
      attended = causalAttention(q: qh, k: kh, v: vh, keyStart: keyStart)
    }
    return oProj(attended.transposed(1, 2).reshaped([b, t, h * dh]))  // (B, T, H·Dh) → (B, T, D)
  }
}

/// The SwiGLU feed-forward block: down(silu(gate(x)) ⊙ up(x)).
public final class MLP: Module {
  public let gateProj, upProj, downProj: Linear

  init(_ c: ModelConfig, dtype: DType, std: Double, rng: inout SeededRNG) {
    gateProj = Linear(c.hiddenSize, c.intermediateSize, init: .normal(std: std), dtype: dtype, rng: &rng)
    upProj = Linear(c.hiddenSize, c.intermediateSize, init: .normal(std: std), dtype: dtype, rng: &rng)
    downProj = Linear(
      c.intermediateSize, c.hiddenSize,
      init: .normal(std: std / (2.0 * Double(c.numHiddenLayers)).squareRoot()), dtype: dtype, rng: &rng)
  }

  public var children: [(String, any Module)] {
    [("gate_proj", gateProj), ("up_proj", upProj), ("down_proj", downProj)]
  }

  /// (B, T, D) → (B, T, F) → (B, T, D)
  func callAsFunction(_ x: Tensor) -> Tensor { downProj(swiglu(gateProj(x), upProj(x))) }
}

/// One pre-norm residual block: x + attn(norm(x)), then + mlp(norm(·)).
public final class DecoderLayer: Module {
  public let selfAttn: SelfAttention
  public let mlp: MLP
  public let inputLayernorm, postAttentionLayernorm: RMSNorm

  init(_ c: ModelConfig, dtype: DType, std: Double, rng: inout SeededRNG) {
    selfAttn = SelfAttention(c, dtype: dtype, std: std, rng: &rng)
    mlp = MLP(c, dtype: dtype, std: std, rng: &rng)
    inputLayernorm = RMSNorm(c.hiddenSize, eps: c.rmsNormEps, dtype: dtype)
    postAttentionLayernorm = RMSNorm(c.hiddenSize, eps: c.rmsNormEps, dtype: dtype)
  }

  public var children: [(String, any Module)] {
    [
      ("self_attn", selfAttn), ("mlp", mlp), ("input_layernorm", inputLayernorm),
      ("post_attention_layernorm", postAttentionLayernorm),
    ]
  }

  func callAsFunction(_ x: Tensor, positions: [Int], keyStart: [Int]?, cache: KVCache?, layer: Int) -> Tensor
  {
    // (B, T, D)
    let h =
      x + selfAttn(inputLayernorm(x), positions: positions, keyStart: keyStart, cache: cache, layer: layer)
    return h + mlp(postAttentionLayernorm(h))  // (B, T, D)
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

  /// A freshly initialised model (normal(0, 0.02) weights, seeded). Float64 exists for gradient
  /// checks; the KV cache (inference) is Float32 only.
  public init(config c: ModelConfig, dtype: DType = .float32, initStd: Double = 0.02, rng: inout SeededRNG) {
    config = c
    embedTokens = Embedding(c.vocabSize, c.hiddenSize, std: initStd, dtype: dtype, rng: &rng)
    layers = (0..<c.numHiddenLayers).map { _ in DecoderLayer(c, dtype: dtype, std: initStd, rng: &rng) }
    norm = RMSNorm(c.hiddenSize, eps: c.rmsNormEps, dtype: dtype)
    lmHead =
      c.tieWordEmbeddings
      ? nil : Linear(c.hiddenSize, c.vocabSize, init: .normal(std: initStd), dtype: dtype, rng: &rng)
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
    let offset = cache?.length ?? 0
    let pos =
      positions
      ?? (0..<batch).flatMap { b in (0..<t).map { i in max(offset + i - (keyStart?[b] ?? 0), 0) } }
    var x = embedTokens(tokens, shape: [batch, t])  // (B, T, D)
    for (i, layer) in layers.enumerated() {
      x = layer(x, positions: pos, keyStart: keyStart, cache: cache, layer: i)  // (B, T, D)
    }
    cache?.advance(by: t)
    return norm(x)  // (B, T, D)
  }

  /// LM-head logits of hidden states (…, D) → (…, V).
  public func logits(_ hidden: Tensor) -> Tensor {
    if let lmHead { return lmHead(hidden) }
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
