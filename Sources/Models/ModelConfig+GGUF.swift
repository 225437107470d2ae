extension ModelConfig {
  /// Builds the config from a GGUF file's metadata (llama.cpp's key names, `{arch}` being
  /// `general.architecture`): `{arch}.embedding_length`, `.block_count`, `.attention.head_count`,
  /// `.attention.head_count_kv` (default: head_count), `.feed_forward_length`, `.rope.freq_base`
  /// (default 10 000), `.attention.layer_norm_rms_epsilon`, `.context_length`, `.attention.key_length`
  /// (head size, default d / heads). The vocabulary size is the length of `tokenizer.ggml.tokens`
  /// (else `{arch}.vocab_size`); embeddings are tied when there is no `output.weight` tensor; attention
  /// bias is on when `blk.0.attn_q.bias` exists. The result is validated.
  public init(gguf: GGUFFile) throws {
    let meta = gguf.metadata
    guard let arch = gguf.architecture else {
      throw CheckpointError.missingMetadata(key: "general.architecture", path: gguf.path)
    }
    func int(_ key: String) throws -> Int {
      guard let value = meta[key]?.intValue else {
        throw CheckpointError.missingMetadata(key: key, path: gguf.path)
      }
      return value
    }
    func optionalInt(_ key: String) -> Int? { meta[key]?.intValue }
    func double(_ key: String) throws -> Double {
      guard let value = meta[key]?.doubleValue else {
        throw CheckpointError.missingMetadata(key: key, path: gguf.path)
      }
      return value
    }
    let vocab: Int
    if let tokens = meta["tokenizer.ggml.tokens"]?.arrayValue {
      vocab = tokens.count
    } else {
      vocab = try int("\(arch).vocab_size")
    }
    let heads = try int("\(arch).attention.head_count")
    let eos = optionalInt("tokenizer.ggml.eos_token_id")
    self.init(
      modelType: arch,
      vocabSize: vocab,
      hiddenSize: try int("\(arch).embedding_length"),
      intermediateSize: try int("\(arch).feed_forward_length"),
      numHiddenLayers: try int("\(arch).block_count"),
      numAttentionHeads: heads,
      numKeyValueHeads: optionalInt("\(arch).attention.head_count_kv") ?? heads,
      headDim: optionalInt("\(arch).attention.key_length"),
      maxPositionEmbeddings: try int("\(arch).context_length"),
      ropeTheta: meta["\(arch).rope.freq_base"]?.doubleValue ?? 10_000,
      rmsNormEps: try double("\(arch).attention.layer_norm_rms_epsilon"),
      tieWordEmbeddings: gguf.info(named: "output.weight") == nil,
      attentionBias: gguf.info(named: "blk.0.attn_q.bias") != nil,
      bosTokenId: optionalInt("tokenizer.ggml.bos_token_id"),
      eosTokenIds: eos.map { [$0] } ?? [],
      padTokenId: optionalInt("tokenizer.ggml.padding_token_id"),
      torchDtype: nil)
    // The metadata stores eps as f32; 1e-5 comes back as 9.99999974e-06. Round to the nearest
    // 7-significant-digit decimal so the config matches the Hugging Face original.
    rmsNormEps = ModelConfig.roundToFloatPrecision(rmsNormEps)
    ropeTheta = ModelConfig.roundToFloatPrecision(ropeTheta)
    if let scaling = meta["\(arch).rope.scaling.type"]?.stringValue, scaling != "none" {
      throw ModelConfigError("\(gguf.path): rope scaling '\(scaling)' is not supported (only plain RoPE)")
    }
    try validate()
  }

  /// The shortest decimal that the f32 nearest to `value` prints as, read back as a Double
  /// (e.g. Double(Float(1e-5)) = 9.99999974e-06 → 1e-05).
  static func roundToFloatPrecision(_ value: Double) -> Double {
    Double("\(Float(value))") ?? value
  }
}
