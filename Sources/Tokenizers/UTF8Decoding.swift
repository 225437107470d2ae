// Minimal UTF-8 helpers over byte arrays (the tokenizers work on bytes, not Characters).

enum UTF8Decoding {
  /// Scalar values of valid UTF-8 `bytes` into `scalars`, and the byte offset where each starts
  /// into `offsets` (plus a final `bytes.count`). Both are replaced. Ill-formed input cannot reach
  /// here (fragments come from Swift Strings), but a bad byte still decodes as U+FFFD so the scan
  /// always advances.
  static func decode(_ bytes: [UInt8], scalars: inout [UInt32], offsets: inout [Int]) {
    scalars.removeAll(keepingCapacity: true)
    offsets.removeAll(keepingCapacity: true)
    bytes.withUnsafeBufferPointer { p in
      var i = 0
      let n = p.count
      while i < n {
        let b0 = UInt32(p[i])
        offsets.append(i)
        if b0 < 0x80 {
          scalars.append(b0)
          i += 1
          continue
        }
        let len = sequenceLength(p[i])
        if len == 1 || i + len > n {
          scalars.append(0xFFFD)
          i += 1
          continue
        }
        var v: UInt32 = len == 2 ? b0 & 0x1F : (len == 3 ? b0 & 0x0F : b0 & 0x07)
        for k in 1..<len { v = v << 6 | (UInt32(p[i + k]) & 0x3F) }
        scalars.append(v)
        i += len
      }
      offsets.append(n)
    }
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
