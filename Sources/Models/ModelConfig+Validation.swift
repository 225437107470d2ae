import Foundation

/// A config that cannot describe a working model; `message` says which field and why.
public struct ModelConfigError: Error, Equatable, CustomStringConvertible, LocalizedError {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { "invalid model config: \(message)" }
  public var errorDescription: String? { description }
}

extension ModelConfig {
  /// Model types whose architecture the Recheck transformer implements.
  public static let supportedModelTypes: Set<String> = ["llama", "mistral", "qwen2"]

  /// Throws `ModelConfigError` naming the first inconsistency.
  public func validate() throws {
    func positive(_ value: Int, _ key: String) throws {
      guard value > 0 else { throw ModelConfigError("\(key) must be positive, got \(value)") }
    }
    guard ModelConfig.supportedModelTypes.contains(modelType) else {
      throw ModelConfigError(
        "model_type '\(modelType)' is not supported (supported: \(ModelConfig.supportedModelTypes.sorted()))")
    }
    try positive(vocabSize, "vocab_size")
    try positive(hiddenSize, "hidden_size")
    try positive(intermediateSize, "intermediate_size")
    try positive(numHiddenLayers, "num_hidden_layers")
    try positive(numAttentionHeads, "num_attention_heads")
    try positive(numKeyValueHeads, "num_key_value_heads")
    try positive(headDim, "head_dim")
    try positive(maxPositionEmbeddings, "max_position_embeddings")
    guard numAttentionHeads % numKeyValueHeads == 0 else {
      throw ModelConfigError(
        "num_attention_heads (\(numAttentionHeads)) is not a multiple of num_key_value_heads (\(numKeyValueHeads))"
      )
    }
    guard headDim % 2 == 0 else { throw ModelConfigError("head_dim (\(headDim)) must be even for RoPE") }
    guard headDim * numAttentionHeads == hiddenSize else {
      if hiddenSize % numAttentionHeads != 0 {
        throw ModelConfigError(
          "hidden_size (\(hiddenSize)) is not divisible by num_attention_heads (\(numAttentionHeads))")
      }
      throw ModelConfigError(
        "head_dim (\(headDim)) × num_attention_heads (\(numAttentionHeads)) ≠ hidden_size (\(hiddenSize))")
    }
    guard ropeTheta > 0, ropeTheta.isFinite else {
      throw ModelConfigError("rope_theta must be positive, got \(ropeTheta)")
    }
    guard rmsNormEps > 0, rmsNormEps.isFinite else {
      throw ModelConfigError("rms_norm_eps must be positive, got \(rmsNormEps)")
    }
    guard hiddenAct == "silu" else {
      throw ModelConfigError("hidden_act '\(hiddenAct)' is not supported (only silu)")
    }
    for (key, id) in [("bos_token_id", bosTokenId), ("pad_token_id", padTokenId)] {
      if let id, !(0..<vocabSize).contains(id) {
        throw ModelConfigError("\(key) \(id) is outside the vocabulary of \(vocabSize)")
      }
    }
    for id in eosTokenIds where !(0..<vocabSize).contains(id) {
      throw ModelConfigError("eos_token_id \(id) is outside the vocabulary of \(vocabSize)")
    }
  }

  /// Parses and validates a `config.json`; errors name the file and the offending key.
  public static func load(from url: URL) throws -> ModelConfig {
    let data: Data
    do { data = try Data(contentsOf: url) } catch {
      throw CheckpointError.io(path: url.path, reason: error.localizedDescription)
    }
    return try decode(data, path: url.path)
  }

  /// Parses and validates config JSON; `path` labels errors.
  public static func decode(_ data: Data, path: String = "config.json") throws -> ModelConfig {
    let config: ModelConfig
    do {
      config = try JSONDecoder().decode(ModelConfig.self, from: data)
    } catch let error as DecodingError {
      throw CheckpointError.malformed(path: path, reason: describe(error))
    } catch {
      throw CheckpointError.malformed(path: path, reason: "\(error)")
    }
    try config.validate()
    return config
  }

  /// The config as pretty-printed, key-sorted JSON, as transformers writes it.
  public func jsonData() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    var data = try encoder.encode(self)
    data.append(UInt8(ascii: "\n"))
    return data
  }

  private static func describe(_ error: DecodingError) -> String {
    func keyPath(_ path: [CodingKey]) -> String { path.map(\.stringValue).joined(separator: ".") }
    switch error {
    case .keyNotFound(let key, _): return "required key '\(key.stringValue)' is missing"
    case .typeMismatch(let type, let context):
      return "key '\(keyPath(context.codingPath))' should be \(type): \(context.debugDescription)"
    case .valueNotFound(let type, let context):
      return "key '\(keyPath(context.codingPath))' is null, expected \(type)"
    case .dataCorrupted(let context):
      let key = keyPath(context.codingPath)
      return key.isEmpty
        ? "not valid JSON: \(context.debugDescription)" : "key '\(key)': \(context.debugDescription)"
    @unknown default: return "\(error)"
    }
  }
}
