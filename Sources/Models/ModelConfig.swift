import Foundation

/// Hyper-parameters of a LLaMA-family decoder-only transformer (LLaMA, Mistral, SmolLM, Qwen2),
/// decoded from and encoded to a Hugging Face `config.json` (snake_case keys as in transformers'
/// `LlamaConfig` / `Qwen2Config`). Also built from GGUF metadata (`init(gguf:)`) or a named preset.
///
/// Defaults for absent keys follow transformers: `num_key_value_heads` = `num_attention_heads`
/// (no GQA), `head_dim` = `hidden_size / num_attention_heads`, `attention_bias` = true for `qwen2`
/// (its q/k/v projections carry biases) and false otherwise.
public struct ModelConfig: Codable, Equatable, Sendable {
  public var modelType: String
  /// transformers class names; defaults from `modelType` (`LlamaForCausalLM`, `Qwen2ForCausalLM`, …).
  public var architectures: [String]
  public var vocabSize: Int
  public var hiddenSize: Int
  public var intermediateSize: Int
  public var numHiddenLayers: Int
  public var numAttentionHeads: Int
  /// Key/value heads (grouped-query attention when fewer than `numAttentionHeads`).
  public var numKeyValueHeads: Int
  public var headDim: Int
  public var maxPositionEmbeddings: Int
  public var ropeTheta: Double
  public var rmsNormEps: Double
  public var tieWordEmbeddings: Bool
  /// Whether q/k/v projections have biases (Qwen2) — o_proj never does in these families.
  public var attentionBias: Bool
  public var hiddenAct: String
  public var bosTokenId: Int?
  /// End-of-sequence ids (HF allows one id or a list).
  public var eosTokenIds: [Int]
  public var padTokenId: Int?
  public var torchDtype: String?

  public init(
    modelType: String = "llama", vocabSize: Int, hiddenSize: Int, intermediateSize: Int, numHiddenLayers: Int,
    numAttentionHeads: Int, numKeyValueHeads: Int? = nil, headDim: Int? = nil, maxPositionEmbeddings: Int,
    ropeTheta: Double = 10_000, rmsNormEps: Double = 1e-5, tieWordEmbeddings: Bool = true,
    attentionBias: Bool? = nil, hiddenAct: String = "silu", bosTokenId: Int? = nil, eosTokenIds: [Int] = [],
    padTokenId: Int? = nil, torchDtype: String? = nil, architectures: [String]? = nil
  ) {
    self.modelType = modelType
    self.architectures = architectures ?? ModelConfig.defaultArchitectures(modelType)
    self.vocabSize = vocabSize
    self.hiddenSize = hiddenSize
    self.intermediateSize = intermediateSize
    self.numHiddenLayers = numHiddenLayers
    self.numAttentionHeads = numAttentionHeads
    self.numKeyValueHeads = numKeyValueHeads ?? numAttentionHeads
    self.headDim = headDim ?? (numAttentionHeads > 0 ? hiddenSize / numAttentionHeads : 0)
    self.maxPositionEmbeddings = maxPositionEmbeddings
    self.ropeTheta = ropeTheta
    self.rmsNormEps = rmsNormEps
    self.tieWordEmbeddings = tieWordEmbeddings
    self.attentionBias = attentionBias ?? (modelType == "qwen2")
    self.hiddenAct = hiddenAct
    self.bosTokenId = bosTokenId
    self.eosTokenIds = eosTokenIds
    self.padTokenId = padTokenId
    self.torchDtype = torchDtype
  }

