import TensorCore
import TestSupport
import XCTest

final class UnaryTests: XCTestCase {
  func testGradients() {
    var rng = SeededRNG(seed: 21)
    let ops: [(String, (Tensor) -> Tensor, Bool)] = [
      ("exp", { $0.exp() }, false), ("log", { $0.log() }, true), ("sqrt", { $0.sqrt() }, true),
      ("square", { $0.square() }, false), ("sigmoid", { $0.sigmoid() }, false),
      ("silu", { $0.silu() }, false),
      ("relu", { $0.relu() }, false), ("tanh", { $0.tanh() }, false), ("abs", { $0.abs() }, false),
      ("affine", { $0.affine(scale: -1.5, shift: 0.25) }, false),
      ("clamp", { $0.clamped(min: -0.5, max: 0.7) }, false),
      ("cast", { $0.cast(.float32).cast(.float64) }, false),
    ]
    for (name, op, positive) in ops {
      for _ in 0..<3 {
        let shape = GradCheck.shape(rank: 2, 1...5, rng: &rng)
        // Keep inputs away from kinks (relu, abs, clamp) so central differences are valid.
        var x = GradCheck.input(shape, rng: &rng).map { v in
          let away = v.magnitude < 0.05 ? v + 0.1 : v
          return [-0.5, 0.7].contains(where: { Swift.abs(away - $0) < 0.05 }) ? away + 0.1 : away
        }
        if positive { x = x.map { Swift.abs($0) + 0.2 } }
        // cast round-trips through Float32: loosen the tolerance to its precision.
        let tol = name == "cast" ? 1e-3 : 1e-5
        let (ok, report) = GradCheck.check([x], eps: name == "cast" ? 1e-3 : 1e-6, rtol: tol) { op($0[0]) }
        XCTAssertTrue(ok, "\(name) \(shape): \(report)")
      }
    }
  }

  func testSwiGLUMatchesComposition() {
    var rng = SeededRNG(seed: 22)
    let g = GradCheck.input([3, 5], rng: &rng)
    let u = GradCheck.input([3, 5], rng: &rng)
    let (ok, report) = GradCheck.check([g, u]) { swiglu($0[0], $0[1]) }
    XCTAssertTrue(ok, "swiglu: \(report)")
    let fused = swiglu(g, u).toDoubleArray()
    let composed = (g.silu() * u).toDoubleArray()
    for (a, b) in zip(fused, composed) { XCTAssertEqual(a, b, accuracy: 1e-12) }
  }

  func testKnownValues() {
    let x = Tensor([0, 1, -2], shape: [3])
    let s = x.silu().toArray()
    XCTAssertEqual(s[0], 0, accuracy: 1e-7)
    XCTAssertEqual(s[1], 0.7310586, accuracy: 1e-6)  // 1·σ(1)
    XCTAssertEqual(s[2], -0.2384058, accuracy: 1e-6)  // −2·σ(−2)
  }
}
