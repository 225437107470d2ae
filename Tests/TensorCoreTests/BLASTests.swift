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
}
