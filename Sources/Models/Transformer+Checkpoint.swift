import Foundation
import NN
import TensorCore

extension Transformer {
  /// A model with the weights of `source` (a safetensors checkpoint, or a GGUF file viewed
  /// under Hugging Face names). Every parameter must be present with its exact shape; tensors
  /// the model does not use (e.g. rotary caches) are ignored. `dtype` `.float64` widens every weight
  /// to Double and runs the whole model in Double: the exact values a Float32 run approximates, for
  /// comparing a checkpoint with another implementation without either side's rounding.
  public convenience init(config: ModelConfig, source: any TensorSource, dtype: DType = .float32) throws {
    var rng = SeededRNG(seed: 0)
    self.init(config: config, dtype: dtype, initStd: 0, rng: &rng)
    let available = Set(source.tensorNames)
    for (name, p) in namedParameters() {
      guard available.contains(name) else { throw ModuleError.missing([name]) }
      let host = try source.tensor(named: name)
      guard host.shape == p.shape else {
        throw ModuleError.shapeMismatch(name: name, expected: p.shape, got: host.shape)
      }
      switch dtype {
      case .float32:
        host.data.withUnsafeBufferPointer { src in
          p.pointer(Float.self).update(from: src.baseAddress!, count: host.count)
        }
      case .float64:
        p.assign(Tensor(host.data, shape: host.shape))  // widened by `assign`'s cast
      }
    }
  }

  /// Loads a Hugging Face-layout directory (config.json + model.safetensors) or a .gguf file.
  public static func load(from url: URL) throws -> Transformer {
    if url.pathExtension.lowercased() == "gguf" {
      let checkpoint = try GGUFCheckpoint(url: url)
      return try Transformer(config: checkpoint.config, source: checkpoint)
    }
    let dir = try CheckpointDirectory(url: url)
    return try Transformer(config: dir.config, source: dir.tensors)
  }

  /// The parameters as host tensors under their Hugging Face names (for checkpoint writing).
  public func hostTensors() -> [HostTensor] {
    namedParameters().map { name, t in
      // The shape always matches the data: it comes from the tensor itself.
      try! HostTensor(name: name, shape: t.shape, data: t.toArray())
    }
  }

  /// Writes a Hugging Face-layout checkpoint directory (atomically; see `CheckpointDirectory`);
  /// `files` are further small files (tokenizer_config.json, … — `HuggingFaceFiles`).
  @discardableResult
  public func save(
    to url: URL, tokenizer: CheckpointDirectory.TokenizerFile? = nil,
    files: [(name: String, data: Data)] = [],
    dtype: SafetensorsDType = .f32
  ) throws -> CheckpointDirectory {
    try CheckpointDirectory.write(
      to: url, config: config, tensors: hostTensors(), dtype: dtype, tokenizer: tokenizer, files: files)
  }
}

extension Transformer {
  /// An independent copy (same config and weights, fresh storage): the frozen reference of an RL
  /// run, or the starting point of a second method from the same base.
  public func copy() -> Transformer {
    var rng = SeededRNG(seed: 0)
    let twin = Transformer(config: config, dtype: embedTokens.weight.dtype, initStd: 0, rng: &rng)
    for ((_, dst), (_, src)) in zip(twin.namedParameters(), namedParameters()) { dst.assign(src) }
    return twin
  }
}
