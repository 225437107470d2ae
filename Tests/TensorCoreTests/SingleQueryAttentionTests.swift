import TensorCore
import XCTest

/// The T = 1 decode path of `causalAttention` (`SingleQueryAttention`) against the GEMM path it
/// replaces: the last query row of a T = 2 call sees exactly the keys a T = 1 call at the next
/// position sees, so the two must agree up to Float32 summation order (64-term dot products and a
/// ≤ 40-term P·V sum of values |v| < 4: 1e-5 absolute is ≈ 50 ulps of the largest terms).
final class SingleQueryAttentionTests: XCTestCase {
  func testSingleQueryMatchesGEMMPath() {
    var rng = SeededRNG(seed: 211)
    for (h, hkv, s, capacity, starts, half) in [
      (9, 3, 37, 40, [0], false), (4, 2, 5, 5, [0, 2], true), (2, 1, 3, 8, [3, 0], false),
    ] {
      let (b, d) = (starts.count, 64)
      let q2 = Tensor.randn([b, h, 2, d], rng: &rng)
      let k = Tensor.randn([b, hkv, capacity, d], rng: &rng)
      let v = Tensor.randn([b, hkv, capacity, d], rng: &rng)
      let full = causalAttention(
        q: q2, k: k, v: v, queryOffset: s - 2, keyStart: starts, keyLength: s,
        halfPrecisionProbabilities: half
      ).toArray()
      let single = causalAttention(
        q: q2.slice(axis: 2, 1..<2), k: k, v: v, queryOffset: s - 1, keyStart: starts, keyLength: s,
        halfPrecisionProbabilities: half
      ).toArray()
      for bi in 0..<b {
        for hi in 0..<h {
          for i in 0..<d {
            let expected = full[((bi * h + hi) * 2 + 1) * d + i]
            XCTAssertEqual(
              single[(bi * h + hi) * d + i], expected, accuracy: 1e-5, "s=\(s) [\(bi), \(hi), \(i)]")
          }
        }
      }
    }
  }

  /// Keys hidden by `keyStart` beyond the query's position leave no visible key: zeros, as in the
  /// GEMM path.
  func testNoVisibleKeyGivesZeros() {
    var rng = SeededRNG(seed: 212)
    let q = Tensor.randn([1, 1, 1, 8], rng: &rng)
    let k = Tensor.randn([1, 1, 4, 8], rng: &rng)
    let out = causalAttention(q: q, k: k, v: k, queryOffset: 1, keyStart: [3], keyLength: 4).toArray()
    XCTAssertEqual(out, [Float](repeating: 0, count: 8))
  }
}
