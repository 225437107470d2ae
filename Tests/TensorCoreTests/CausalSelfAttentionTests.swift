import TestSupport
import XCTest

@testable import TensorCore

final class CausalSelfAttentionTests: XCTestCase {
  /// (B, T, H, Hkv, D, keyStart): GQA, head dims that are not multiples of 16 (masked columns),
  /// lengths that are not multiples of 4 (partial row blocks) or above 128, left padding, and a
  /// sequence whose single query sees no key.
  static let cases: [(Int, Int, Int, Int, Int, [Int])] = [
    (2, 7, 4, 2, 20, [0, 3]), (1, 37, 2, 2, 36, [0]), (2, 1, 2, 1, 8, [0, 1]), (1, 133, 1, 1, 16, [5]),
    (3, 16, 3, 3, 32, [0, 15, 2]), (1, 70, 3, 1, 64, [0]),
  ]

  /// Float32 kernels: outputs and q/k/v gradients (for a random upstream gradient) equal the
  /// Float64 reference (`causalAttention` between transposes) to Float rounding.
  func testFloatKernelsMatchFloat64Reference() {
    var rng = SeededRNG(seed: 7)
    for (b, t, h, hkv, d, starts) in Self.cases {
      let q64 = Tensor.randn([b, t, h, d], dtype: .float64, rng: &rng)
      let k64 = Tensor.randn([b, t, hkv, d], dtype: .float64, rng: &rng)
      let v64 = Tensor.randn([b, t, hkv, d], dtype: .float64, rng: &rng)
      let g64 = Tensor.randn([b, t, h, d], dtype: .float64, rng: &rng)
      let (reference, referenceGrads) = run(q64, k64, v64, g64, starts, simd: 2)
      let (q, k, v, g) = (q64.cast(.float32), k64.cast(.float32), v64.cast(.float32), g64.cast(.float32))
      let (out, grads) = run(q, k, v, g, starts, simd: 2)
      let label = "B=\(b) T=\(t) H=\(h) Hkv=\(hkv) D=\(d) starts=\(starts)"
      assertClose(out, reference, tolerance: 2e-6, label + " output")
      for (name, (a, r)) in zip(["dq", "dk", "dv"], zip(grads, referenceGrads)) {
        assertClose(a, r, tolerance: 1e-5, label + " " + name)
      }
    }
  }

  /// The AVX-512 and AVX2 micro-kernels and loops give the portable C's bits exactly (same FMA
  /// chains, same lane sums), so a training run does not depend on the CPU's vector width.
  func testSIMDMatchesPortableBitForBit() throws {
    guard causalSelfAttentionSIMDLevel > 0 else {
      throw XCTSkip("this CPU has no AVX2/FMA: only the portable kernels run")
    }
    var rng = SeededRNG(seed: 8)
    for (b, t, h, hkv, d, starts) in Self.cases {
      let q = Tensor.randn([b, t, h, d], rng: &rng)
      let k = Tensor.randn([b, t, hkv, d], rng: &rng)
      let v = Tensor.randn([b, t, hkv, d], rng: &rng)
      let g = Tensor.randn([b, t, h, d], rng: &rng)
      let (portable, portableGrads) = run(q, k, v, g, starts, simd: 0)
      for level in 1...causalSelfAttentionSIMDLevel {
        let (fast, fastGrads) = run(q, k, v, g, starts, simd: level)
        XCTAssertEqual(bits(fast), bits(portable), "level \(level) output B=\(b) T=\(t) D=\(d)")
        for (a, r) in zip(fastGrads, portableGrads) {
          XCTAssertEqual(bits(a), bits(r), "level \(level) grads B=\(b) T=\(t) D=\(d)")
        }
      }
    }
  }

  /// The Float64 path against central finite differences (GQA and left padding).
  func testFloat64GradientsMatchFiniteDifferences() {
    var rng = SeededRNG(seed: 9)
    let q = GradCheck.input([2, 3, 4, 3], rng: &rng)
    let k = GradCheck.input([2, 3, 2, 3], rng: &rng)
    let v = GradCheck.input([2, 3, 2, 3], rng: &rng)
    let (ok, report) = GradCheck.check([q, k, v]) {
      causalSelfAttention(q: $0[0], k: $0[1], v: $0[2], keyStart: [0, 1])
    }
    XCTAssertTrue(ok, "\(report)")
  }

  /// Hand-checkable: the first query sees only the first key, so its output is v₀; a query whose
  /// keys are all padding outputs zeros and passes no gradient.
  func testFirstQueryCopiesFirstValueAndHiddenQueriesAreZero() {
    var rng = SeededRNG(seed: 10)
    let q = Tensor.randn([1, 3, 1, 4], rng: &rng).requiringGrad()
    let k = Tensor.randn([1, 3, 1, 4], rng: &rng).requiringGrad()
    let v = Tensor([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], shape: [1, 3, 1, 4]).requiringGrad()
    XCTAssertEqual(Array(causalSelfAttention(q: q, k: k, v: v).toArray()[0..<4]), [1, 2, 3, 4])
    let padded = causalSelfAttention(q: q, k: k, v: v, keyStart: [2])
    XCTAssertEqual(Array(padded.toArray()[0..<8]), [Float](repeating: 0, count: 8))
    XCTAssertEqual(Array(padded.toArray()[8..<12]), [9, 10, 11, 12])
    padded.sum().backward()
    XCTAssertEqual(q.grad?.toArray(), [Float](repeating: 0, count: 12))  // one visible key: softmax ≡ 1
    XCTAssertEqual(Array(v.grad!.toArray()[0..<8]), [Float](repeating: 0, count: 8))
    XCTAssertEqual(Array(v.grad!.toArray()[8..<12]), [1, 1, 1, 1])
  }

  func run(_ q: Tensor, _ k: Tensor, _ v: Tensor, _ g: Tensor, _ starts: [Int], simd: Int) -> (
    Tensor, [Tensor]
  ) {
    let (q, k, v) = (q.detach().requiringGrad(), k.detach().requiringGrad(), v.detach().requiringGrad())
    let out = causalSelfAttention(q: q, k: k, v: v, keyStart: starts, scale: nil, simd: simd)
    out.backward(seed: g)
    return (out, [q.grad!, k.grad!, v.grad!])
  }

  func bits(_ t: Tensor) -> [UInt32] { t.toArray().map(\.bitPattern) }

  func assertClose(_ a: Tensor, _ reference: Tensor, tolerance: Double, _ label: String) {
    let (x, r) = (a.toDoubleArray(), reference.toDoubleArray())
    XCTAssertEqual(x.count, r.count, label)
    let worst = zip(x, r).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
    XCTAssertLessThanOrEqual(worst, tolerance, label)
  }
}
