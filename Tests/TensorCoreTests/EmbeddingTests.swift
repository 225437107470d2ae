import TensorCore
import TestSupport
import XCTest

final class EmbeddingTests: XCTestCase {
  func testGradientScatterAddsRepeatedIds() {
    var rng = SeededRNG(seed: 61)
    let table = GradCheck.input([5, 3], rng: &rng)
    let ids = [4, 0, 4, 2, 4, 1]
    let (ok, r) = GradCheck.check([table]) { Tensor.gatherRows($0[0], ids: ids, shape: [2, 3]) }
    XCTAssertTrue(ok, "\(r)")
    let out = Tensor.gatherRows(table, ids: ids, shape: [2, 3])
    XCTAssertEqual(out.shape, [2, 3, 3])
    XCTAssertEqual(Array(out.toDoubleArray()[0..<3]), Array(table.toDoubleArray()[12..<15]))
  }
}