  enum CodingKeys: String, CodingKey {
    case modelType = "model_type", architectures, vocabSize = "vocab_size", hiddenSize = "hidden_size"
    case intermediateSize = "intermediate_size", numHiddenLayers = "num_hidden_layers"
    case numAttentionHeads = "num_attention_heads", numKeyValueHeads = "num_key_value_heads"
    case headDim = "head_dim", maxPositionEmbeddings = "max_position_embeddings", ropeTheta = "rope_theta"
    case rmsNormEps = "rms_norm_eps", tieWordEmbeddings = "tie_word_embeddings"
    case attentionBias = "attention_bias", hiddenAct = "hidden_act", bosTokenId = "bos_token_id"
    case eosTokenIds = "eos_token_id", padTokenId = "pad_token_id", torchDtype = "torch_dtype"
    case ropeScaling = "rope_scaling"
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let modelType = try c.decodeIfPresent(String.self, forKey: .modelType) ?? "llama"
    // transformers' LlamaConfig defaults tie_word_embeddings to false; Qwen2Config too.
    self.init(
      modelType: modelType,
      vocabSize: try c.decode(Int.self, forKey: .vocabSize),
      hiddenSize: try c.decode(Int.self, forKey: .hiddenSize),
      intermediateSize: try c.decode(Int.self, forKey: .intermediateSize),
      numHiddenLayers: try c.decode(Int.self, forKey: .numHiddenLayers),
      numAttentionHeads: try c.decode(Int.self, forKey: .numAttentionHeads),
      numKeyValueHeads: try c.decodeIfPresent(Int.self, forKey: .numKeyValueHeads),
      headDim: try c.decodeIfPresent(Int.self, forKey: .headDim),
      maxPositionEmbeddings: try c.decodeIfPresent(Int.self, forKey: .maxPositionEmbeddings) ?? 2048,
      ropeTheta: try c.decodeIfPresent(Double.self, forKey: .ropeTheta) ?? 10_000,
      rmsNormEps: try c.decodeIfPresent(Double.self, forKey: .rmsNormEps) ?? 1e-6,
      tieWordEmbeddings: try c.decodeIfPresent(Bool.self, forKey: .tieWordEmbeddings) ?? false,
      attentionBias: try c.decodeIfPresent(Bool.self, forKey: .attentionBias),
      hiddenAct: try c.decodeIfPresent(String.self, forKey: .hiddenAct) ?? "silu",
      bosTokenId: try c.decodeIfPresent(Int.self, forKey: .bosTokenId),
      eosTokenIds: try ModelConfig.decodeIDs(c, .eosTokenIds),
      padTokenId: try c.decodeIfPresent(Int.self, forKey: .padTokenId),
      torchDtype: try c.decodeIfPresent(String.self, forKey: .torchDtype),
      architectures: try c.decodeIfPresent([String].self, forKey: .architectures))
    // Scaled RoPE variants (linear, dynamic, llama3, yarn) change the maths; refuse rather than
    // silently compute something else.
    if c.contains(.ropeScaling), try !c.decodeNil(forKey: .ropeScaling) {
      throw DecodingError.dataCorruptedError(
        forKey: .ropeScaling, in: c, debugDescription: "rope_scaling is not supported (only plain RoPE)")
    }
  }

  /// `eos_token_id` is an int, a list of ints, or null.
  private static func decodeIDs(_ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> [Int] {
    guard c.contains(key), try !c.decodeNil(forKey: key) else { return [] }
    if let single = try? c.decode(Int.self, forKey: key) { return [single] }
    return try c.decode([Int].self, forKey: key)
  }

  public func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(modelType, forKey: .modelType)
    try c.encode(architectures, forKey: .architectures)
    try c.encode(vocabSize, forKey: .vocabSize)
    try c.encode(hiddenSize, forKey: .hiddenSize)
    try c.encode(intermediateSize, forKey: .intermediateSize)
    try c.encode(numHiddenLayers, forKey: .numHiddenLayers)
    try c.encode(numAttentionHeads, forKey: .numAttentionHeads)
    try c.encode(numKeyValueHeads, forKey: .numKeyValueHeads)
    try c.encode(headDim, forKey: .headDim)
    try c.encode(maxPositionEmbeddings, forKey: .maxPositionEmbeddings)
    try c.encode(ropeTheta, forKey: .ropeTheta)
    try c.encode(rmsNormEps, forKey: .rmsNormEps)
    try c.encode(tieWordEmbeddings, forKey: .tieWordEmbeddings)
    try c.encode(attentionBias, forKey: .attentionBias)
    try c.encode(hiddenAct, forKey: .hiddenAct)
    try c.encodeIfPresent(bosTokenId, forKey: .bosTokenId)
    if eosTokenIds.count == 1 {
      try c.encode(eosTokenIds[0], forKey: .eosTokenIds)
    } else if !eosTokenIds.isEmpty {
      try c.encode(eosTokenIds, forKey: .eosTokenIds)
    }
    try c.encodeIfPresent(padTokenId, forKey: .padTokenId)
    try c.encodeIfPresent(torchDtype, forKey: .torchDtype)
    try c.encodeNil(forKey: .ropeScaling)
  }

  /// The transformers class name for a model type (`LlamaForCausalLM`, `Qwen2ForCausalLM`, …).
  static func defaultArchitectures(_ modelType: String) -> [String] {
    switch modelType {
    case "qwen2": return ["Qwen2ForCausalLM"]
    case "mistral": return ["MistralForCausalLM"]
    default: return ["LlamaForCausalLM"]
    }
  }
}
