/// One GGUF metadata value (GGUF spec, ggml/docs/gguf.md, `gguf_metadata_value_type`):
/// type codes 0 u8, 1 i8, 2 u16, 3 i16, 4 u32, 5 i32, 6 f32, 7 bool, 8 string, 9 array, 10 u64,
/// 11 i64, 12 f64. Arrays are homogeneous; the tokenizer's vocabulary is an array of strings.
public enum GGUFValue: Equatable, Sendable {
  case uint8(UInt8)
  case int8(Int8)
  case uint16(UInt16)
  case int16(Int16)
  case uint32(UInt32)
  case int32(Int32)
  case float32(Float)
  case bool(Bool)
  case string(String)
  case uint64(UInt64)
  case int64(Int64)
  case float64(Double)
  /// Element type code and elements.
  case array(elementType: UInt32, [GGUFValue])

  /// Any integer type as `Int` (nil for non-integers or values that do not fit).
  public var intValue: Int? {
    switch self {
    case .uint8(let v): return Int(v)
    case .int8(let v): return Int(v)
    case .uint16(let v): return Int(v)
    case .int16(let v): return Int(v)
    case .uint32(let v): return Int(v)
    case .int32(let v): return Int(v)
    case .uint64(let v): return Int(exactly: v)
    case .int64(let v): return Int(v)
    default: return nil
    }
  }

  /// Any number as `Double` (integers converted).
  public var doubleValue: Double? {
    switch self {
    case .float32(let v): return Double(v)
    case .float64(let v): return v
    default: return intValue.map(Double.init)
    }
  }

  public var stringValue: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  public var boolValue: Bool? {
    if case .bool(let b) = self { return b }
    return nil
  }

  public var arrayValue: [GGUFValue]? {
    if case .array(_, let items) = self { return items }
    return nil
  }

  /// An array of strings (e.g. `tokenizer.ggml.tokens`), or nil if this is not one.
  public var stringArray: [String]? {
    guard case .array(_, let items) = self else { return nil }
    var out: [String] = []
    out.reserveCapacity(items.count)
    for item in items {
      guard case .string(let s) = item else { return nil }
      out.append(s)
    }
    return out
  }

  /// The fewest bytes a value of type code `type` occupies (an empty string or array still has its
  /// length field).
  static func minimumSize(of type: UInt32) -> Int {
    switch type {
    case 0, 1, 7: return 1
    case 2, 3: return 2
    case 4, 5, 6: return 4
    case 8, 10, 11, 12: return 8
    case 9: return 12
    default: return 1
    }
  }

  /// Reads a value of type code `type` (recursing for arrays; nested arrays are allowed by the spec).
  static func read(type: UInt32, from reader: inout ByteReader, key: String, depth: Int = 0) throws
    -> GGUFValue
  {
    switch type {
    case 0: return .uint8(try reader.read(UInt8.self, key))
    case 1: return .int8(try reader.read(Int8.self, key))
    case 2: return .uint16(try reader.read(UInt16.self, key))
    case 3: return .int16(try reader.read(Int16.self, key))
    case 4: return .uint32(try reader.read(UInt32.self, key))
    case 5: return .int32(try reader.read(Int32.self, key))
    case 6: return .float32(try reader.readFloat(key))
    case 7:
      let byte = try reader.read(UInt8.self, key)
      guard byte <= 1 else {
        throw CheckpointError.malformed(path: reader.path, reason: "bool value \(byte) for key '\(key)'")
      }
      return .bool(byte == 1)
    case 8: return .string(try reader.readString(key))
    case 9:
      guard depth < 4 else {
        throw CheckpointError.malformed(path: reader.path, reason: "arrays nested too deeply at key '\(key)'")
      }
      let elementType = try reader.read(UInt32.self, "element type of \(key)")
      // Each element takes at least `minimumSize` bytes, which bounds the count by the bytes left; the
      // reservation is capped too, so a corrupt count cannot make us allocate gigabytes up front.
      let count = try reader.readCount(
        "element count of \(key)", limit: (reader.bytes.count - reader.offset) / minimumSize(of: elementType))
      var items: [GGUFValue] = []
      items.reserveCapacity(min(count, 1 << 20))
      for _ in 0..<count {
        items.append(try read(type: elementType, from: &reader, key: key, depth: depth + 1))
      }
      return .array(elementType: elementType, items)
    case 10: return .uint64(try reader.read(UInt64.self, key))
    case 11: return .int64(try reader.read(Int64.self, key))
    case 12: return .float64(try reader.readDouble(key))
    default:
      throw CheckpointError.malformed(
        path: reader.path, reason: "unknown metadata value type \(type) for key '\(key)'")
    }
  }
}
