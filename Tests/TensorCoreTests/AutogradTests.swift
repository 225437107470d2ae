import TestSupport
import XCTest

@testable import TensorCore

final class AutogradTests: XCTestCase {
  func testGradientsAccumulateAcrossBackwardCalls() {
    let w = Tensor([1, 2, 3], shape: [3]).requiringGrad()
    (w * w).sum().backward()
    XCTAssertEqual(w.grad?.toArray(), [2, 4, 6])
    (w * 3).sum().backward()
    XCTAssertEqual(w.grad?.toArray(), [5, 7, 9])
    w.zeroGrad()
    XCTAssertNil(w.grad)
  }

  func testReusedTensorSumsBothPaths() {
    // y = x·x + x  ⇒ dy/dx = 2x + 1
    let x = Tensor(float64: [0.5, -1], shape: [2]).requiringGrad()
    (x * x + x).sum().backward()
    XCTAssertEqual(x.grad?.toDoubleArray(), [2, -1])
  }

  func testNoGradRecordsNothingAndDetachCuts() {
    let w = Tensor([1, 2], shape: [2]).requiringGrad()
    let y = withNoGrad { w * 2 }
    XCTAssertFalse(y.requiresGrad)
    let z = (w.detach() * w).sum()
    z.backward()
    XCTAssertEqual(w.grad?.toArray(), [1, 2], "only the non-detached factor contributes")
  }

  func testDeepChainDoesNotOverflow() {
    let x = Tensor([1], shape: [1]).requiringGrad()
    var y = x
    for _ in 0..<20000 { y = y * 1.0 }
    y.sum().backward()
    XCTAssertEqual(x.grad?.toArray(), [1])
  }

  /// An activation is freed once the backward has passed it: when the first op's backward runs, the
  /// later op's output (kept alive only by the tape) is gone.
  func testActivationsAreReleasedDuringBackward() {
    let x = Tensor([1, 2], shape: [2]).requiringGrad()
    weak var later: Tensor?
    var seenFromFirstBackward: Bool?
    let first = Tensor.record(Tensor([2, 4], shape: [2]), "double", [x]) { g in
      seenFromFirstBackward = later != nil
      return [g * 2]
    }
    var loss: Tensor
    do {
      let y = first.exp()  // exp's backward keeps its output y
      later = y
      loss = y.sum()
    }
    XCTAssertNotNil(later, "the tape keeps y alive until the backward")
    loss.backward()
    XCTAssertEqual(seenFromFirstBackward, false)
    XCTAssertEqual(x.grad!.toArray(), [2 * Float.exp(2), 2 * Float.exp(4)])
  }

  /// A parameter adopts a gradient buffer nobody else holds, but never one shared with another
  /// parameter (add's backward hands the same tensor to both inputs) or with a view.
  func testLeafGradientsNeverShareABuffer() {
    let a = Tensor([1, 2], shape: [2]).requiringGrad()
    let b = Tensor([3, 4], shape: [2]).requiringGrad()
    (a + b).sum().backward()
    XCTAssertEqual(a.grad!.toArray(), [1, 1])
    XCTAssertEqual(b.grad!.toArray(), [1, 1])
    XCTAssertFalse(a.grad!.storage === b.grad!.storage)
    (a * 3).sum().backward()  // accumulates into a's buffer only
    XCTAssertEqual(a.grad!.toArray(), [4, 4])
    XCTAssertEqual(b.grad!.toArray(), [1, 1])
  }
}
