// Character classes used by the pre-tokenizer regexes: \p{L}, \p{N}, \s. A flat table per BMP
// scalar keeps the scanner to one array load per character (the stdlib's generalCategory lookup
// is a search per call).

/// Class bits of a Unicode scalar as the pre-tokenizer regexes see it.
struct ScalarClass: OptionSet, Sendable {
  let rawValue: UInt8
  static let letter = ScalarClass(rawValue: 1)  // \p{L}: Lu Ll Lt Lm Lo
  static let number = ScalarClass(rawValue: 2)  // \p{N}: Nd Nl No
  static let whitespace = ScalarClass(rawValue: 4)  // \s

  /// Class of a scalar value. Whitespace follows llama.cpp (generated from Python's
  /// `str.isspace()`), which adds U+001C…U+001F to Unicode's White_Space set.
  static func of(_ value: UInt32) -> ScalarClass {
    if value < 0x10000 { return ScalarClass(rawValue: bmpTable[Int(value)]) }
    return compute(value)
  }

  /// Classes of `scalars` into `out` (replacing its contents); one table fetch for the whole run.
  static func classify(_ scalars: [UInt32], into out: inout [ScalarClass]) {
    out.removeAll(keepingCapacity: true)
    bmpTable.withUnsafeBufferPointer { table in
      for v in scalars {
        out.append(v < 0x10000 ? ScalarClass(rawValue: table[Int(v)]) : compute(v))
      }
    }
  }

  private static let bmpTable: [UInt8] = (0..<0x10000).map { compute(UInt32($0)).rawValue }

  private static func compute(_ value: UInt32) -> ScalarClass {
    if isWhitespace(value) { return .whitespace }
    guard let scalar = Unicode.Scalar(value) else { return [] }
    switch scalar.properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
      return .letter
    case .decimalNumber, .letterNumber, .otherNumber:
      return .number
    default:
      return []
    }
  }

  private static func isWhitespace(_ v: UInt32) -> Bool {
    switch v {
    case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F,
      0x3000:
      return true
    default:
      return false
    }
  }
}
