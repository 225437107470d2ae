// GPT-2's reversible byte ⇄ Unicode-scalar mapping (Radford et al. 2019, `bytes_to_unicode` in the
// original encoder.py; the same table sits behind HF's ByteLevel pre-tokenizer and llama.cpp's
// `unicode_byte_to_utf8`). Printable Latin-1 bytes map to themselves; the other 68 bytes map to
// U+0100… in byte order, so every byte string becomes a string of visible characters and a BPE
// vocabulary over those characters covers all inputs.

/// The byte-level alphabet. Example: byte 0x20 (space) ↔ "Ġ" (U+0120), 0x0A ↔ "Ċ" (U+010A),
/// 0x41 ("A") ↔ "A".
public enum ByteLevelAlphabet {
  /// `scalarForByte[b]` is the scalar value that stands for byte `b`.
  public static let scalarForByte: [UInt32] = {
    var table = [UInt32](repeating: 0, count: 256)
    var next: UInt32 = 256
    for b in 0..<256 {
      let printable = (0x21...0x7E).contains(b) || (0xA1...0xAC).contains(b) || (0xAE...0xFF).contains(b)
      if printable {
        table[b] = UInt32(b)
      } else {
        table[b] = next
        next += 1
      }
    }
    return table
  }()

  /// Inverse of `scalarForByte`: byte for a scalar value, or nil when the scalar is not in the
  /// alphabet (values above U+0143 are never in it).
  public static func byte(forScalar value: UInt32) -> UInt8? {
    if value < 324, let b = byteForScalarTable[Int(value)] { return b }
    return nil
  }

  private static let byteForScalarTable: [UInt8?] = {
    var table = [UInt8?](repeating: nil, count: 324)
    for b in 0..<256 { table[Int(scalarForByte[b])] = UInt8(b) }
    return table
  }()

  /// The alphabet string for raw bytes, e.g. `[0x20, 0x61]` → `"Ġa"`.
  public static func encode<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
    var s = String.UnicodeScalarView()
    for b in bytes { s.append(Unicode.Scalar(scalarForByte[Int(b)])!) }
    return String(s)
  }

  /// Raw bytes for an alphabet string, or nil if some character is outside the alphabet.
  public static func decode(_ text: String) -> [UInt8]? {
    var out: [UInt8] = []
    out.reserveCapacity(text.unicodeScalars.count)
    for u in text.unicodeScalars {
      guard let b = byte(forScalar: u.value) else { return nil }
      out.append(b)
    }
    return out
  }
}
