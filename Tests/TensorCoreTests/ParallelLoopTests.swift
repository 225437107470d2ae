import XCTest

@testable import TensorCore

/// Ops split by `ParallelLoop` give the serial loop's bits: each index is computed by the same
/// expression in the same order, only on another thread. Sizes are large enough to be split.
final class ParallelLoopTests: XCTestCase {
  func testRangesCoverEveryIndexOnce() {
    for count in [0, 1, 5, 1 << 14, (1 << 15) + 3, 100_001] {
      var hits = [Int](repeating: 0, count: count)
      hits.withUnsafeMutableBufferPointer { h in
        ParallelLoop.run(count, grain: 1000) { range in for i in range { h[i] += 1 } }
      }
      XCTAssertTrue(hits.allSatisfy { $0 == 1 }, "count \(count)")
    }
  }

  func testSwiGLUAndRMSNormEqualSerialLoopsBitForBit() {
    var rng = SeededRNG(seed: 31)
    let (rows, d) = (300, 256)  // 76,800 values: split over the cores
    let gate = Tensor.randn([rows, d], std: 3, rng: &rng).requiringGrad()
    let up = Tensor.randn([rows, d], rng: &rng).requiringGrad()
    let w = Tensor.randn([d], rng: &rng).requiringGrad()
    let y = rmsNorm(swiglu(gate, up), weight: w, eps: 1e-5)
    let g = Tensor.randn([rows, d], rng: &rng)
    y.backward(seed: g)
    let (pg, pu, pw, gy) = (gate.toArray(), up.toArray(), w.toArray(), g.toArray())
    // Serial references, written out as in the ops.
    let s = (0..<(rows * d)).map { pg[$0] / (1 + Float.exp(-pg[$0])) * pu[$0] }
    var expected = [Float](repeating: 0, count: rows * d)
    var dw = [Float](repeating: 0, count: d)
    for r in 0..<rows {
      var ss = 0.0
      for j in 0..<d { ss += Double(s[r * d + j]) * Double(s[r * d + j]) }
      let rr = Float(1 / (ss / Double(d) + 1e-5).squareRoot())
      for j in 0..<d {
        expected[r * d + j] = s[r * d + j] * rr * pw[j]
        dw[j] += gy[r * d + j] * (s[r * d + j] * rr)
      }
    }
    XCTAssertEqual(y.toArray().map(\.bitPattern), expected.map(\.bitPattern))
    XCTAssertEqual(w.grad!.toArray().map(\.bitPattern), dw.map(\.bitPattern))
  }
}
