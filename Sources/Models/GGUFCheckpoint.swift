import Foundation

/// A GGUF model seen as a Hugging Face checkpoint: HF tensor names, HF layout, and the config built
/// from the metadata. For `llama` files the query/key projections are un-permuted (see
/// `RoPEPermutation`), so `tensor(named: "model.layers.0.self_attn.q_proj.weight")` equals the
/// original transformers weight up to quantisation error. Qwen2 files are stored unpermuted by the
/// converter and are passed through.
public final class GGUFCheckpoint: TensorSource, @unchecked Sendable {
  /// Architectures whose q/k rows llama.cpp's converter permutes (`LlamaModel.permute`).
  public static let permutedArchitectures: Set<String> = ["llama"]

  public let file: GGUFFile
  public let config: ModelConfig
  /// HF names in GGUF file order.
  public let tensorNames: [String]
  /// GGUF tensors with no HF counterpart in `GGUFNameMap` (e.g. `rope_freqs.weight`).
  public let unmappedTensorNames: [String]
  private let ggufNameForHF: [String: String]

  public convenience init(url: URL) throws {
    try self.init(file: GGUFFile(url: url))
  }

  public init(file: GGUFFile) throws {
    self.file = file
    config = try ModelConfig(gguf: file)
    var names: [String] = []
    var unmapped: [String] = []
    var map: [String: String] = [:]
    for info in file.tensorInfos {
      if let hf = GGUFNameMap.huggingFaceName(forGGUF: info.name) {
        names.append(hf)
        map[hf] = info.name
      } else {
        unmapped.append(info.name)
      }
    }
    tensorNames = names
    unmappedTensorNames = unmapped
    ggufNameForHF = map
  }

  /// The GGUF name behind an HF name, if the file has it.
  public func ggufName(for huggingFaceName: String) -> String? { ggufNameForHF[huggingFaceName] }

  /// How many heads a tensor's rows were permuted with, or nil when it was stored as is.
  public func permutationHeads(forHuggingFace name: String) -> Int? {
    guard GGUFCheckpoint.permutedArchitectures.contains(config.modelType) else { return nil }
    if name.hasSuffix(".self_attn.q_proj.weight") || name.hasSuffix(".self_attn.q_proj.bias") {
      return config.numAttentionHeads
    }
    if name.hasSuffix(".self_attn.k_proj.weight") || name.hasSuffix(".self_attn.k_proj.bias") {
      return config.numKeyValueHeads
    }
    return nil
  }

  /// The dequantised tensor under its HF name, in HF layout.
  public func tensor(named name: String) throws -> HostTensor {
    guard let gguf = ggufNameForHF[name] else {
      throw CheckpointError.missingTensor(name: name, path: file.path)
    }
    var tensor = try file.dequantize(named: gguf)
    tensor.name = name
    if let heads = permutationHeads(forHuggingFace: name) {
      let rows = tensor.shape.first ?? 0
      try RoPEPermutation.validate(rows: rows, heads: heads, tensor: name)
      tensor.data = RoPEPermutation.unpermute(tensor.data, rows: rows, heads: heads)
    }
    return tensor
  }

  /// The stored quantised blocks under an HF name, rows in HF order (quantisation blocks never span
  /// rows, so un-permuting whole rows is exact). For kernels that compute on Q8_0/Q4_1 data directly.
  public func rawTensor(named name: String) throws -> GGUFRawTensor {
    guard let gguf = ggufNameForHF[name], let info = file.info(named: gguf) else {
      throw CheckpointError.missingTensor(name: name, path: file.path)
    }
    var raw = try file.rawTensor(named: gguf)
    raw.name = name
    if let heads = permutationHeads(forHuggingFace: name) {
      let rows = info.shape.first ?? 0
      try RoPEPermutation.validate(rows: rows, heads: heads, tensor: name)
      raw.bytes = try RoPEPermutation.unpermuteRows(
        file.rawBytes(of: info), rows: rows, heads: heads, rowBytes: raw.bytes.count / max(rows, 1))
    }
    return raw
  }
}
