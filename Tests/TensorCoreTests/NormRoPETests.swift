import TensorCore
import TestSupport
import XCTest

final class NormRoPETests: XCTestCase {
  func testRMSNormKnownValues() {
    // x = [1, 2, 3, 4]: mean(x²) = 7.5, y = x / sqrt(7.5 + 1e-6).
    let y = rmsNorm(Tensor([1, 2, 3, 4], shape: [1, 4]), weight: Tensor.ones([4]), eps: 1e-6).toArray()
    for (a, b) in zip(y, [0.36514835, 0.73029669, 1.09544504, 1.46059339] as [Float]) {
      XCTAssertEqual(a, b, accuracy: 1e-6)
    }
  }

  func testRMSNormGradient() {
    var rng = SeededRNG(seed: 91)
    for _ in 0..<3 {
      let d = Int.random(in: 1...6, using: &rng)
      let x = GradCheck.input([2, Int.random(in: 1...3, using: &rng), d], rng: &rng)
      let w = GradCheck.input([d], rng: &rng)
      let (ok, r) = GradCheck.check([x, w]) { rmsNorm($0[0], weight: $0[1], eps: 1e-5) }
      XCTAssertTrue(ok, "\(r)")
    }
  }

  func testRoPEKnownValues() {
    // D = 4, position 1, base 10⁴: θ₀ = 1, θ₁ = 10⁴^(−1/2) = 0.01 (rotate-half pairs (0,2), (1,3)).
    let x = Tensor([1, 2, 3, 4], shape: [1, 1, 1, 4])
    let y = rope(x, positions: [1], base: 10000).toArray()
    let expected: [Float] = [-1.98411065, 1.95990067, 2.46237790, 4.01979967]
    for (a, b) in zip(y, expected) { XCTAssertEqual(a, b, accuracy: 1e-5) }
    // Position 0 is the identity.
    XCTAssertEqual(rope(x, positions: [0], base: 10000).toArray(), x.toArray())
  }

  func testRoPEGradientAndRelativity() {
    var rng = SeededRNG(seed: 92)
    let x = GradCheck.input([2, 3, 2, 6], rng: &rng)
    let positions = [0, 1, 2, 5, 6, 7]
    XCTAssertTrue(GradCheck.check([x]) { rope($0[0], positions: positions, base: 100) }.ok)
    // The rotary property: q·k depends only on the position difference.
    let q = GradCheck.input([1, 1, 1, 8], rng: &rng)
    let k = GradCheck.input([1, 1, 1, 8], rng: &rng)
    func dot(_ pq: Int, _ pk: Int) -> Double {
      (rope(q, positions: [pq], base: 10000) * rope(k, positions: [pk], base: 10000)).sum().item()
    }
    XCTAssertEqual(dot(3, 1), dot(12, 10), accuracy: 1e-10)
  }
}
