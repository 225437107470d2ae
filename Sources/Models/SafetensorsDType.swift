/// The element types of the safetensors format (names exactly as they appear in the header's `dtype`
/// field, see https://github.com/huggingface/safetensors). All are stored little-endian.
/// `HostTensor` loading decodes the floating-point ones; the others are recognised so that a file
/// holding, say, an `I64` buffer still opens and only that tensor reports an error.
public enum SafetensorsDType: String, CaseIterable, Sendable, Codable {
  case bool = "BOOL"
  case u8 = "U8"
  case i8 = "I8"
  case f8e5m2 = "F8_E5M2"
  case f8e4m3 = "F8_E4M3"
  case i16 = "I16"
  case u16 = "U16"
  case f16 = "F16"
  case bf16 = "BF16"
  case i32 = "I32"
  case u32 = "U32"
  case f32 = "F32"
  case f64 = "F64"
  case i64 = "I64"
  case u64 = "U64"

  /// Bytes per element.
  public var byteSize: Int {
    switch self {
    case .bool, .u8, .i8, .f8e5m2, .f8e4m3: return 1
    case .i16, .u16, .f16, .bf16: return 2
    case .i32, .u32, .f32: return 4
    case .f64, .i64, .u64: return 8
    }
  }

  /// Whether `SafetensorsFile.tensor(named:)` can decode it to `Float`.
  public var isDecodable: Bool {
    switch self {
    case .f16, .bf16, .f32, .f64: return true
    default: return false
    }
  }

  /// Whether `SafetensorsWriter` can encode `Float` data as this type.
  public var isWritable: Bool {
    switch self {
    case .f16, .bf16, .f32: return true
    default: return false
    }
  }
}
