import Models
import TensorCore
import Tokenizers

/// Batched sampling from a `Transformer` with a KV cache: one prefill over the left-padded
/// prompts, then one decode step per new token for the whole batch. Each sequence draws from
/// its own seeded generator, so a sequence's output does not depend on what it is batched with.
public struct Generator {
  public let model: Transformer
  public let tokenizer: (any Tokenizer)?
  /// Round cached keys/values to binary16 (llama.cpp's default F16 cache; see `KVCache`).
  public var halfPrecisionCache: Bool

  public init(model: Transformer, tokenizer: (any Tokenizer)? = nil, halfPrecisionCache: Bool = false) {
    self.model = model
    self.tokenizer = tokenizer
    self.halfPrecisionCache = halfPrecisionCache
  }

  /// Continues every prompt (token ids, each non-empty). `seeds` gives one seed per prompt.
  /// Stop strings need a tokenizer (to see text); without one `text` is empty. `onToken(i, id)`
  /// sees each id as sequence i samples it (for streaming), stop tokens included.
  public func generate(
    prompts: [[Int]], params: SamplingParams, seeds: [UInt64],
    onToken: (_ sequence: Int, _ id: Int) -> Void = { _, _ in }
  ) -> [GeneratedSequence] {
    precondition(seeds.count == prompts.count, "generate: \(seeds.count) seeds for \(prompts.count) prompts")
    precondition(prompts.allSatisfy { !$0.isEmpty }, "generate: every prompt needs at least one token")
    if prompts.isEmpty { return [] }
    let b = prompts.count
    let width = prompts.map(\.count).max()!
    let v = model.config.vocabSize
    let pad = tokenizer?.padTokenID ?? tokenizer?.eosTokenID ?? 0
    let starts = prompts.map { width - $0.count }
    let padded = prompts.flatMap { [Int](repeating: pad, count: width - $0.count) + $0 }
    let cache = KVCache(
      config: model.config, batch: b, capacity: width + max(params.maxNewTokens, 1),
      halfPrecision: halfPrecisionCache)
    cache.keyStart = starts
    var rngs = seeds.map { SeededRNG(seed: $0) }
    var outputs = [GeneratedSequence](
      repeating: GeneratedSequence(tokens: [], text: "", logProbs: [], finishReason: .length), count: b)
    var active = [Bool](repeating: true, count: b)
    // Cache row r holds sequence live[r]; rows of finished sequences are dropped (KVCache.retain),
    // so a batch whose sequences stop early (S²R's varying number of attempts) decodes only the
    // ones still running.
    var live = Array(0..<b)
    let stopIDs = Set(params.stopTokenIDs)

    withNoGrad {
      let hidden = model.hiddenStates(padded, batch: b, keyStart: starts, cache: cache)  // (B, L, D)
      var logits = model.logits(hidden.slice(axis: 1, (width - 1)..<width))  // (B, 1, V)
      for step in 0..<params.maxNewTokens {
        let p = logits.pointer(Float.self)
        for (r, i) in live.enumerated() {
          let (id, lp) = TokenSampler.sample(p + r * v, count: v, params: params, rng: &rngs[i])
          outputs[i].tokens.append(id)
          outputs[i].logProbs.append(lp)
          onToken(i, id)
          if stopIDs.contains(id) {
            outputs[i].finishReason = .stopToken
            active[i] = false
          } else if !params.stopStrings.isEmpty, let tokenizer {
            let text = tokenizer.decode(outputs[i].tokens)
            if params.stopStrings.contains(where: { text.contains($0) }) {
              outputs[i].finishReason = .stopString
              active[i] = false
            }
          }
        }
        let rows = live.indices.filter { active[live[$0]] }
        // The last step's ids need no forward pass: nothing samples after them.
        if rows.isEmpty || step == params.maxNewTokens - 1 { break }
        if rows.count < live.count {
          cache.retain(rows: rows)
          live = rows.map { live[$0] }
        }
        let next = live.map { outputs[$0].tokens.last! }
        logits = model(next, batch: live.count, keyStart: cache.keyStart, cache: cache)  // (B', 1, V)
      }
    }
    if let tokenizer {
      for i in 0..<b { outputs[i].text = Self.visibleText(outputs[i], tokenizer: tokenizer, params: params) }
    }
    return outputs
  }

  /// The text a caller sees: without a final stop token, and cut before the first stop string.
  static func visibleText(_ out: GeneratedSequence, tokenizer: any Tokenizer, params: SamplingParams)
    -> String
  {
    var ids = out.tokens
    if out.finishReason == .stopToken { ids.removeLast() }
    var text = tokenizer.decode(ids)
    if out.finishReason == .stopString {
      let cut = params.stopStrings.compactMap { text.range(of: $0)?.lowerBound }.min()
      if let cut { text = String(text[..<cut]) }
    }
    return text
  }
}
