import TensorCore
import TestSupport
import XCTest

final class AttentionTests: XCTestCase {
  /// The same attention composed from unfused ops (matmul, additive mask, softmax), with the KV
  /// heads repeated for GQA: an independent reference for the fused kernel.
  func composed(_ q: Tensor, _ k: Tensor, _ v: Tensor, offset: Int, starts: [Int]) -> Tensor {
    let (b, h, t, d) = (q.shape[0], q.shape[1], q.shape[2], q.shape[3])
    let (hkv, s) = (k.shape[1], k.shape[2])
    let rep = { (x: Tensor) -> Tensor in
      Tensor.concat((0..<h).map { x.slice(axis: 1, ($0 / (h / hkv))..<($0 / (h / hkv) + 1)) }, axis: 1)
    }
    var mask = [Double](repeating: 0, count: b * t * s)
    for bi in 0..<b {
      for i in 0..<t {
        for j in 0..<s where j < starts[bi] || j > offset + i { mask[(bi * t + i) * s + j] = -1e30 }
      }
    }
    let m = Tensor(float64: mask, shape: [b, 1, t, s])
    let scores = q.matmul(rep(k), transposeB: true).scaled(1 / Double(d).squareRoot()) + m
    return scores.softmax().matmul(rep(v))
  }

  func testMatchesComposedReferenceAndFiniteDifferences() {
    var rng = SeededRNG(seed: 101)
    for (h, hkv, t, s, starts) in [(2, 2, 3, 3, [0, 0]), (4, 2, 2, 5, [0, 1]), (3, 1, 3, 4, [1, 0])] {
      let d = 4
      let q = GradCheck.input([2, h, t, d], rng: &rng)
      let k = GradCheck.input([2, hkv, s, d], rng: &rng)
      let v = GradCheck.input([2, hkv, s, d], rng: &rng)
      let fused = causalAttention(q: q, k: k, v: v, keyStart: starts).toDoubleArray()
      let reference = composed(q, k, v, offset: s - t, starts: starts).toDoubleArray()
      for (a, b) in zip(fused, reference) { XCTAssertEqual(a, b, accuracy: 1e-10) }
      let (ok, r) = GradCheck.check([q, k, v]) {
        causalAttention(q: $0[0], k: $0[1], v: $0[2], keyStart: starts)
      }
      XCTAssertTrue(ok, "h=\(h) hkv=\(hkv) t=\(t) s=\(s): \(r)")
    }
  }

  func testFirstQueryAttendsOnlyToFirstKey() {
    var rng = SeededRNG(seed: 102)
    let q = Tensor.randn([1, 1, 3, 2], rng: &rng)
    let k = Tensor.randn([1, 1, 3, 2], rng: &rng)
    let v = Tensor([1, 2, 3, 4, 5, 6], shape: [1, 1, 3, 2])
    let out = causalAttention(q: q, k: k, v: v).toArray()
    XCTAssertEqual(out[0], 1, accuracy: 1e-6)
    XCTAssertEqual(out[1], 2, accuracy: 1e-6)
  }
}

extension AttentionTests {
  func testQueryWithNoVisibleKeyOutputsZeros() {
    var rng = SeededRNG(seed: 103)
    let q = Tensor.randn([1, 1, 2, 2], rng: &rng)
    let k = Tensor.randn([1, 1, 2, 2], rng: &rng)
    let v = Tensor.randn([1, 1, 2, 2], rng: &rng)
    // keyStart 1 hides key 0, the only key query 0 may see.
    let out = causalAttention(q: q, k: k, v: v, keyStart: [1]).toArray()
    XCTAssertEqual(Array(out[0..<2]), [0, 0])
    XCTAssertEqual(Array(out[2..<4]), Array(v.toArray()[2..<4]))
  }
}
