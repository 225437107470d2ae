import TensorCore
import TestSupport
import XCTest

final class MatmulTests: XCTestCase {
  func testGradientsAllTransposesAndBatching() {
    var rng = SeededRNG(seed: 41)
    for _ in 0..<3 {
      let (m, k, n, b) = (
        Int.random(in: 1...5, using: &rng), Int.random(in: 1...5, using: &rng),
        Int.random(in: 1...5, using: &rng), Int.random(in: 1...3, using: &rng)
      )
      for ta in [false, true] {
        for tb in [false, true] {
          let a = GradCheck.input(ta ? [b, k, m] : [b, m, k], rng: &rng)
          let bb = GradCheck.input(tb ? [b, n, k] : [b, k, n], rng: &rng)
          let (ok, r) = GradCheck.check([a, bb]) { $0[0].matmul($0[1], transposeA: ta, transposeB: tb) }
          XCTAssertTrue(ok, "batched ta=\(ta) tb=\(tb): \(r)")
          let a2 = GradCheck.input(ta ? [k, m] : [m, k], rng: &rng)
          let b2 = GradCheck.input(tb ? [n, k] : [k, n], rng: &rng)
          let (ok2, r2) = GradCheck.check([a2, b2]) { $0[0].matmul($0[1], transposeA: ta, transposeB: tb) }
          XCTAssertTrue(ok2, "2-D ta=\(ta) tb=\(tb): \(r2)")
        }
        // Shared rank-2 right operand under a (B, T, K) left operand (a linear layer).
        let x = GradCheck.input([b, m, k], rng: &rng)
        let w = GradCheck.input([n, k], rng: &rng)
        XCTAssertTrue(GradCheck.check([x, w]) { $0[0].matmul($0[1], transposeB: true) }.ok)
      }
    }
  }

  func testHandComputedProduct() {
    let a = Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
    let b = Tensor([7, 8, 9, 10, 11, 12], shape: [3, 2])
    XCTAssertEqual(a.matmul(b).toArray(), [58, 64, 139, 154])
    XCTAssertEqual(a.matmul(a, transposeB: true).toArray(), [14, 32, 32, 77])
    XCTAssertEqual(a.matmul(a, transposeA: true).shape, [3, 3])
  }

  func testShapeErrorNamesBothShapes() {
    guard case .failure(let e) = Shape.matmul([2, 3], [4, 5], transposeA: false, transposeB: false) else {
      return XCTFail("expected failure")
    }
    XCTAssertTrue(e.description.contains("[2, 3]") && e.description.contains("[4, 5]"), e.description)
  }
}
