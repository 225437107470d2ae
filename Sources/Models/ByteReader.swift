/// A bounds-checked little-endian cursor over a byte buffer, used to parse GGUF headers. Every read
/// checks the remaining length first, so a truncated or corrupt file yields an error, never a crash.
struct ByteReader {
  let bytes: UnsafeRawBufferPointer
  let path: String
  private(set) var offset: Int

  init(bytes: UnsafeRawBufferPointer, path: String, offset: Int = 0) {
    self.bytes = bytes
    self.path = path
    self.offset = offset
  }

  /// Throws unless `count` more bytes are available.
  func require(_ count: Int, _ what: @autoclosure () -> String) throws {
    guard count >= 0, count <= bytes.count - offset else {
      throw CheckpointError.malformed(
        path: path,
        reason: "truncated: \(what()) needs \(count) bytes at offset \(offset), file has \(bytes.count)")
    }
  }

  /// Reads a fixed-width integer or float stored little-endian.
  mutating func read<T: FixedWidthInteger>(_ type: T.Type, _ what: @autoclosure () -> String) throws -> T {
    try require(MemoryLayout<T>.size, what())
    let value = bytes.loadUnaligned(fromByteOffset: offset, as: T.self)
    offset += MemoryLayout<T>.size
    return T(littleEndian: value)
  }

  mutating func readFloat(_ what: @autoclosure () -> String) throws -> Float {
    Float(bitPattern: try read(UInt32.self, what()))
  }

  mutating func readDouble(_ what: @autoclosure () -> String) throws -> Double {
    Double(bitPattern: try read(UInt64.self, what()))
  }

  /// Reads a u64 that must fit an `Int` count/length no larger than `limit`.
  mutating func readCount(_ what: @autoclosure () -> String, limit: Int) throws -> Int {
    let raw = try read(UInt64.self, what())
    guard raw <= UInt64(limit) else {
      throw CheckpointError.malformed(path: path, reason: "\(what()) = \(raw) is implausibly large")
    }
    return Int(raw)
  }

  /// A GGUF string: u64 byte length, then UTF-8 bytes (not NUL-terminated). Invalid UTF-8 is repaired
  /// rather than rejected, since token lists of byte-level vocabularies are sometimes not valid UTF-8.
  mutating func readString(_ what: @autoclosure () -> String) throws -> String {
    let length = try readCount("length of \(what())", limit: bytes.count - offset)
    let start = offset
    offset += length
    return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<start + length]), as: UTF8.self)
  }

  /// Moves forward to the next multiple of `alignment`.
  mutating func align(to alignment: Int) {
    offset = (offset + alignment - 1) / alignment * alignment
  }
}
