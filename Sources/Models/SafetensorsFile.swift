import Foundation

/// A safetensors file opened for reading (format: https://github.com/huggingface/safetensors):
///
///     [u64 little-endian N][N bytes of JSON header, possibly space-padded][data buffer]
///
/// The header maps each tensor name to `{"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}`
/// (offsets relative to the data buffer) and may hold `"__metadata__": {string: string}`.
/// The file is memory-mapped; tensors are decoded to `Float` only when asked for.
/// Validation follows the reference implementation: sizes must match shapes and the tensors must tile
/// the data buffer exactly, without gaps or overlaps.
public final class SafetensorsFile: @unchecked Sendable {
  /// Where a tensor's bytes are and how to read them.
  public struct TensorInfo: Equatable, Sendable {
    public var name: String
    public var dtype: SafetensorsDType
    /// Outermost first (PyTorch order).
    public var shape: [Int]
    /// Byte range relative to the start of the data buffer.
    public var dataOffsets: Range<Int>
  }

  /// Largest header accepted (same limit as the reference implementation).
  public static let maxHeaderSize = 100_000_000

  public let path: String
  /// The `__metadata__` map (empty when absent).
  public let metadata: [String: String]
  /// Tensor descriptions in file order (by data offset).
  public let tensorInfos: [TensorInfo]
  private let index: [String: Int]
  private let file: MappedFile
  private let dataStart: Int

  /// Opens and validates the file at `url` (memory-mapped).
  public convenience init(url: URL) throws {
    try self.init(file: MappedFile(url: url))
  }

  /// Parses an in-memory safetensors buffer; `label` names it in errors.
  public convenience init(data: Data, label: String = "<memory>") throws {
    try self.init(file: MappedFile(data: data, label: label))
  }

