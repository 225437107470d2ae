import TensorCore
import TestSupport
import XCTest

final class ShapeOpsTests: XCTestCase {
  func testGradients() {
    var rng = SeededRNG(seed: 51)
    for _ in 0..<3 {
      let s = GradCheck.shape(rank: 4, 1...3, rng: &rng)
      let x = GradCheck.input(s, rng: &rng)
      XCTAssertTrue(GradCheck.check([x]) { $0[0].reshaped([s[0] * s[1], -1]) }.ok)
      for dims in [[0, 2, 1, 3], [3, 2, 1, 0], [1, 0, 3, 2]] {
        XCTAssertTrue(GradCheck.check([x]) { $0[0].permuted(dims) }.ok, "permute \(dims)")
      }
      XCTAssertTrue(GradCheck.check([x]) { $0[0].transposed(1, 2) }.ok)
      let axis = Int.random(in: 0..<4, using: &rng)
      let lo = Int.random(in: 0..<s[axis], using: &rng)
      XCTAssertTrue(GradCheck.check([x]) { $0[0].slice(axis: axis, lo..<s[axis]) }.ok, "slice")
      var s2 = s
      s2[axis] = Int.random(in: 1...3, using: &rng)
      let y = GradCheck.input(s2, rng: &rng)
      XCTAssertTrue(
        GradCheck.check([x, y]) { Tensor.concat([$0[0], $0[1], $0[0]], axis: axis) }.ok, "concat")
    }
  }

  func testValues() {
    let x = Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
    XCTAssertEqual(x.transposed().toArray(), [1, 4, 2, 5, 3, 6])
    XCTAssertEqual(x.slice(axis: 1, 1..<3).toArray(), [2, 3, 5, 6])
    XCTAssertEqual(Tensor.concat([x, x], axis: 0).shape, [4, 3])
    XCTAssertEqual(Tensor.concat([x, x.slice(axis: 1, 0..<1)], axis: 1).toArray(), [1, 2, 3, 1, 4, 5, 6, 4])
    let v = x.reshaped([3, 2])
    XCTAssertTrue(v.storage === x.storage, "reshape is a view")
  }
}
