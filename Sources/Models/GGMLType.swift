/// A ggml tensor storage type (the `ggml_type` enum of ggml.h), as stored in GGUF tensor infos.
/// A struct rather than an enum so that a file using a type this reader does not know still opens;
/// only dequantising that tensor fails, with an error naming the type number.
public struct GGMLType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
  public let rawValue: UInt32
  public init(rawValue: UInt32) { self.rawValue = rawValue }

  public static let f32 = GGMLType(rawValue: 0)
  public static let f16 = GGMLType(rawValue: 1)
  public static let q4_0 = GGMLType(rawValue: 2)
  public static let q4_1 = GGMLType(rawValue: 3)
  public static let q5_0 = GGMLType(rawValue: 6)
  public static let q5_1 = GGMLType(rawValue: 7)
  public static let q8_0 = GGMLType(rawValue: 8)
  public static let q8_1 = GGMLType(rawValue: 9)
  public static let q2_K = GGMLType(rawValue: 10)
  public static let q3_K = GGMLType(rawValue: 11)
  public static let q4_K = GGMLType(rawValue: 12)
  public static let q5_K = GGMLType(rawValue: 13)
  public static let q6_K = GGMLType(rawValue: 14)
  public static let q8_K = GGMLType(rawValue: 15)
  public static let f64 = GGMLType(rawValue: 28)
  public static let bf16 = GGMLType(rawValue: 30)

  /// (name, elements per block, bytes per block) for every type in ggml's type-traits table that has a
  /// fixed block layout. Used to bounds-check tensor data even for types we cannot dequantise.
  private static let layouts: [UInt32: (String, Int, Int)] = [
    0: ("F32", 1, 4), 1: ("F16", 1, 2), 2: ("Q4_0", 32, 18), 3: ("Q4_1", 32, 20), 6: ("Q5_0", 32, 22),
    7: ("Q5_1", 32, 24), 8: ("Q8_0", 32, 34), 9: ("Q8_1", 32, 40), 10: ("Q2_K", 256, 84),
    11: ("Q3_K", 256, 110), 12: ("Q4_K", 256, 144), 13: ("Q5_K", 256, 176), 14: ("Q6_K", 256, 210),
    15: ("Q8_K", 256, 292), 16: ("IQ2_XXS", 256, 66), 17: ("IQ2_XS", 256, 74), 18: ("IQ3_XXS", 256, 98),
    19: ("IQ1_S", 256, 50), 20: ("IQ4_NL", 32, 18), 21: ("IQ3_S", 256, 110), 22: ("IQ2_S", 256, 82),
    23: ("IQ4_XS", 256, 136), 24: ("I8", 1, 1), 25: ("I16", 1, 2), 26: ("I32", 1, 4), 27: ("I64", 1, 8),
    28: ("F64", 1, 8), 29: ("IQ1_M", 256, 56), 30: ("BF16", 1, 2), 34: ("TQ1_0", 256, 54),
    35: ("TQ2_0", 256, 66),
  ]

  /// The ggml name ("Q4_K"), or "type N" when unknown.
  public var name: String { GGMLType.layouts[rawValue]?.0 ?? "type \(rawValue)" }

  /// Elements per quantisation block (1 for plain float types), nil when unknown.
  public var blockSize: Int? { GGMLType.layouts[rawValue]?.1 }

  /// Bytes per block, nil when unknown.
  public var blockBytes: Int? { GGMLType.layouts[rawValue]?.2 }

  /// Whether `GGUFDequantizer` can decode this type to Float.
  public var isDequantizable: Bool {
    GGUFDequantizer.supported.contains(self)
  }

  public var description: String { "\(name) (\(rawValue))" }
}
