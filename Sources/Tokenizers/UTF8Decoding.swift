// Minimal UTF-8 helpers over byte arrays (the tokenizers work on bytes, not Characters).

enum UTF8Decoding {
  /// (byte offset, scalar value) of every scalar in valid UTF-8 `bytes`. Ill-formed input cannot
  /// reach here (fragments come from Swift Strings), but each bad byte is still decoded as its own
  /// U+FFFD-like unit so the scan always advances.
  static func scalars(_ bytes: [UInt8]) -> [(Int, UInt32)] {
    var out: [(Int, UInt32)] = []
    out.reserveCapacity(bytes.count)
    var i = 0
    let n = bytes.count
    while i < n {
      let b0 = UInt32(bytes[i])
      let len = sequenceLength(bytes[i])
      if len == 1 || i + len > n {
        out.append((i, len == 1 ? b0 : 0xFFFD))
        i += 1
        continue
      }
      var v: UInt32
      switch len {
      case 2: v = b0 & 0x1F
      case 3: v = b0 & 0x0F
      default: v = b0 & 0x07
      }
      for k in 1..<len { v = v << 6 | (UInt32(bytes[i + k]) & 0x3F) }
      out.append((i, v))
      i += len
    }
    return out
  }

  /// Length of the sequence a lead byte starts (1 for ASCII and for stray continuation bytes).
  @inline(__always)
  static func sequenceLength(_ lead: UInt8) -> Int {
    if lead < 0xC0 { return 1 }
    if lead < 0xE0 { return 2 }
    if lead < 0xF0 { return 3 }
    return 4
  }
}
