import XCTest

@testable import TensorCore

/// The BLAS kernels OpenBLAS chose on this CPU (see `BLAS`) must agree with a plain loop, for
/// every transpose combination and awkward sizes (edges of its blocking), in both precisions.
final class BLASTests: XCTestCase {
  func testGemmMatchesPlainLoops() {
    var rng = SeededRNG(seed: 3)
    for (m, k, n) in [(1, 1, 1), (3, 5, 7), (17, 33, 65), (64, 64, 64), (1, 300, 513), (129, 70, 31)] {
      for ta in [false, true] {
        for tb in [false, true] {
          let a = Tensor.randn(ta ? [k, m] : [m, k], rng: &rng)
          let b = Tensor.randn(tb ? [n, k] : [k, n], rng: &rng)
          let c = a.matmul(b, transposeA: ta, transposeB: tb).toArray()
          let (pa, pb) = (a.toArray(), b.toArray())
          var maxErr: Float = 0
          for i in 0..<m {
            for j in 0..<n {
              var s: Double = 0
              for p in 0..<k {
                s += Double(ta ? pa[p * m + i] : pa[i * k + p]) * Double(tb ? pb[j * k + p] : pb[p * n + j])
              }
              maxErr = max(maxErr, abs(Float(s) - c[i * n + j]))
            }
          }
          XCTAssertLessThan(maxErr, 1e-3, "\(m)×\(k)×\(n) ta=\(ta) tb=\(tb) on \(BLAS.backend)")
        }
      }
    }
  }

  func testFallbackKernelMatchesBLAS() {
    var rng = SeededRNG(seed: 4)
    let (m, k, n) = (13, 9, 11)
    let a = Tensor.randn([k, m], dtype: .float64, rng: &rng)
    let b = Tensor.randn([n, k], dtype: .float64, rng: &rng)
    let c = Tensor(zeros: [m, n], dtype: .float64)
    fallbackGemm(
      transA: true, transB: true, m: m, n: n, k: k, alpha: 1, a: a.pointer(Double.self), lda: m,
      b: b.pointer(Double.self), ldb: k, beta: 0, c: c.pointer(Double.self), ldc: n)
    let ref = a.matmul(b, transposeA: true, transposeB: true).toDoubleArray()
    for (x, y) in zip(c.toDoubleArray(), ref) { XCTAssertEqual(x, y, accuracy: 1e-12) }
  }

  /// `usePortableKernels` bypasses OpenBLAS: the backend and the report say so, and a product is
  /// bit for bit the portable kernel's (called directly) and matches a plain loop.
  func testPortableKernelsCanBeForced() {
    BLAS.usePortableKernels()
    defer { BLAS.usePortableKernels(false) }
    XCTAssertTrue(BLAS.backend.hasPrefix("Swift fallback kernel"), BLAS.backend)
    XCTAssertFalse(KernelReport.hasOpenBLAS)
    XCTAssertTrue(KernelReport.portableWarning?.contains("portable kernels requested") ?? false)
    XCTAssertTrue(KernelReport.lines[0].contains("Swift fallback kernel"), KernelReport.lines[0])
    var rng = SeededRNG(seed: 6)
    let (m, k, n) = (37, 129, 45)
    let a = Tensor.randn([m, k], rng: &rng)
    let b = Tensor.randn([n, k], rng: &rng)
    let product = a.matmul(b, transposeB: true).toArray()
    let direct = Tensor(zeros: [m, n])
    PortableGemm.sgemm(
      transA: false, transB: true, m: m, n: n, k: k, alpha: 1, a: a.pointer(Float.self), lda: k,
      b: b.pointer(Float.self), ldb: k, beta: 0, c: direct.pointer(Float.self), ldc: n)
    XCTAssertEqual(product, direct.toArray())
    let (pa, pb) = (a.toArray(), b.toArray())
    for i in 0..<m {
      for j in 0..<n {
        var s: Double = 0
        for p in 0..<k { s += Double(pa[i * k + p]) * Double(pb[j * k + p]) }
        XCTAssertEqual(product[i * n + j], Float(s), accuracy: 1e-3)
      }
    }
    BLAS.usePortableKernels(false)
    XCTAssertEqual(KernelReport.hasOpenBLAS, BLAS.library != nil)
  }

  /// Products large enough to be split over threads (`BLAS.split`): bands of rows (M ≥ N) or of
  /// columns, uneven band sizes, every transpose, alpha and beta, both precisions — against a
  /// plain loop. Three parts even on a 2-core machine, so the bands are uneven.
  func testSplitProductsMatchPlainLoops() {
    let saved = BLAS.threads
    BLAS.threads = 3
    defer { BLAS.threads = saved }
    var rng = SeededRNG(seed: 5)
    for (m, k, n) in [(301, 70, 90), (40, 100, 301)] {
      XCTAssertGreaterThanOrEqual(m * n * k / BLAS.minimumWorkPerPart, 2, "\(m)×\(k)×\(n) must split")
      for dtype in [DType.float32, .float64] {
        for (ta, tb) in [(false, false), (false, true), (true, false), (true, true)] {
          let a = Tensor.randn(ta ? [k, m] : [m, k], dtype: dtype, rng: &rng)
          let b = Tensor.randn(tb ? [n, k] : [k, n], dtype: dtype, rng: &rng)
          let c0 = Tensor.randn([m, n], dtype: dtype, rng: &rng)
          let (pa, pb, pc) = (a.toDoubleArray(), b.toDoubleArray(), c0.toDoubleArray())
          let c = Tensor(float64: pc, shape: [m, n]).cast(dtype)
          func run<S: TensorScalar>(_: S.Type) {
            S.gemm(
              transA: ta, transB: tb, m: m, n: n, k: k, alpha: 0.5, a: a.pointer(S.self), lda: ta ? m : k,
              b: b.pointer(S.self), ldb: tb ? k : n, beta: 2, c: c.pointer(S.self), ldc: n)
          }
          dtype == .float32 ? run(Float.self) : run(Double.self)
          let out = c.toDoubleArray()
          var maxErr = 0.0
          for i in 0..<m {
            for j in 0..<n {
              var s = 0.0
              for p in 0..<k {
                s += (ta ? pa[p * m + i] : pa[i * k + p]) * (tb ? pb[j * k + p] : pb[p * n + j])
              }
              maxErr = max(maxErr, abs(0.5 * s + 2 * pc[i * n + j] - out[i * n + j]))
            }
          }
          XCTAssertLessThan(
            maxErr, dtype == .float32 ? 1e-3 : 1e-10, "\(m)×\(k)×\(n) ta=\(ta) tb=\(tb) \(dtype)")
        }
      }
    }
  }
}
