import TensorCore
import TestSupport
import XCTest

final class ReduceTests: XCTestCase {
  func testGradients() {
    var rng = SeededRNG(seed: 31)
    for _ in 0..<3 {
      let shape = GradCheck.shape(rank: 3, 1...4, rng: &rng)
      let x = GradCheck.input(shape, rng: &rng)
      for axis in [0, 1, 2, -1] {
        for keep in [false, true] {
          XCTAssertTrue(GradCheck.check([x]) { $0[0].sum(axis: axis, keepDims: keep) }.ok, "sum axis \(axis)")
          XCTAssertTrue(
            GradCheck.check([x]) { $0[0].mean(axis: axis, keepDims: keep) }.ok, "mean axis \(axis)")
        }
      }
      XCTAssertTrue(GradCheck.check([x]) { $0[0].sum() }.ok)
      XCTAssertTrue(GradCheck.check([x]) { $0[0].mean() }.ok)
    }
  }

  func testValues() {
    let x = Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
    XCTAssertEqual(x.sum(axis: 0).toArray(), [5, 7, 9])
    XCTAssertEqual(x.sum(axis: 1).toArray(), [6, 15])
    XCTAssertEqual(x.sum(axis: 1, keepDims: true).shape, [2, 1])
    XCTAssertEqual(x.mean().item(), 3.5)
    XCTAssertEqual(x.mean(axis: -1).toArray(), [2, 5])
  }
}

extension ReduceTests {
  func testSegmentMeans() {
    XCTAssertEqual(
      Tensor([1, 2, 3, 4], shape: [4]).segmentMeans([0..<1, 1..<4, 2..<2]).toArray(), [1, 3, 0])
    var rng = SeededRNG(seed: 33)
    let x = GradCheck.input([7], rng: &rng)
    XCTAssertTrue(
      GradCheck.check([x]) { $0[0].segmentMeans([0..<3, 2..<7, 4..<5]) }.ok, "overlapping ranges accumulate")
  }
}
