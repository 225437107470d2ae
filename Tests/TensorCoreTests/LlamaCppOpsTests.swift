import Foundation
import TensorCore
import XCTest

/// `LlamaCppOps` against independent references: hand-computed values and the same mathematics
/// in Double. Their bit-level agreement with llama.cpp itself is checked end to end by
/// ModelsTests/SmolLM2ParityTests (bit-identical logits over 30 layers of SmolLM2-135M).
final class LlamaCppOpsTests: XCTestCase {
  override func setUpWithError() throws {
    guard LlamaCppOps.available else { throw XCTSkip("this CPU lacks AVX2/FMA/F16C: the ops fall back") }
  }

  /// x = (3, 4), w = (1, 2), eps = 0: mean(x²) = 12.5, so y = (3, 8) / √12.5 — with ggml's Float
  /// steps: scale = 1 / sqrtf(12.5) rounded once, then x·scale and ·w each rounded.
  func testRMSNormHandExample() {
    let y = LlamaCppOps.rmsNorm(Tensor([3, 4], shape: [1, 2]), weight: Tensor([1, 2], shape: [2]), eps: 0)
    let scale = 1 / Float(12.5).squareRoot()
    XCTAssertEqual(y.toArray(), [3 * scale * 1, (4 * scale) * 2])
    XCTAssertEqual(Double(y.toArray()[1]), 8 / 12.5.squareRoot(), accuracy: 1e-6)
  }

  func testRMSNormMatchesReference() {
    var rng = SeededRNG(seed: 5)
    let x = Tensor.randn([3, 7, 576], std: 3, rng: &rng)
    let w = Tensor.randn([576], rng: &rng)
    let mine = LlamaCppOps.rmsNorm(x, weight: w, eps: 1e-5).toArray()
    let reference = rmsNorm(x, weight: w, eps: 1e-5).toArray()
    for (a, b) in zip(mine, reference) { XCTAssertEqual(a, b, accuracy: 4e-7 * max(1, abs(b))) }
  }

  /// ggml's vectorised exp is within 1.5 ulp of exp (its documented bound): silu(x)·1 against
  /// Double, across the range where it matters and at the flush-to-zero / overflow ends.
  func testSwiGLUMatchesDoubleSiLU() {
    var rng = SeededRNG(seed: 3)
    let xs = stride(from: -30.0, through: 30.0, by: 0.0137).map { Float($0) } + [-120, -88, 88, 120, 0]
    let gate = Tensor(xs, shape: [xs.count])
    let out = LlamaCppOps.swiglu(gate, Tensor.ones([xs.count])).toArray()
    for (x, y) in zip(xs, out) {
      let reference = Double(x) / (1 + exp(-Double(x)))
      XCTAssertEqual(Double(y), reference, accuracy: 4e-7 * max(abs(reference), 1e-30), "silu(\(x))")
    }
    XCTAssertEqual(out[xs.count - 1], 0)  // silu(0) = 0 exactly
    // Rows of 13: 8 values through ggml's exp, the last 5 of each row through libm's.
    let g = Tensor.randn([3, 13], std: 4, rng: &rng)
    let u = Tensor.randn([3, 13], rng: &rng)
    let rows = LlamaCppOps.swiglu(g, u).toArray()
    for (i, (x, w)) in zip(g.toArray(), u.toArray()).enumerated() {
      let reference = Double(x) / (1 + exp(-Double(x))) * Double(w)
      XCTAssertEqual(Double(rows[i]), reference, accuracy: 1e-6 * max(abs(reference), 1e-3), "row value \(i)")
    }
  }

  /// Position 0 leaves x unchanged bit for bit (cos 0 = 1, sin 0 = 0); other positions match the
  /// Double-angle reference to the Float error of ggml's θ recurrence (≤ 32 roundings of θ ≤ 40).
  func testRoPEMatchesReference() {
    var rng = SeededRNG(seed: 9)
    let x = Tensor.randn([2, 3, 4, 64], rng: &rng)
    let positions = [0, 1, 2, 17, 29, 40]
    let mine = LlamaCppOps.rope(x, positions: positions, base: 100_000).toArray()
    let reference = rope(x, positions: positions, base: 100_000).toArray()
    let xs = x.toArray()
    for i in 0..<(4 * 64) { XCTAssertEqual(mine[i].bitPattern, xs[i].bitPattern, "position 0, value \(i)") }
    for (a, b) in zip(mine, reference) { XCTAssertEqual(a, b, accuracy: 2e-4) }
  }

  /// Attention over F16-valued keys/values against a Double reference of the same semantics (Q
  /// rounded to F16, softmax over the visible keys, P rounded to F16): prompt (T = 3, tinyBLAS
  /// order) and decode (T = 1, vec_dot order) rows, left padding, grouped heads, and a row with no
  /// visible key (zeros).
  /// Head dims 64 (SmolLM2), 80 (a multiple of 8, not of 32: vec_dot_f16's one-by-one tail) and
  /// 36 (not a multiple of 8: ggml then uses vec_dot_f16 for prompts too).
  func testAttentionMatchesDoubleReference() {
    var rng = SeededRNG(seed: 13)
    for d in [64, 80, 36] { checkAttention(d: d, rng: &rng) }
  }

  func checkAttention(d: Int, rng: inout SeededRNG) {
    let (b, h, hkv, cap) = (2, 4, 2, 40)
    let k = Tensor.randn([b, hkv, cap, d], rng: &rng).roundedToHalf()
    let v = Tensor.randn([b, hkv, cap, d], rng: &rng).roundedToHalf()
    let scale = 1 / Double(d).squareRoot()
    for (t, keys, starts) in [(3, 37, [0, 5]), (1, 37, [2, 0]), (2, 9, [9, 0])] {
      let q = Tensor.randn([b, h, t, d], std: 0.5, rng: &rng)
      let offset = keys - t
      let out = LlamaCppOps.attention(
        q: q, k: k, v: v, queryOffset: offset, keyStart: starts, keyLength: keys)
      let (qs, ks, vs, os) = (q.toArray(), k.toArray(), v.toArray(), out.toArray())
      for bi in 0..<b {
        for hi in 0..<h {
          let kvBase = (bi * hkv + hi / (h / hkv)) * cap * d
          for i in 0..<t {
            let row = ((bi * h + hi) * t + i) * d
            let last = min(offset + i, keys - 1)
            let visible = last >= starts[bi] ? Array(starts[bi]...last) : []
            var expected = [Double](repeating: 0, count: d)
            if !visible.isEmpty {
              let q16 = (0..<d).map { Double(Half.round(qs[row + $0])) }
              let logits = visible.map { j in
                (0..<d).reduce(0.0) { $0 + q16[$1] * Double(ks[kvBase + j * d + $1]) } * scale
              }
              let m = logits.max()!
              let e = logits.map { exp($0 - m) }
              let total = e.reduce(0, +)
              for (n, j) in visible.enumerated() {
                let p = Double(Half.round(Float(e[n] / total)))
                for c in 0..<d { expected[c] += p * Double(vs[kvBase + j * d + c]) }
              }
            }
            for c in 0..<d {
              XCTAssertEqual(
                Double(os[row + c]), expected[c], accuracy: 2e-3, "d=\(d) t=\(t) [\(bi), \(hi), \(i), \(c)]")
            }
          }
        }
      }
    }
  }
}
