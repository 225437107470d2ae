import TensorCore
import TestSupport
import XCTest

final class BinaryTests: XCTestCase {
  /// Every binary op, over equal, scalar, suffix (leading-dim) and general broadcast shapes.
  func testGradientsWithBroadcasting() {
    var rng = SeededRNG(seed: 11)
    for trial in 0..<4 {
      let s = GradCheck.shape(rank: 3, 1...4, rng: &rng)
      let pairs: [([Int], [Int])] = [
        (s, s), (s, []), (s, [s[2]]), (s, [s[1], s[2]]), ([s[0], 1, s[2]], [s[0], s[1], 1]), ([s[2]], s),
      ]
      for (sa, sb) in pairs {
        let ops: [(String, (Tensor, Tensor) -> Tensor)] = [
          ("+", { $0 + $1 }), ("-", { $0 - $1 }), ("*", { $0 * $1 }), ("max", { Tensor.maximum($0, $1) }),
          ("min", { Tensor.minimum($0, $1) }),
        ]
        for (name, op) in ops {
          let a = GradCheck.input(sa, rng: &rng)
          let b = GradCheck.input(sb, rng: &rng)
          let (ok, report) = GradCheck.check([a, b], seed: UInt64(trial)) { op($0[0], $0[1]) }
          XCTAssertTrue(ok, "\(name) \(sa) \(sb): \(report)")
        }
        let a = GradCheck.input(sa, rng: &rng)
        let b = GradCheck.input(sb, rng: &rng).map { $0 > 0 ? $0 + 0.5 : $0 - 0.5 }  // away from 0
        let (ok, report) = GradCheck.check([a, b]) { $0[0] / $0[1] }
        XCTAssertTrue(ok, "/ \(sa) \(sb): \(report)")
      }
    }
  }

  func testBroadcastValues() {
    let a = Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
    let bias = Tensor([10, 20, 30], shape: [3])
    XCTAssertEqual((a + bias).toArray(), [11, 22, 33, 14, 25, 36])
    let col = Tensor([1, 2], shape: [2, 1])
    XCTAssertEqual((a * col).toArray(), [1, 2, 3, 8, 10, 12])
    XCTAssertEqual((2.0 - a).toArray(), [1, 0, -1, -2, -3, -4])
  }

  func testShapeErrorNamesBothShapes() {
    guard case .failure(let e) = Shape.broadcast([2, 3], [4]) else { return XCTFail("expected failure") }
    XCTAssertTrue(e.description.contains("[2, 3]") && e.description.contains("[4]"), e.description)
  }
}
