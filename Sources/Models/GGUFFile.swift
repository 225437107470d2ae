import Foundation

/// A GGUF file (versions 2 and 3; spec: ggml/docs/gguf.md) opened read-only and memory-mapped:
///
///     u32 magic "GGUF", u32 version, u64 tensor_count, u64 metadata_kv_count,
///     metadata KVs  (string key, u32 value type, value),
///     tensor infos  (string name, u32 n_dims, u64 ne[n_dims], u32 ggml type, u64 offset),
///     padding to `general.alignment` (default 32), then the data section.
///
/// Tensor names and data are exactly as stored (GGUF names, GGUF layout); `GGUFCheckpoint` gives the
/// Hugging Face view. Everything is little-endian; a big-endian file is rejected with a clear error.
public final class GGUFFile: @unchecked Sendable {
  /// "GGUF" read as a little-endian u32.
  public static let magic: UInt32 = 0x4655_4747
  public static let defaultAlignment = 32

  public let path: String
  public let version: UInt32
  /// All metadata values by key.
  public let metadata: [String: GGUFValue]
  /// Metadata keys in file order.
  public let metadataKeys: [String]
  /// Tensor infos in file order.
  public let tensorInfos: [GGUFTensorInfo]
  public let alignment: Int
  /// Absolute file offset of the data section.
  public let dataOffset: Int
  private let file: MappedFile
  private let index: [String: Int]

  public convenience init(url: URL) throws {
    try self.init(file: MappedFile(url: url))
  }

  public convenience init(data: Data, label: String = "<memory>") throws {
    try self.init(file: MappedFile(data: data, label: label))
  }

  init(file: MappedFile) throws {
    self.file = file
    path = file.path
    var reader = ByteReader(bytes: file.bytes, path: file.path)
    let magic = try reader.read(UInt32.self, "magic")
    guard magic == GGUFFile.magic else {
      throw CheckpointError.malformed(
        path: path, reason: "not a GGUF file (magic 0x\(String(magic, radix: 16)))")
    }
    version = try reader.read(UInt32.self, "version")
    guard version == 2 || version == 3 else {
      let swapped = version.byteSwapped
      let hint = (swapped == 2 || swapped == 3) ? " (a big-endian file, which is not supported)" : ""
      throw CheckpointError.malformed(
        path: path, reason: "GGUF version \(version) unsupported\(hint); expected 2 or 3")
    }
    // Each tensor info / KV takes well over 8 bytes, so the remaining size bounds both counts.
    let tensorCount = try reader.readCount("tensor count", limit: file.bytes.count / 8)
    let kvCount = try reader.readCount("metadata count", limit: file.bytes.count / 8)
    var metadata: [String: GGUFValue] = [:]
    var keys: [String] = []
    for n in 0..<kvCount {
      let key = try reader.readString("key of metadata entry \(n)")
      let type = try reader.read(UInt32.self, "value type of '\(key)'")
      let value = try GGUFValue.read(type: type, from: &reader, key: key)
      guard metadata.updateValue(value, forKey: key) == nil else {
        throw CheckpointError.malformed(path: path, reason: "duplicate metadata key '\(key)'")
      }
      keys.append(key)
    }
    self.metadata = metadata
    metadataKeys = keys
    alignment = try GGUFFile.alignment(from: metadata, path: path)
    var infos: [GGUFTensorInfo] = []
    infos.reserveCapacity(tensorCount)
    for n in 0..<tensorCount {
      infos.append(try GGUFFile.readTensorInfo(&reader, number: n))
    }
    reader.align(to: alignment)
    dataOffset = reader.offset
    tensorInfos = infos
    var index: [String: Int] = [:]
    for (i, info) in infos.enumerated() {
      guard index.updateValue(i, forKey: info.name) == nil else {
        throw CheckpointError.malformed(path: path, reason: "duplicate tensor name '\(info.name)'")
      }
      try GGUFFile.checkBounds(
        info, dataOffset: dataOffset, alignment: alignment, fileSize: file.bytes.count, path: path)
    }
    self.index = index
  }

