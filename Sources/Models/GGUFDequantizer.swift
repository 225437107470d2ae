/// Decodes ggml block-quantised data to `Float`. Block layouts follow ggml-common.h and the reference
/// `dequantize_row_*` functions of ggml-quants.c; every multi-byte field is little-endian and blocks
/// are packed without padding (so fields are read unaligned).
///
/// Legacy formats, 32 values per block (`d`, `m` are f16 scales/minimums, `q` the packed integers):
/// - Q8_0 `{d; int8 q[32]}`:                     x[i] = d·q[i]
/// - Q4_0 `{d; u8 qs[16]}`:                      x[i] = d·(lo(qs[i]) − 8), x[i+16] = d·(hi(qs[i]) − 8)
/// - Q4_1 `{d; m; u8 qs[16]}`:                   x[i] = d·lo(qs[i]) + m,   x[i+16] = d·hi(qs[i]) + m
/// - Q5_0 `{d; u32 qh; u8 qs[16]}`: 5th bit of x[i] is bit i of qh, of x[i+16] bit i+16; offset −16
/// - Q5_1 `{d; m; u32 qh; u8 qs[16]}`: as Q5_0 with `·d + m` instead of the offset
/// K-quants, 256 values per block in sub-blocks with 6-bit (Q4_K/Q5_K) or int8 (Q6_K) scales:
/// - Q4_K `{d; dmin; u8 scales[12]; u8 qs[128]}`, Q5_K adds `u8 qh[32]`, Q6_K `{ql[128]; qh[64];
///   int8 scales[16]; d}`, Q8_K `{f32 d; int8 q[256]; int16 bsums[16]}`.
public enum GGUFDequantizer {
  /// Types `dequantize` handles.
  public static let supported: Set<GGMLType> = [
    .f32, .f16, .bf16, .f64, .q8_0, .q4_0, .q4_1, .q5_0, .q5_1, .q4_K, .q5_K, .q6_K, .q8_K,
  ]

