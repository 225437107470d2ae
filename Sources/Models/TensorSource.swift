/// Anything tensors can be loaded from by (Hugging Face) name: a safetensors file, a sharded
/// safetensors checkpoint, or a GGUF file viewed through the HF naming.
public protocol TensorSource: Sendable {
  /// All tensor names, in a stable order.
  var tensorNames: [String] { get }
  /// Decodes one tensor; throws `CheckpointError.missingTensor` for an unknown name.
  func tensor(named name: String) throws -> HostTensor
}

extension TensorSource {
  /// Decodes every tensor in `tensorNames` order.
  public func loadAllTensors() throws -> [HostTensor] {
    try tensorNames.map { try tensor(named: $0) }
  }
}

extension SafetensorsFile: TensorSource {}