  private static func alignment(from metadata: [String: GGUFValue], path: String) throws -> Int {
    guard let value = metadata["general.alignment"] else { return defaultAlignment }
    guard let a = value.intValue, a > 0, a & (a - 1) == 0, a <= 1 << 20 else {
      throw CheckpointError.malformed(path: path, reason: "general.alignment \(value) is not a power of two")
    }
    return a
  }

  private static func readTensorInfo(_ reader: inout ByteReader, number: Int) throws -> GGUFTensorInfo {
    let name = try reader.readString("name of tensor \(number)")
    let rank = try reader.read(UInt32.self, "rank of '\(name)'")
    guard rank <= 4 else {
      throw CheckpointError.invalidTensor(name: name, reason: "rank \(rank) exceeds ggml's maximum of 4")
    }
    var dims: [Int] = []
    for d in 0..<Int(rank) {
      dims.append(try reader.readCount("dimension \(d) of '\(name)'", limit: Int(Int32.max)))
    }
    let type = GGMLType(rawValue: try reader.read(UInt32.self, "type of '\(name)'"))
    let offset = try reader.readCount("offset of '\(name)'", limit: reader.bytes.count)
    return GGUFTensorInfo(name: name, dimensions: dims, type: type, offset: offset)
  }

  /// Checks alignment, block divisibility and that the data lies inside the file.
  private static func checkBounds(
    _ info: GGUFTensorInfo, dataOffset: Int, alignment: Int, fileSize: Int, path: String
  ) throws {
    guard info.offset % alignment == 0 else {
      throw CheckpointError.invalidTensor(
        name: info.name, reason: "offset \(info.offset) not aligned to \(alignment)")
    }
    var elements = 1
    for d in info.dimensions {
      let (p, overflow) = elements.multipliedReportingOverflow(by: d)
      guard !overflow, p <= 1 << 40 else {
        throw CheckpointError.invalidTensor(
          name: info.name, reason: "dimensions \(info.dimensions) too large")
      }
      elements = p
    }
    guard let blockSize = info.type.blockSize, let bytes = info.byteCount else { return }
    guard (info.dimensions.first ?? 1) % blockSize == 0 else {
      throw CheckpointError.invalidTensor(
        name: info.name,
        reason:
          "row length \(info.dimensions[0]) is not a multiple of \(info.type.name)'s block of \(blockSize)")
    }
    guard dataOffset + info.offset + bytes <= fileSize else {
      throw CheckpointError.invalidTensor(
        name: info.name, reason: "data [\(info.offset), +\(bytes)) runs past the end of \(path)")
    }
  }

  // MARK: - Access

  /// `general.architecture` ("llama", "qwen2", …).
  public var architecture: String? { metadata["general.architecture"]?.stringValue }

  public func info(named name: String) -> GGUFTensorInfo? {
    index[name].map { tensorInfos[$0] }
  }

  /// The stored bytes of a tensor (valid while this object lives).
  public func rawBytes(of info: GGUFTensorInfo) throws -> UnsafeRawBufferPointer {
    guard let count = info.byteCount else {
      throw CheckpointError.unsupportedType(
        tensor: info.name, type: "ggml \(info.type.name) (type number \(info.type.rawValue))")
    }
    let start = dataOffset + info.offset
    return UnsafeRawBufferPointer(rebasing: file.bytes[start..<start + count])
  }

  /// A copy of a tensor's stored (quantised) bytes, shape outermost first, GGUF name and layout.
  public func rawTensor(named name: String) throws -> GGUFRawTensor {
    guard let info = info(named: name) else { throw CheckpointError.missingTensor(name: name, path: path) }
    return GGUFRawTensor(name: name, type: info.type, shape: info.shape, bytes: Array(try rawBytes(of: info)))
  }

  /// Dequantises a tensor to Float, GGUF name and layout, shape outermost first.
  public func dequantize(named name: String) throws -> HostTensor {
    guard let info = info(named: name) else { throw CheckpointError.missingTensor(name: name, path: path) }
    let values = try GGUFDequantizer.dequantize(
      info.type, source: try rawBytes(of: info), count: info.elementCount, tensor: name)
    return HostTensor(unchecked: name, shape: info.shape, data: values)
  }
}