  /// Decodes `count` values of `type` from `source` (which must hold exactly the blocks for them)
  /// into `out`. `tensor` names the tensor in errors.
  public static func dequantize(
    _ type: GGMLType, source: UnsafeRawBufferPointer, count: Int, into out: UnsafeMutablePointer<Float>,
    tensor: String
  ) throws {
    guard supported.contains(type), let blockSize = type.blockSize, let blockBytes = type.blockBytes else {
      throw CheckpointError.unsupportedType(
        tensor: tensor, type: "ggml \(type.name) (type number \(type.rawValue))")
    }
    guard count % blockSize == 0, source.count == count / blockSize * blockBytes else {
      throw CheckpointError.invalidTensor(
        name: tensor,
        reason:
          "\(count) values of \(type.name) need \(count / blockSize * blockBytes) bytes, got \(source.count)")
    }
    guard count > 0, let base = source.baseAddress else { return }
    let blocks = count / blockSize
    switch type {
    case .f32:
      for i in 0..<count {
        out[i] = Float(
          bitPattern: UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
      }
    case .f16:
      for i in 0..<count { out[i] = half(base, 2 * i) }
    case .bf16:
      for i in 0..<count {
        out[i] = HalfPrecision.float(
          fromBF16: UInt16(littleEndian: base.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
      }
    case .f64:
      for i in 0..<count {
        out[i] = Float(
          Double(bitPattern: UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)))
        )
      }
    case .q8_0: for b in 0..<blocks { q8_0(base + b * blockBytes, out + b * blockSize) }
    case .q4_0: for b in 0..<blocks { q4_0(base + b * blockBytes, out + b * blockSize) }
    case .q4_1: for b in 0..<blocks { q4_1(base + b * blockBytes, out + b * blockSize) }
    case .q5_0: for b in 0..<blocks { q5(base + b * blockBytes, out + b * blockSize, hasMin: false) }
    case .q5_1: for b in 0..<blocks { q5(base + b * blockBytes, out + b * blockSize, hasMin: true) }
    case .q4_K: for b in 0..<blocks { q4_K(base + b * blockBytes, out + b * blockSize) }
    case .q5_K: for b in 0..<blocks { q5_K(base + b * blockBytes, out + b * blockSize) }
    case .q6_K: for b in 0..<blocks { q6_K(base + b * blockBytes, out + b * blockSize) }
    default: for b in 0..<blocks { q8_K(base + b * blockBytes, out + b * blockSize) }
    }
  }

  /// Convenience: decodes into a new array.
  public static func dequantize(_ type: GGMLType, source: UnsafeRawBufferPointer, count: Int, tensor: String)
    throws
    -> [Float]
  {
    if count == 0 {
      // An empty array may have no storage to point at; the type and size checks still apply.
      var dummy: Float = 0
      try dequantize(type, source: source, count: 0, into: &dummy, tensor: tensor)
      return []
    }
    return try [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
      try dequantize(type, source: source, count: count, into: buffer.baseAddress!, tensor: tensor)
      initialized = count
    }
  }

  // MARK: - Block decoders (p: start of one block, y: its output values)

  @inline(__always)
  static func half(_ p: UnsafeRawPointer, _ offset: Int) -> Float {
    HalfPrecision.float(
      fromF16: UInt16(littleEndian: p.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
  }

  @inline(__always)
  static func byte(_ p: UnsafeRawPointer, _ offset: Int) -> UInt8 {
    p.load(fromByteOffset: offset, as: UInt8.self)
  }

  static func q8_0(_ p: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
    let d = half(p, 0)
    for i in 0..<32 { y[i] = d * Float(p.load(fromByteOffset: 2 + i, as: Int8.self)) }
  }

  static func q4_0(_ p: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
    let d = half(p, 0)
    for i in 0..<16 {
      let q = byte(p, 2 + i)
      y[i] = d * Float(Int(q & 0x0F) - 8)
      y[i + 16] = d * Float(Int(q >> 4) - 8)
    }
  }

  static func q4_1(_ p: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
    let d = half(p, 0)
    let m = half(p, 2)
    for i in 0..<16 {
      let q = byte(p, 4 + i)
      y[i] = d * Float(q & 0x0F) + m
      y[i + 16] = d * Float(q >> 4) + m
    }
  }

  /// Q5_0 (`hasMin == false`: `{d; qh; qs}`, offset −16) and Q5_1 (`{d; m; qh; qs}`, `+ m`).
  static func q5(_ p: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>, hasMin: Bool) {
    let d = half(p, 0)
    let m: Float = hasMin ? half(p, 2) : 0
    let qhOffset = hasMin ? 4 : 2
    let qh = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: qhOffset, as: UInt32.self))
    let bias = hasMin ? 0 : 16
    for i in 0..<16 {
      let q = byte(p, qhOffset + 4 + i)
      let high0 = Int((qh >> UInt32(i)) & 1) << 4
      let high1 = Int((qh >> UInt32(i + 16)) & 1) << 4
      y[i] = d * Float((Int(q & 0x0F) | high0) - bias) + m
      y[i + 16] = d * Float((Int(q >> 4) | high1) - bias) + m
    }
  }

  /// The j-th 6-bit (scale, min) pair of the 12-byte K-quant scale array (ggml's get_scale_min_k4):
  /// pairs 0–3 sit in the low 6 bits of bytes 0–7, pairs 4–7 combine a nibble of bytes 8–11 with the
  /// top 2 bits of bytes 0–7.
  @inline(__always)
  static func scaleMin(_ j: Int, _ s: UnsafeRawPointer) -> (Float, Float) {
    if j < 4 {
      return (Float(byte(s, j) & 63), Float(byte(s, j + 4) & 63))
    }
    let scale = (byte(s, j + 4) & 0x0F) | ((byte(s, j - 4) >> 6) << 4)
    let min = (byte(s, j + 4) >> 4) | ((byte(s, j) >> 6) << 4)
    return (Float(scale), Float(min))
  }

  static func q4_K(_ p: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
    let d = half(p, 0)
    let dmin = half(p, 2)
    let scales = p + 4
    let qs = p + 16
    // Four groups of 64 values; each group's 32 bytes give 32 low nibbles then 32 high nibbles,
    // each half with its own (scale, min).
    for group in 0..<4 {
      let (sc0, m0) = scaleMin(2 * group, scales)
      let (sc1, m1) = scaleMin(2 * group + 1, scales)
      let d0 = d * sc0, min0 = dmin * m0, d1 = d * sc1, min1 = dmin * m1
      let q = qs + 32 * group
      let out = y + 64 * group
      for l in 0..<32 {
        let v = byte(q, l)
        out[l] = d0 * Float(v & 0x0F) - min0
        out[l + 32] = d1 * Float(v >> 4) - min1
      }
    }
  }

  static func q5_K(_ p: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
    let d = half(p, 0)
    let dmin = half(p, 2)
    let scales = p + 4
    let qh = p + 16
    let qs = p + 48
    for group in 0..<4 {
      let (sc0, m0) = scaleMin(2 * group, scales)
      let (sc1, m1) = scaleMin(2 * group + 1, scales)
      let d0 = d * sc0, min0 = dmin * m0, d1 = d * sc1, min1 = dmin * m1
      // The fifth bits of group g live in bits 2g (low half) and 2g+1 (high half) of qh[l].
      let bit0 = UInt8(1) << UInt8(2 * group)
      let bit1 = UInt8(2) << UInt8(2 * group)
      let q = qs + 32 * group
      let out = y + 64 * group
      for l in 0..<32 {
        let v = byte(q, l)
        let h = byte(qh, l)
        out[l] = d0 * Float((v & 0x0F) + (h & bit0 != 0 ? 16 : 0)) - min0
        out[l + 32] = d1 * Float((v >> 4) + (h & bit1 != 0 ? 16 : 0)) - min1
      }
    }
  }

  static func q6_K(_ p: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
    let d = half(p, 208)
    // Two halves of 128 values: 64 bytes of low nibbles, 32 bytes of 2-bit highs, 8 int8 scales each.
    for halfIndex in 0..<2 {
      let ql = p + 64 * halfIndex
      let qh = p + 128 + 32 * halfIndex
      let sc = p + 192 + 8 * halfIndex
      let out = y + 128 * halfIndex
      for l in 0..<32 {
        let s = l / 16
        let h = byte(qh, l)
        let lo0 = byte(ql, l), lo1 = byte(ql, l + 32)
        let q1 = Int((lo0 & 0x0F) | ((h & 3) << 4)) - 32
        let q2 = Int((lo1 & 0x0F) | (((h >> 2) & 3) << 4)) - 32
        let q3 = Int((lo0 >> 4) | (((h >> 4) & 3) << 4)) - 32
        let q4 = Int((lo1 >> 4) | (((h >> 6) & 3) << 4)) - 32
        out[l] = d * Float(sc.load(fromByteOffset: s, as: Int8.self)) * Float(q1)
        out[l + 32] = d * Float(sc.load(fromByteOffset: s + 2, as: Int8.self)) * Float(q2)
        out[l + 64] = d * Float(sc.load(fromByteOffset: s + 4, as: Int8.self)) * Float(q3)
        out[l + 96] = d * Float(sc.load(fromByteOffset: s + 6, as: Int8.self)) * Float(q4)
      }
    }
  }

  static func q8_K(_ p: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
    let d = Float(bitPattern: UInt32(littleEndian: p.loadUnaligned(as: UInt32.self)))
    for i in 0..<256 { y[i] = d * Float(p.load(fromByteOffset: 4 + i, as: Int8.self)) }
  }
}
