import XCTest

@testable import Models

final class RoPEPermutationTests: XCTestCase {
  /// One head of size 4: numpy's reshape(1, 2, 2, n).swapaxes(1, 2) turns rows [r0, r1, r2, r3] into
  /// [r0, r2, r1, r3] (worked by hand). Two heads of size 4 permute each head's block separately.
  func testHandWorkedExample() {
    let hf: [Float] = [0, 0, 1, 1, 2, 2, 3, 3]  // 4 rows of 2 columns, row r filled with r
    XCTAssertEqual(RoPEPermutation.permute(hf, rows: 4, heads: 1), [0, 0, 2, 2, 1, 1, 3, 3])
    let twoHeads: [Float] = (0..<8).map(Float.init)  // 8 rows of 1 column
    XCTAssertEqual(RoPEPermutation.permute(twoHeads, rows: 8, heads: 2), [0, 2, 1, 3, 4, 6, 5, 7])
    // Head size 6: rows [0..5] → [0, 3, 1, 4, 2, 5].
    XCTAssertEqual(RoPEPermutation.permute((0..<6).map(Float.init), rows: 6, heads: 1), [0, 3, 1, 4, 2, 5])
    XCTAssertEqual(RoPEPermutation.unpermute([0, 3, 1, 4, 2, 5], rows: 6, heads: 1), [0, 1, 2, 3, 4, 5])
  }

  func testUnpermuteInvertsPermute() {
    let values = (0..<(24 * 3)).map { Float($0) }
    for heads in [1, 2, 3, 6] {
      let permuted = RoPEPermutation.permute(values, rows: 24, heads: heads)
      XCTAssertNotEqual(permuted, values)
      XCTAssertEqual(RoPEPermutation.unpermute(permuted, rows: 24, heads: heads), values)
    }
  }

  func testRowBytesVariantMatchesFloatVariant() {
    let values = (0..<(12 * 2)).map { Float($0) }
    let permuted = RoPEPermutation.permute(values, rows: 12, heads: 3)
    let bytes = permuted.withUnsafeBytes {
      RoPEPermutation.unpermuteRows($0, rows: 12, heads: 3, rowBytes: 8)
    }
    let back = bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    XCTAssertEqual(back, values)
  }

  func testInvalidShapesAreRejected() {
    XCTAssertThrowsError(try RoPEPermutation.validate(rows: 10, heads: 4, tensor: "q"))
    XCTAssertThrowsError(try RoPEPermutation.validate(rows: 6, heads: 2, tensor: "q"))  // odd head size 3
    XCTAssertNoThrow(try RoPEPermutation.validate(rows: 8, heads: 2, tensor: "q"))
  }
}
