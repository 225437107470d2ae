import TensorCore
import TestSupport
import XCTest

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
}
