import CQuantKernels
import XCTest

@testable import TensorCore

/// The C decode-step attention (`rc_decode_attention_heads`, portable and AVX2 paths) against the
/// Swift `SingleQueryAttention.run` it replaces: the same bits, since a run's tables must not move
/// when the kernel does. Cases cover the 8-key blocks and the per-key tail, head dims that are a
/// multiple of 32, of 8 only, or of neither, an odd head count (a lone last head), grouped-query
/// heads and a range that starts past the first heads.
final class DecodeAttentionTests: XCTestCase {
  func testMatchesSwiftBitForBit() {
    var rng = SeededRNG(seed: 271)
    // (d, cap, s, lo, hi, first, heads, group, kvHeads)
    for (d, cap, s, lo, hi, first, heads, group, kvHeads) in [
      (32, 40, 40, 0, 39, 0, 2, 1, 2), (32, 320, 300, 7, 250, 0, 4, 1, 4), (64, 24, 19, 3, 17, 2, 3, 3, 2),
      (12, 9, 9, 0, 8, 0, 1, 1, 1), (5, 3, 3, 1, 1, 1, 2, 2, 2), (40, 50, 50, 0, 48, 0, 2, 2, 1),
    ] {
      let q = Tensor.randn([heads * d], rng: &rng).toArray()
      let k = Tensor.randn([kvHeads * cap * d], rng: &rng).toArray().map { $0 * 3 }
      let v = Tensor.randn([kvHeads * cap * d], rng: &rng).toArray()
      var (pRef, outRef) = ([Float](repeating: 9, count: heads * s), [Float](repeating: 9, count: heads * d))
      q.withUnsafeBufferPointer { q in
        k.withUnsafeBufferPointer { k in
          v.withUnsafeBufferPointer { v in
            for h in 0..<heads {
              let kv = (first + h) / group * cap * d
              var (p, out) = ([Float](repeating: 0, count: s), [Float](repeating: 0, count: d))
              SingleQueryAttention.run(
                q: q.baseAddress! + h * d, keys: k.baseAddress! + kv, values: v.baseAddress! + kv, dim: d,
                keyCount: s, visible: lo...hi, scale: 0.3, roundProbabilities: false, probabilities: &p,
                out: &out)
              pRef.replaceSubrange((h * s)..<((h + 1) * s), with: p)
              outRef.replaceSubrange((h * d)..<((h + 1) * d), with: out)
            }
          }
        }
      }
      for simd in [Int32(0), 1] {
        var (p, out) = ([Float](repeating: 7, count: heads * s), [Float](repeating: 7, count: heads * d))
        rc_decode_attention_heads(q, k, v, first, heads, group, cap, d, s, lo, hi, 0.3, &p, &out, simd)
        let name = "d=\(d) s=\(s) heads=\(heads) simd=\(simd)"
        XCTAssertEqual(p.map(\.bitPattern), pRef.map(\.bitPattern), "p " + name)
        XCTAssertEqual(out.map(\.bitPattern), outRef.map(\.bitPattern), "out " + name)
      }
    }
  }

  /// No visible key: zeros everywhere, as the Swift path gives.
  func testNoVisibleKeyGivesZeros() {
    let x: [Float] = [1, 2, 3, 4]
    var (p, out) = ([Float](repeating: 7, count: 4), [Float](repeating: 7, count: 2))
    rc_decode_attention_heads(x, x, x, 0, 1, 1, 2, 2, 4, 2, 1, 1, &p, &out, 1)
    XCTAssertEqual(p + out, [Float](repeating: 0, count: 6))
  }
}
