extension ModelConfig {
  /// Named sizes for models trained from scratch in Recheck. The vocabulary comes from the tokenizer,
  /// so it is a parameter. Both use grouped-query attention (2 kv heads) so that path is exercised,
  /// SwiGLU width ≈ 8/3·d rounded to a multiple of 16, and untied-free (tied) embeddings.
  public enum Preset: String, CaseIterable, Codable, Sendable {
    /// d = 64, 2 layers, 4 heads of 16, ≈ 0.1 M parameters plus embeddings.
    case tiny
    /// d = 128, 4 layers, 4 heads of 32, ≈ 0.8 M parameters plus embeddings.
    case small
  }

  /// The preset's config with `vocabSize` from the tokenizer (validated).
  public static func preset(_ preset: Preset, vocabSize: Int, maxPositionEmbeddings: Int? = nil) throws
    -> ModelConfig
  {
    let config: ModelConfig
    switch preset {
    case .tiny:
      config = ModelConfig(
        vocabSize: vocabSize, hiddenSize: 64, intermediateSize: 176, numHiddenLayers: 2, numAttentionHeads: 4,
        numKeyValueHeads: 2, maxPositionEmbeddings: maxPositionEmbeddings ?? 512)
    case .small:
      config = ModelConfig(
        vocabSize: vocabSize, hiddenSize: 128, intermediateSize: 352, numHiddenLayers: 4,
        numAttentionHeads: 4,
        numKeyValueHeads: 2, maxPositionEmbeddings: maxPositionEmbeddings ?? 1024)
    }
    try config.validate()
    return config
  }

  /// Looks a preset up by name ("tiny", "small"), with an error listing the valid names.
  public static func preset(named name: String, vocabSize: Int, maxPositionEmbeddings: Int? = nil) throws
    -> ModelConfig
  {
    guard let p = Preset(rawValue: name) else {
      throw ModelConfigError(
        "unknown preset '\(name)' (known: \(Preset.allCases.map(\.rawValue).joined(separator: ", ")))")
    }
    return try preset(p, vocabSize: vocabSize, maxPositionEmbeddings: maxPositionEmbeddings)
  }
}
