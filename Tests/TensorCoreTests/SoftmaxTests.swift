import TensorCore
import TestSupport
import XCTest

final class SoftmaxTests: XCTestCase {
  func testKnownValues() {
    // softmax([1, 2, 3]) = e^x / Σ e^x (hand-computed).
    let y = Tensor([1, 2, 3], shape: [1, 3]).softmax().toArray()
    for (a, b) in zip(y, [0.09003057, 0.24472847, 0.66524096] as [Float]) {
      XCTAssertEqual(a, b, accuracy: 1e-6)
    }
    // Stability: huge logits neither overflow nor give NaN.
    let z = Tensor([1000, 1001, 1002], shape: [3]).softmax().toArray()
    for (a, b) in zip(z, y) { XCTAssertEqual(a, b, accuracy: 1e-6) }
    let l = Tensor([1, 2, 3], shape: [3]).logSoftmax().toArray()
    XCTAssertEqual(l[0], -2.40760596, accuracy: 1e-6)
  }

  func testGradients() {
    var rng = SeededRNG(seed: 71)
    for _ in 0..<3 {
      let x = GradCheck.input(GradCheck.shape(rank: 3, 1...5, rng: &rng), rng: &rng)
      XCTAssertTrue(GradCheck.check([x]) { $0[0].softmax() }.ok)
      XCTAssertTrue(GradCheck.check([x]) { $0[0].logSoftmax() }.ok)
    }
  }
}
