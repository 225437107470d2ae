import XCTest

@testable import TensorCore

/// The portable Float32 product (`PortableGemm`) against a plain Float64 loop: every tile kernel
/// this CPU runs (the Swift one always), all four transposes, sizes at and around the tile,
/// block and slice edges, padded leading dimensions, alpha ≠ 1 and beta ∈ {0, 1, 0.5}.
final class PortableGemmTests: XCTestCase {
  /// One product on random operands with padded strides; returns the worst error over C, divided
  /// by √k (Float32 rounding of a k-term sum grows about as √k), and checks C's padding columns
  /// are untouched. beta = 0 starts from NaN in C, which must not leak into the result.
  func worstError(
    m: Int, n: Int, k: Int, transA: Bool, transB: Bool, alpha: Float, beta: Float, level: Int,
    rng: inout SeededRNG
  ) -> Double {
    let (lda, ldb, ldc) = ((transA ? m : k) + 3, (transB ? k : n) + 5, n + 2)
    let a = (0..<(transA ? k : m) * lda).map { _ in Float.random(in: -1...1, using: &rng) }
    let b = (0..<(transB ? n : k) * ldb).map { _ in Float.random(in: -1...1, using: &rng) }
    var c = (0..<m * ldc).map { _ in beta == 0 ? Float.nan : Float.random(in: -1...1, using: &rng) }
    let before = c
    PortableGemm.sgemm(
      transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
      beta: beta, c: &c, ldc: ldc, level: level)
    var worst = 0.0
    for i in 0..<m {
      for j in 0..<n {
        var s = 0.0
        for p in 0..<k {
          s +=
            Double(transA ? a[p * lda + i] : a[i * lda + p])
            * Double(transB ? b[j * ldb + p] : b[p * ldb + j])
        }
        let expected = Double(alpha) * s + (beta == 0 ? 0 : Double(beta) * Double(before[i * ldc + j]))
        let err = abs(Double(c[i * ldc + j]) - expected)
        worst = max(worst, err.isNaN ? .infinity : err / Double(max(k, 1)).squareRoot())
      }
      for j in n..<ldc where !(c[i * ldc + j].isNaN && before[i * ldc + j].isNaN) {
        XCTAssertEqual(c[i * ldc + j], before[i * ldc + j], "padding column \(j) of row \(i) was written")
      }
    }
    return worst
  }

  var levels: [Int] { Array(0...PortableGemm.hardwareLevel) }

  func testEdgeSizesEveryTransposeAndBeta() {
    var rng = SeededRNG(seed: 11)
    let edges = [1, 3, 15, 16, 17, 63, 129]
    for level in levels {
      for trial in 0..<24 {
        let (m, n, k) = (edges[trial % 7], edges[(trial * 3 + level) % 7], edges[(trial * 5 + 2) % 7])
        for (ta, tb) in [(false, false), (false, true), (true, false), (true, true)] {
          for beta: Float in [0, 1, 0.5] {
            let err = worstError(
              m: m, n: n, k: k, transA: ta, transB: tb, alpha: 0.75, beta: beta, level: level, rng: &rng)
            XCTAssertLessThan(err, 1e-6, "level \(level) \(m)×\(k)×\(n) ta=\(ta) tb=\(tb) beta=\(beta)")
          }
        }
      }
    }
  }

  /// Past one packed block: k beyond the slice depth (later slices add with beta = 1), m beyond
  /// the row block, n beyond the column block, and the unpacked few-row path.
  func testBlockAndSliceBoundaries() {
    var rng = SeededRNG(seed: 12)
    let shapes = [
      (m: 5, n: 33, k: PortableGemm.kc * 2 + 1), (m: PortableGemm.mc + 7, n: 20, k: 9),
      (m: 2, n: PortableGemm.nc + 40, k: 3), (m: 9, n: PortableGemm.nc + 17, k: 4), (m: 1, n: 1, k: 700),
      (m: 3, n: 50, k: 70),
    ]
    for level in levels {
      for s in shapes {
        for (ta, tb) in [(false, false), (false, true), (true, false), (true, true)] {
          for beta: Float in [0, 0.5] {
            let err = worstError(
              m: s.m, n: s.n, k: s.k, transA: ta, transB: tb, alpha: -1.5, beta: beta, level: level, rng: &rng
            )
            XCTAssertLessThan(err, 1e-6, "level \(level) \(s) ta=\(ta) tb=\(tb) beta=\(beta)")
          }
        }
      }
    }
  }

  /// k = 0 and alpha = 0 leave beta·C (zeros for beta = 0, NaN ignored).
  func testEmptySumScalesC() {
    for (k, alpha) in [(0, Float(1)), (5, 0)] {
      for beta: Float in [0, 0.5] {
        var c: [Float] = [.nan, 2, 4, -6]
        if beta != 0 { c[0] = 8 }
        let a = [Float](repeating: 1, count: 10)
        PortableGemm.sgemm(
          transA: false, transB: false, m: 2, n: 2, k: k, alpha: alpha, a: a, lda: max(k, 1), b: a, ldb: 2,
          beta: beta, c: &c, ldc: 2)
        XCTAssertEqual(c, beta == 0 ? [0, 0, 0, 0] : [4, 1, 2, -3])
      }
    }
  }

  /// Through `Float.gemm` with portable kernels forced: products split into uneven bands of rows
  /// and of columns (`BLAS.split`) match the plain loop.
  func testSplitBandsOnPortableKernel() {
    BLAS.usePortableKernels()
    let saved = BLAS.threads
    BLAS.threads = 3
    defer {
      BLAS.usePortableKernels(false)
      BLAS.threads = saved
    }
    var rng = SeededRNG(seed: 13)
    for (m, k, n) in [(301, 70, 90), (40, 100, 301)] {
      XCTAssertGreaterThanOrEqual(m * n * k / BLAS.minimumWorkPerPart, 2, "\(m)×\(k)×\(n) must split")
      for (ta, tb) in [(false, false), (false, true), (true, false), (true, true)] {
        let a = Tensor.randn(ta ? [k, m] : [m, k], rng: &rng)
        let b = Tensor.randn(tb ? [n, k] : [k, n], rng: &rng)
        let c = a.matmul(b, transposeA: ta, transposeB: tb).toArray()
        let (pa, pb) = (a.toArray(), b.toArray())
        var worst = 0.0
        for i in 0..<m {
          for j in 0..<n {
            var s = 0.0
            for p in 0..<k {
              s += Double(ta ? pa[p * m + i] : pa[i * k + p]) * Double(tb ? pb[j * k + p] : pb[p * n + j])
            }
            worst = max(worst, abs(s - Double(c[i * n + j])))
          }
        }
        XCTAssertLessThan(worst, 1e-4, "\(m)×\(k)×\(n) ta=\(ta) tb=\(tb)")
      }
    }
  }
}
