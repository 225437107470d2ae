import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A model directory laid out like a Hugging Face checkpoint:
///
///     config.json              ModelConfig
///     model.safetensors        weights (or model.safetensors.index.json + shards when reading)
///     tokenizer.json           optional, copied verbatim (any file name may be used)
///     …                        further small files (`files`: tokenizer_config.json, …)
///
/// `write` builds a new directory in a hidden sibling and renames it into place, so the directory
/// appears complete or not at all; into an existing directory each file is replaced atomically,
/// weights first and config last (a reader that finds the new config also finds the new weights).
public struct CheckpointDirectory: Sendable {
  public static let configFile = "config.json"
  public static let weightsFile = "model.safetensors"
  public static let indexFile = "model.safetensors.index.json"

  /// A tokenizer file to place next to the weights.
  public enum TokenizerFile: Sendable {
    /// Bytes to write under `name` (e.g. "tokenizer.json").
    case data(Data, name: String)
    /// A file to copy, keeping its name.
    case file(URL)
  }

  public let url: URL
  public let config: ModelConfig
  public let tensors: any TensorSource

  /// Opens a directory: validates config.json and opens model.safetensors (or the sharded index).
  public init(url: URL) throws {
    self.url = url
    config = try ModelConfig.load(from: url.appendingPathComponent(CheckpointDirectory.configFile))
    let single = url.appendingPathComponent(CheckpointDirectory.weightsFile)
    let index = url.appendingPathComponent(CheckpointDirectory.indexFile)
    if FileManager.default.fileExists(atPath: single.path) {
      tensors = try SafetensorsFile(url: single)
    } else if FileManager.default.fileExists(atPath: index.path) {
      tensors = try ShardedSafetensors(indexURL: index)
    } else {
      throw CheckpointError.io(
        path: url.path,
        reason: "neither \(CheckpointDirectory.weightsFile) nor \(CheckpointDirectory.indexFile) exists")
    }
  }

  /// A file next to the weights (e.g. "tokenizer.json"), or nil if absent.
  public func file(named name: String) -> URL? {
    let candidate = url.appendingPathComponent(name)
    return FileManager.default.fileExists(atPath: candidate.path) ? candidate : nil
  }

  /// Writes config, weights (as `dtype`) and optionally a tokenizer file; see the type's comment for
  /// the atomicity guarantees. The config is validated first so nothing is written for a bad one.
  @discardableResult
  public static func write(
    to url: URL, config: ModelConfig, tensors: [HostTensor], dtype: SafetensorsDType = .f32,
    tokenizer: TokenizerFile? = nil, files: [(name: String, data: Data)] = [],
    metadata: [String: String] = ["format": "pt"]
  ) throws -> CheckpointDirectory {
    try config.validate()
    let fm = FileManager.default
    var isDirectory: ObjCBool = false
    if fm.fileExists(atPath: url.path, isDirectory: &isDirectory) {
      guard isDirectory.boolValue else {
        throw CheckpointError.io(path: url.path, reason: "exists and is not a directory")
      }
      try writeFiles(
        into: url, config: config, tensors: tensors, dtype: dtype, tokenizer: tokenizer, files: files,
        metadata: metadata)
    } else {
      let parent = url.deletingLastPathComponent()
      do { try fm.createDirectory(at: parent, withIntermediateDirectories: true) } catch {
        throw CheckpointError.io(path: parent.path, reason: error.localizedDescription)
      }
      // Stage under a unique hidden name in the same parent, then rename the whole directory.
      // mkdtemp picks an unused name with its own nonce (no RNG of ours involved).
      var template = Array("\(parent.path)/.\(url.lastPathComponent).tmp-XXXXXX".utf8CString)
      guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
        throw CheckpointError.io(
          path: parent.path, reason: "cannot create staging directory: \(MappedFile.errnoText())")
      }
      let staging = URL(
        fileURLWithPath: template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) })
      chmod(staging.path, 0o755)  // mkdtemp creates it 0700
      defer { try? fm.removeItem(at: staging) }
      try writeFiles(
        into: staging, config: config, tensors: tensors, dtype: dtype, tokenizer: tokenizer, files: files,
        metadata: metadata)
      guard rename(staging.path, url.path) == 0 else {
        throw CheckpointError.io(path: url.path, reason: "rename failed: \(MappedFile.errnoText())")
      }
      AtomicFileWriter.syncDirectory(parent.path)
    }
    return try CheckpointDirectory(url: url)
  }

  private static func writeFiles(
    into directory: URL, config: ModelConfig, tensors: [HostTensor], dtype: SafetensorsDType,
    tokenizer: TokenizerFile?, files: [(name: String, data: Data)], metadata: [String: String]
  ) throws {
    try SafetensorsWriter.write(
      tensors, to: directory.appendingPathComponent(weightsFile), dtype: dtype, metadata: metadata)
    switch tokenizer {
    case .data(let data, let name)?:
      try AtomicFileWriter.write(data, to: directory.appendingPathComponent(try plainName(name)))
    case .file(let source)?:
      let data: Data
      do { data = try Data(contentsOf: source) } catch {
        throw CheckpointError.io(path: source.path, reason: error.localizedDescription)
      }
      try AtomicFileWriter.write(data, to: directory.appendingPathComponent(source.lastPathComponent))
    case nil: break
    }
    for file in files {
      try AtomicFileWriter.write(file.data, to: directory.appendingPathComponent(try plainName(file.name)))
    }
    var withDtype = config
    withDtype.torchDtype = dtype == .f32 ? "float32" : dtype == .bf16 ? "bfloat16" : "float16"
    try AtomicFileWriter.write(try withDtype.jsonData(), to: directory.appendingPathComponent(configFile))
  }

  private static func plainName(_ name: String) throws -> String {
    guard !name.isEmpty, !name.contains("/"), name != ".", name != ".." else {
      throw CheckpointError.io(path: name, reason: "a checkpoint file name must be a plain file name")
    }
    return name
  }
}
