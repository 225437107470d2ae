import Foundation

/// Everything that can go wrong reading or writing a checkpoint. Each case names the file or tensor
/// involved so that a bad input is easy to locate.
public enum CheckpointError: Error, Equatable, CustomStringConvertible {
  /// The file could not be opened, mapped, written or renamed (`errno` text included).
  case io(path: String, reason: String)
  /// The file is not in the format it claims to be (bad magic, truncated header, bad JSON, …).
  case malformed(path: String, reason: String)
  /// A tensor's declared dtype / shape / byte range is inconsistent.
  case invalidTensor(name: String, reason: String)
  /// No tensor with this name exists in the checkpoint.
  case missingTensor(name: String, path: String)
  /// A tensor uses a storage type this reader does not decode.
  case unsupportedType(tensor: String, type: String)
  /// A metadata key needed to build a config is absent or has the wrong type.
  case missingMetadata(key: String, path: String)

  public var description: String {
    switch self {
    case .io(let path, let reason): return "I/O error on \(path): \(reason)"
    case .malformed(let path, let reason): return "malformed checkpoint \(path): \(reason)"
    case .invalidTensor(let name, let reason): return "invalid tensor '\(name)': \(reason)"
    case .missingTensor(let name, let path): return "tensor '\(name)' not found in \(path)"
    case .unsupportedType(let tensor, let type):
      return "tensor '\(tensor)' has unsupported storage type \(type)"
    case .missingMetadata(let key, let path): return "metadata key '\(key)' missing or mistyped in \(path)"
    }
  }
}

extension CheckpointError: LocalizedError {
  public var errorDescription: String? { description }
}
