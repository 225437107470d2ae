import CQuantKernels

/// The portable Float32 matrix product: what `Float.gemm` runs when OpenBLAS is absent or
/// `BLAS.usePortableKernels()` was called. Row-major C = alpha·op(A)·op(B) + beta·C, any
/// transposes and leading dimensions, single-threaded (`BLAS.split` spreads it over bands).
///
/// Why: the plain triple loop it replaces made a demo run about 20× slower than OpenBLAS, too slow
/// for the portable-kernel check of a finding to be run at all.
///
/// Scheme (Goto/BLIS): for each NC-wide column block of C and each KC-deep slice of the sum, op(B)
/// is packed into NR-wide column panels (k·NR contiguous floats, zero-padded); then for each
/// MC-high row block op(A) is packed into MR-high row panels, and every (row panel, column panel)
/// pair is one MR×NR register tile of C accumulated over the slice. Packing makes all four
/// transpose cases and any lda/ldb the same contiguous, unit-stride kernel; the sizes keep one
/// B̂ panel in L1 and the Â block in L2. The tiles run in C (`CQuantKernels/PackedGemm.c`:
/// AVX-512 8×32, AVX2+FMA 6×16) where the CPU has them, else in the SIMD16 4×16 kernel below.
/// Every element of C is one multiply-add chain over p per slice, in increasing p, so its rounding
/// differs from OpenBLAS's (which is what the portable-kernel check is for).
enum PortableGemm {
  /// Depth of one packed slice of the sum, and rows / columns of C per packed block.
  static let kc = 256
  static let mc = 96  // a multiple of every MR (4, 6, 8)
  static let nc = 2048  // a multiple of every NR (16, 32)

  /// Products with fewer rows (decoding) skip packing: packing op(B) would cost as much as the
  /// product itself, so they run as dot products or row updates straight from B (`rc_gemm_rows`).
  static let rowsWithoutPacking = 4

  /// Tiles the CPU runs: 2 = AVX-512, 1 = AVX2+FMA, 0 = the Swift kernel.
  static let hardwareLevel = Int(rc_gemm_level())

  /// The cost the portable-kernel warning names, from the tiles this CPU runs (measured on the
  /// demo's products with `recheck bench tensor`: AVX-512 1–2× OpenBLAS's time; the Swift tile,
  /// on baseline x86-64 SSE, 15–20× on an AVX-512 CPU where OpenBLAS uses AVX-512).
  static var slowdown: String {
    hardwareLevel > 0 ? "about 1–2× slower" : "several times slower (no AVX2 on this CPU)"
  }

  /// Tile height and width at a level.
  static func tile(_ level: Int) -> (mr: Int, nr: Int) {
    level == 0 ? (4, 16) : (Int(rc_gemm_mr(Int32(level))), Int(rc_gemm_nr(Int32(level))))
  }

  /// C (m×n, row stride ldc) = alpha·op(A)·op(B) + beta·C. `level` (tests, benchmarks) caps the
  /// tile kernel below what the CPU runs. beta = 0 overwrites C without reading it.
  static func sgemm(
    transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, level: Int = 2
  ) {
    guard m > 0, n > 0 else { return }
    if k == 0 || alpha == 0 {
      for i in 0..<m {
        for j in 0..<n { c[i * ldc + j] = beta == 0 ? 0 : beta * c[i * ldc + j] }
      }
      return
    }
    let level = min(level, hardwareLevel)
    if m < rowsWithoutPacking, level > 0 {
      let (ars, aks) = transA ? (1, lda) : (lda, 1)
      return rc_gemm_rows(m, n, k, a, ars, aks, b, ldb, transB ? 1 : 0, c, ldc, alpha, beta)
    }
    let (mr, nr) = tile(level)
    let (kcMax, ncMax, mcMax) = (min(kc, k), min(nc, n), min(mc, m))
    let packedB = UnsafeMutablePointer<Float>.allocate(capacity: kcMax * (ncMax + nr - 1) / nr * nr)
    let packedA = UnsafeMutablePointer<Float>.allocate(capacity: kcMax * (mcMax + mr - 1) / mr * mr)
    defer {
      packedB.deallocate()
      packedA.deallocate()
    }
    for j0 in stride(from: 0, to: n, by: nc) {
      let nb = min(nc, n - j0)
      for p0 in stride(from: 0, to: k, by: kc) {
        let kb = min(kc, k - p0)
        packB(transB, b, ldb, p0, kb, j0, nb, nr, into: packedB)
        let sliceBeta = p0 == 0 ? beta : 1  // later slices add to what the first wrote
        for i0 in stride(from: 0, to: m, by: mc) {
          let mb = min(mc, m - i0)
          packA(transA, a, lda, i0, mb, p0, kb, mr, into: packedA)
          let cb = c + i0 * ldc + j0
          if level == 0 {
            swiftBlock(m: mb, n: nb, k: kb, packedA, packedB, cb, ldc: ldc, alpha: alpha, beta: sliceBeta)
          } else {
            rc_gemm_block(Int32(level), mb, nb, kb, packedA, packedB, cb, ldc, alpha, sliceBeta)
          }
        }
      }
    }
  }

  /// Packs op(B)[p0..<p0+kb][j0..<j0+nb] as ⌈nb/nr⌉ panels, element (p, c) of a panel at p·nr + c,
  /// columns past nb zero.
  static func packB(
    _ trans: Bool, _ b: UnsafePointer<Float>, _ ldb: Int, _ p0: Int, _ kb: Int, _ j0: Int, _ nb: Int,
    _ nr: Int,
    into dst: UnsafeMutablePointer<Float>
  ) {
    for q in 0..<(nb + nr - 1) / nr {
      let (j, cols, panel) = (j0 + q * nr, min(nr, nb - q * nr), dst + q * kb * nr)
      if cols < nr { panel.update(repeating: 0, count: kb * nr) }
      if trans {  // op(B)[p][j] = b[j·ldb + p]: read each stored row along p
        // 64 steps of p at a time, so the part of the panel being written stays in L1 (whole
        // columns at once made small products, e.g. 16 sampling rows, 1.3× slower).
        for pc in stride(from: 0, to: kb, by: 64) {
          for c in 0..<cols {
            let src = b + (j + c) * ldb + p0
            for p in pc..<min(pc + 64, kb) { panel[p * nr + c] = src[p] }
          }
        }
      } else {
        for p in 0..<kb { (panel + p * nr).update(from: b + (p0 + p) * ldb + j, count: cols) }
      }
    }
  }

  /// Packs op(A)[i0..<i0+mb][p0..<p0+kb] as ⌈mb/mr⌉ panels, element (p, r) of a panel at p·mr + r,
  /// rows past mb zero.
  static func packA(
    _ trans: Bool, _ a: UnsafePointer<Float>, _ lda: Int, _ i0: Int, _ mb: Int, _ p0: Int, _ kb: Int,
    _ mr: Int,
    into dst: UnsafeMutablePointer<Float>
  ) {
    for q in 0..<(mb + mr - 1) / mr {
      let (i, rows, panel) = (i0 + q * mr, min(mr, mb - q * mr), dst + q * kb * mr)
      if rows < mr { panel.update(repeating: 0, count: kb * mr) }
      if trans {  // op(A)[i][p] = a[p·lda + i]: the panel's rows are adjacent in memory
        for p in 0..<kb { (panel + p * mr).update(from: a + (p0 + p) * lda + i, count: rows) }
      } else {
        for r in 0..<rows {
          let src = a + (i + r) * lda + p0
          for p in 0..<kb { panel[p * mr + r] = src[p] }
        }
      }
    }
  }
}
