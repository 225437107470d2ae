/// A portable SIMD matrix product, kept as the measured alternative to BLAS (`recheck bench
/// tensor` prints both; the tensor ops use whichever is faster — BLAS on every shape measured so
/// far, see README). C (M, N) = A (M, K) · B (K, N), row-major, single-threaded.
///
/// Micro-kernel: 4 rows × 16 columns of C live in four SIMD16 accumulators while K is walked
/// once; A is read as broadcast scalars and B as contiguous 16-wide rows.
public func simdMatmul(
  _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>, m: Int, k: Int,
  n: Int
) {
  let n16 = n / 16 * 16
  var i = 0
  while i < m {
    let rows = min(4, m - i)
    var j = 0
    while j < n16 {
      var acc0 = SIMD16<Float>()
      var acc1 = SIMD16<Float>()
      var acc2 = SIMD16<Float>()
      var acc3 = SIMD16<Float>()
      for p in 0..<k {
        let bv = UnsafeRawPointer(b + p * n + j).loadUnaligned(as: SIMD16<Float>.self)
        acc0 += a[i * k + p] * bv
        if rows > 1 { acc1 += a[(i + 1) * k + p] * bv }
        if rows > 2 { acc2 += a[(i + 2) * k + p] * bv }
        if rows > 3 { acc3 += a[(i + 3) * k + p] * bv }
      }
      let accs = [acc0, acc1, acc2, acc3]
      for r in 0..<rows {
        UnsafeMutableRawPointer(c + (i + r) * n + j).storeBytes(of: accs[r], as: SIMD16<Float>.self)
      }
      j += 16
    }
    for r in 0..<rows {
      for jj in n16..<n {
        var s: Float = 0
        for p in 0..<k { s += a[(i + r) * k + p] * b[p * n + jj] }
        c[(i + r) * n + jj] = s
      }
    }
    i += 4
  }
}
