import Foundation

/// Writes `HostTensor`s as a safetensors file in the layout of the reference implementation
/// (huggingface/safetensors `serialize`): u64 little-endian header length, JSON header padded with
/// spaces to a multiple of 8 bytes (so the data buffer is 8-byte aligned for zero-copy readers), then
/// the tensors back to back. Tensors are ordered by name, so the same input gives the same bytes.
///
/// Writing to a URL is atomic (see `AtomicFileWriter`): a crash leaves the old file or the new one.
public enum SafetensorsWriter {
  /// Writes `tensors` stored as `dtype` (F32, F16 or BF16; the 16-bit ones round to nearest even).
  public static func write(
    _ tensors: [HostTensor], to url: URL, dtype: SafetensorsDType = .f32, metadata: [String: String] = [:]
  ) throws {
    let writer = try AtomicFileWriter(destination: url)
    try serialize(tensors, dtype: dtype, metadata: metadata) { try writer.write($0) }
    try writer.commit()
  }

  /// The file's bytes in memory (for tests and small checkpoints).
  public static func data(
    _ tensors: [HostTensor], dtype: SafetensorsDType = .f32, metadata: [String: String] = [:]
  ) throws -> Data {
    var result = Data()
    try serialize(tensors, dtype: dtype, metadata: metadata) { result.append(contentsOf: $0) }
    return result
  }

  /// Streams the file's bytes to `sink`, one tensor at a time (never the whole file in memory).
  static func serialize(
    _ tensors: [HostTensor], dtype: SafetensorsDType, metadata: [String: String],
    sink: (UnsafeRawBufferPointer) throws -> Void
  ) throws {
    guard dtype.isWritable else {
      throw CheckpointError.unsupportedType(
        tensor: "<all>", type: "\(dtype.rawValue) (writable: F32, F16, BF16)")
    }
    let ordered = tensors.sorted { $0.name < $1.name }
    for (a, b) in zip(ordered, ordered.dropFirst()) where a.name == b.name {
      throw CheckpointError.invalidTensor(name: a.name, reason: "appears twice in the tensors to write")
    }
    for tensor in ordered where tensor.name == "__metadata__" {
      throw CheckpointError.invalidTensor(name: tensor.name, reason: "reserved name")
    }
    var header = try headerBytes(ordered, dtype: dtype, metadata: metadata)
    var length = UInt64(header.count).littleEndian
    try withUnsafeBytes(of: &length) { try sink($0) }
    try header.withUnsafeMutableBytes { try sink(UnsafeRawBufferPointer($0)) }
    for tensor in ordered {
      try encode(tensor.data, as: dtype, sink: sink)
    }
  }

  /// The JSON header, padded with spaces to a multiple of 8 bytes.
  static func headerBytes(_ ordered: [HostTensor], dtype: SafetensorsDType, metadata: [String: String]) throws
    -> [UInt8]
  {
    var parts: [String] = []
    if !metadata.isEmpty {
      let items = metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0]!))" }
      parts.append("\"__metadata__\":{\(items.joined(separator: ","))}")
    }
    var offset = 0
    for tensor in ordered {
      guard HostTensor.elementCount(tensor.shape) == tensor.data.count else {
        throw CheckpointError.invalidTensor(
          name: tensor.name, reason: "shape \(tensor.shape) does not match \(tensor.data.count) values")
      }
      let end = offset + tensor.data.count * dtype.byteSize
      let shape = tensor.shape.map(String.init).joined(separator: ",")
      parts.append(
        "\(jsonString(tensor.name)):{\"dtype\":\"\(dtype.rawValue)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}"
      )
      offset = end
    }
    var bytes = Array("{\(parts.joined(separator: ","))}".utf8)
    bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - bytes.count % 8) % 8))
    return bytes
  }

  /// Encodes values little-endian in chunks of 64 Ki elements.
  private static func encode(
    _ values: [Float], as dtype: SafetensorsDType, sink: (UnsafeRawBufferPointer) throws -> Void
  )
    throws
  {
    let chunk = 1 << 16
    try values.withUnsafeBufferPointer { source in
      var start = 0
      while start < source.count {
        let end = min(start + chunk, source.count)
        switch dtype {
        case .f32:
          let words = source[start..<end].map { $0.bitPattern.littleEndian }
          try words.withUnsafeBytes { try sink($0) }
        case .f16:
          let halves = source[start..<end].map { HalfPrecision.f16Bits(from: $0).littleEndian }
          try halves.withUnsafeBytes { try sink($0) }
        default:
          let halves = source[start..<end].map { HalfPrecision.bf16Bits(from: $0).littleEndian }
          try halves.withUnsafeBytes { try sink($0) }
        }
        start = end
      }
    }
  }

  /// A JSON string literal with the escapes RFC 8259 requires.
  static func jsonString(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if scalar.value < 0x20 {
          out +=
            "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
            + String(scalar.value, radix: 16)
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }
}
