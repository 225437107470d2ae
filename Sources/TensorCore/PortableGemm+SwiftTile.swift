/// The tile kernel `PortableGemm` runs where the C ones do not (CPUs without AVX2, non-x86 hosts),
/// over the same packed layout with MR = 4, NR = 16.
///
/// A 4×16 tile of C lives in four SIMD16<Float> accumulators while p runs over the slice: each step
/// loads 16 values of the B̂ panel once and broadcasts 4 values of the Â panel. Products and sums
/// are separate operations (`+= x * b`, not `addProduct`): on baseline x86-64, which has no FMA
/// instruction, a fused multiply-add would become a libm call per lane.
extension PortableGemm {
  static func swiftBlock(
    m: Int, n: Int, k: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
    _ c: UnsafeMutablePointer<Float>,
    ldc: Int, alpha: Float, beta: Float
  ) {
    for j in stride(from: 0, to: n, by: 16) {
      let bp = UnsafeRawPointer(b + j * k)  // panel j/16 starts at (j/16)·k·16
      for i in stride(from: 0, to: m, by: 4) {
        let ap = a + i * k  // panel i/4 starts at (i/4)·k·4
        var acc0 = SIMD16<Float>()
        var acc1 = SIMD16<Float>()
        var acc2 = SIMD16<Float>()
        var acc3 = SIMD16<Float>()
        for p in 0..<k {
          let bv = bp.loadUnaligned(fromByteOffset: p * 64, as: SIMD16<Float>.self)
          let x = ap + p * 4
          acc0 += x[0] * bv
          acc1 += x[1] * bv
          acc2 += x[2] * bv
          acc3 += x[3] * bv
        }
        store(
          (acc0, acc1, acc2, acc3), rows: min(4, m - i), cols: min(16, n - j), c + i * ldc + j, ldc: ldc,
          alpha: alpha, beta: beta)
      }
    }
  }

  /// Writes a tile's rows < rows, columns < cols: C = alpha·acc + beta·C (C unread when beta = 0).
  @inline(__always)
  static func store(
    _ acc: (SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>), rows: Int, cols: Int,
    _ c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float, beta: Float
  ) {
    for r in 0..<rows {
      let v = alpha * (r == 0 ? acc.0 : r == 1 ? acc.1 : r == 2 ? acc.2 : acc.3)
      let row = c + r * ldc
      if cols == 16 {
        let raw = UnsafeMutableRawPointer(row)
        let old = beta == 0 ? SIMD16<Float>() : beta * raw.loadUnaligned(as: SIMD16<Float>.self)
        raw.storeBytes(of: v + old, as: SIMD16<Float>.self)
      } else {
        for j in 0..<cols { row[j] = beta == 0 ? v[j] : v[j] + beta * row[j] }
      }
    }
  }
}