  init(file: MappedFile) throws {
    self.file = file
    path = file.path
    let bytes = file.bytes
    guard bytes.count >= 8 else {
      throw CheckpointError.malformed(
        path: path, reason: "file of \(bytes.count) bytes has no 8-byte header length")
    }
    let headerLength = UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self))
    guard headerLength <= UInt64(SafetensorsFile.maxHeaderSize), Int(headerLength) <= bytes.count - 8 else {
      throw CheckpointError.malformed(
        path: path,
        reason: "header length \(headerLength) exceeds the file size \(bytes.count) or the 100 MB limit")
    }
    dataStart = 8 + Int(headerLength)
    let headerData = Data(UnsafeRawBufferPointer(rebasing: bytes[8..<dataStart]))
    let parsed = try SafetensorsFile.parseHeader(headerData, path: path)
    metadata = parsed.metadata
    tensorInfos = try SafetensorsFile.validate(parsed.infos, dataSize: bytes.count - dataStart, path: path)
    index = Dictionary(uniqueKeysWithValues: tensorInfos.enumerated().map { ($1.name, $0) })
  }

  /// Tensor names in file order.
  public var tensorNames: [String] { tensorInfos.map(\.name) }

  /// The description of one tensor, or nil.
  public func info(named name: String) -> TensorInfo? {
    index[name].map { tensorInfos[$0] }
  }

  /// Decodes one tensor to `Float` (F32 copied, F16/BF16 widened exactly, F64 rounded).
  public func tensor(named name: String) throws -> HostTensor {
    guard let info = info(named: name) else { throw CheckpointError.missingTensor(name: name, path: path) }
    let raw = rawBytes(of: info)
    let count = raw.count / info.dtype.byteSize
    let values = try [Float](unsafeUninitializedCapacity: count) { out, initialized in
      switch info.dtype {
      case .f32:
        if UInt32(1).littleEndian == 1, count > 0, let source = raw.baseAddress, let target = out.baseAddress
        {
          // Little-endian host: the stored bytes already are the Floats.
          UnsafeMutableRawPointer(target).copyMemory(from: source, byteCount: 4 * count)
        } else {
          for i in 0..<count {
            out[i] = Float(
              bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
          }
        }
      case .f16:
        for i in 0..<count {
          out[i] = HalfPrecision.float(
            fromF16: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
        }
      case .bf16:
        for i in 0..<count {
          out[i] = HalfPrecision.float(
            fromBF16: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
        }
      case .f64:
        for i in 0..<count {
          out[i] = Float(
            Double(
              bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))))
        }
      default:
        throw CheckpointError.unsupportedType(tensor: name, type: info.dtype.rawValue)
      }
      initialized = count
    }
    return HostTensor(unchecked: name, shape: info.shape, data: values)
  }

  /// Decodes every tensor, in file order.
  public func loadAll() throws -> [HostTensor] {
    try tensorInfos.map { try tensor(named: $0.name) }
  }

  /// The stored bytes of a tensor (valid while this object lives).
  public func rawBytes(of info: TensorInfo) -> UnsafeRawBufferPointer {
    UnsafeRawBufferPointer(
      rebasing: file.bytes[
        (dataStart + info.dataOffsets.lowerBound)..<(dataStart + info.dataOffsets.upperBound)])
  }

  // MARK: - Header parsing

  static func parseHeader(_ data: Data, path: String) throws -> (
    metadata: [String: String], infos: [TensorInfo]
  ) {
    let object: Any
    do {
      object = try JSONSerialization.jsonObject(with: data)
    } catch {
      throw CheckpointError.malformed(
        path: path, reason: "header is not valid JSON (\(error.localizedDescription))")
    }
    guard let root = object as? [String: Any] else {
      throw CheckpointError.malformed(path: path, reason: "header JSON is not an object")
    }
    var metadata: [String: String] = [:]
    var infos: [TensorInfo] = []
    for (name, value) in root {
      if name == "__metadata__" {
        guard let map = value as? [String: Any] else {
          throw CheckpointError.malformed(path: path, reason: "__metadata__ is not an object")
        }
        for (key, item) in map {
          guard let text = item as? String else {
            throw CheckpointError.malformed(path: path, reason: "__metadata__[\(key)] is not a string")
          }
          metadata[key] = text
        }
        continue
      }
      infos.append(try parseEntry(name: name, value: value, path: path))
    }
    return (metadata, infos)
  }

  private static func parseEntry(name: String, value: Any, path: String) throws -> TensorInfo {
    guard let entry = value as? [String: Any] else {
      throw CheckpointError.invalidTensor(name: name, reason: "header entry is not an object in \(path)")
    }
    guard let dtypeName = entry["dtype"] as? String else {
      throw CheckpointError.invalidTensor(name: name, reason: "missing dtype in \(path)")
    }
    guard let dtype = SafetensorsDType(rawValue: dtypeName) else {
      throw CheckpointError.unsupportedType(tensor: name, type: dtypeName)
    }
    guard let shape = integers(entry["shape"]), shape.allSatisfy({ $0 >= 0 }) else {
      throw CheckpointError.invalidTensor(
        name: name, reason: "shape is not a list of non-negative integers in \(path)")
    }
    guard let offsets = integers(entry["data_offsets"]), offsets.count == 2, offsets[0] >= 0,
      offsets[0] <= offsets[1]
    else {
      throw CheckpointError.invalidTensor(
        name: name, reason: "data_offsets is not [begin, end] with begin ≤ end in \(path)")
    }
    return TensorInfo(name: name, dtype: dtype, shape: shape, dataOffsets: offsets[0]..<offsets[1])
  }

  /// JSON numbers arrive as NSNumber; accept only exact integers.
  private static func integers(_ value: Any?) -> [Int]? {
    guard let list = value as? [Any] else { return nil }
    var result: [Int] = []
    for item in list {
      guard let number = item as? NSNumber, let int = Int(exactly: number.doubleValue),
        number.doubleValue == Double(int)
      else { return nil }
      result.append(int)
    }
    return result
  }

  /// Sorts by offset and checks sizes, bounds, and that the tensors tile the buffer exactly.
  static func validate(_ infos: [TensorInfo], dataSize: Int, path: String) throws -> [TensorInfo] {
    let sorted = infos.sorted { ($0.dataOffsets.lowerBound, $0.name) < ($1.dataOffsets.lowerBound, $1.name) }
    var expectedStart = 0
    for info in sorted {
      var elements = 1
      for dim in info.shape {
        let (product, overflow) = elements.multipliedReportingOverflow(by: dim)
        guard !overflow else {
          throw CheckpointError.invalidTensor(name: info.name, reason: "shape \(info.shape) overflows")
        }
        elements = product
      }
      let (bytes, overflow) = elements.multipliedReportingOverflow(by: info.dtype.byteSize)
      guard !overflow, bytes == info.dataOffsets.count else {
        throw CheckpointError.invalidTensor(
          name: info.name,
          reason: "\(info.dtype.rawValue) \(info.shape) needs \(elements * info.dtype.byteSize) bytes "
            + "but data_offsets span \(info.dataOffsets.count) in \(path)")
      }
      guard info.dataOffsets.lowerBound == expectedStart else {
        throw CheckpointError.malformed(
          path: path,
          reason: "tensor '\(info.name)' starts at \(info.dataOffsets.lowerBound), expected \(expectedStart) "
            + "(gap or overlap in the data buffer)")
      }
      expectedStart = info.dataOffsets.upperBound
    }
    guard expectedStart == dataSize else {
      throw CheckpointError.malformed(
        path: path, reason: "tensors cover \(expectedStart) bytes but the data buffer holds \(dataSize)")
    }
    return sorted
  }
}
