// Four weight rows against one activation row per pass. At batch 1 (decoding) every matmul is a
// matrix-vector product: the single-row kernel re-reads and re-splits the same activation block
// (even/odd bytes, 4 vector ops) for every weight row. Here each activation block is loaded and
// split once and used for 4 rows, and the 4 rows' scale loads interleave. Per row the arithmetic
// is exactly that of `QuantDot.q4_1`/`q4_0`/`q8_0` (same block order, same 8-lane FMA
// accumulation), so results are bit-identical to the single-row path.

extension QuantDot {
  /// Activation block b (32 int8 values at xq + 32b) split into even/odd bytes of its two halves.
  @inline(__always)
  static func activationBlock(_ xq: UnsafeRawPointer, _ b: Int) -> (I16, I16, I16, I16) {
    let (y0e, y0o) = signedBytes(xq, 32 * b)
    let (y1e, y1o) = signedBytes(xq, 32 * b + 16)
    return (y0e, y0o, y1e, y1o)
  }

  /// `nibbleBlock` with the activation block already split.
  @inline(__always)
  static func nibbleBlock(
    _ wq: UnsafeRawPointer, _ b: Int, offset: Int16, _ y: (I16, I16, I16, I16)
  ) -> F8 {
    let packed = wq.loadUnaligned(fromByteOffset: 16 * b, as: U16.self)
    let mask = U16(repeating: 0x0F)
    let off = I16(repeating: offset)
    let loEven = I16(truncatingIfNeeded: packed & mask) &- off
    let hiEven = I16(truncatingIfNeeded: (packed &>> 4) & mask) &- off
    let loOdd = I16(truncatingIfNeeded: (packed &>> 8) & mask) &- off
    let hiOdd = I16(truncatingIfNeeded: packed &>> 12) &- off
    return F8(
      lowHalf: pairSums(loEven &* y.0 &+ loOdd &* y.1), highHalf: pairSums(hiEven &* y.2 &+ hiOdd &* y.3))
  }

  /// `q8_0` block sums with the activation block already split.
  @inline(__always)
  static func byteBlock(_ wq: UnsafeRawPointer, _ b: Int, _ y: (I16, I16, I16, I16)) -> F8 {
    let (w0e, w0o) = signedBytes(wq, 32 * b)
    let (w1e, w1o) = signedBytes(wq, 32 * b + 16)
    return F8(lowHalf: pairSums(w0e &* y.0 &+ w0o &* y.1), highHalf: pairSums(w1e &* y.2 &+ w1o &* y.3))
  }
}

extension QuantizedMatrix {
  /// Outputs of weight rows n..<n+4 against activation row m (n + 4 ≤ rows).
  @inline(__always)
  func dot4(rows n: Int, _ x: QuantizedActivations, row m: Int) -> SIMD4<Float> {
    let nb = blocksPerRow
    let rowBytes = nb * format.quantBytes
    let wq0 = UnsafeRawPointer(quants + n * rowBytes)
    let (wq1, wq2, wq3) = (wq0 + rowBytes, wq0 + 2 * rowBytes, wq0 + 3 * rowBytes)
    let wd0 = scales + n * nb
    let (wd1, wd2, wd3) = (wd0 + nb, wd0 + 2 * nb, wd0 + 3 * nb)
    let (xd, xs) = (x.scales + m * nb, x.sums + m * nb)
    let xq = UnsafeRawPointer(x.quants + m * cols)
    typealias F8 = QuantDot.F8
    var (a0, a1, a2, a3) = (F8(), F8(), F8(), F8())
    switch format {
    case .q4_1, .q4_0:
      let offset: Int16 = format == .q4_0 ? 8 : 0
      for b in 0..<nb {
        let y = QuantDot.activationBlock(xq, b)
        let d = xd[b]
        a0.addProduct(F8(repeating: wd0[b] * d), QuantDot.nibbleBlock(wq0, b, offset: offset, y))
        a1.addProduct(F8(repeating: wd1[b] * d), QuantDot.nibbleBlock(wq1, b, offset: offset, y))
        a2.addProduct(F8(repeating: wd2[b] * d), QuantDot.nibbleBlock(wq2, b, offset: offset, y))
        a3.addProduct(F8(repeating: wd3[b] * d), QuantDot.nibbleBlock(wq3, b, offset: offset, y))
      }
    case .q8_0:
      for b in 0..<nb {
        let y = QuantDot.activationBlock(xq, b)
        let d = xd[b]
        a0.addProduct(F8(repeating: wd0[b] * d), QuantDot.byteBlock(wq0, b, y))
        a1.addProduct(F8(repeating: wd1[b] * d), QuantDot.byteBlock(wq1, b, y))
        a2.addProduct(F8(repeating: wd2[b] * d), QuantDot.byteBlock(wq2, b, y))
        a3.addProduct(F8(repeating: wd3[b] * d), QuantDot.byteBlock(wq3, b, y))
      }
    }
    var out = SIMD4<Float>(QuantDot.hsum(a0), QuantDot.hsum(a1), QuantDot.hsum(a2), QuantDot.hsum(a3))
    if format == .q4_1 {
      // Q4_1's minimum term Σ_b m_w·s_x, accumulated per row in block order as in `QuantDot.q4_1`.
      let wm0 = mins + n * nb
      var m4 = SIMD4<Float>()
      for b in 0..<nb {
        let s = xs[b]
        m4.addProduct(
          SIMD4<Float>(wm0[b], wm0[nb + b], wm0[2 * nb + b], wm0[3 * nb + b]), SIMD4(repeating: s))
      }
      out += m4
    }
    return out
  }
}
