import TensorCore
import Training
import XCTest

final class LengthBucketsTests: XCTestCase {
  /// Padded positions of a grouping: each group costs its size times its longest member.
  func cost(_ groups: [[Int]], _ lengths: [Int]) -> Int {
    groups.reduce(0) { $0 + $1.count * ($1.map { lengths[$0] }.max() ?? 0) }
  }

  func testWorkedExampleFromTheDocComment() {
    let lengths = [10, 2, 9, 3]
    XCTAssertEqual(LengthBuckets.groups(lengths: lengths, maxGroups: 2), [[0, 2], [3, 1]])
    XCTAssertEqual(cost([[0, 2], [3, 1]], lengths), 26)
    XCTAssertEqual(LengthBuckets.groups(lengths: lengths, maxGroups: 1), [[0, 2, 3, 1]])
  }

  func testNoCutWithoutASaving() {
    // Equal lengths: a split saves nothing, so one group.
    XCTAssertEqual(LengthBuckets.groups(lengths: [5, 5, 5], maxGroups: 3), [[0, 1, 2]])
    XCTAssertEqual(LengthBuckets.groups(lengths: [], maxGroups: 3), [])
    XCTAssertEqual(LengthBuckets.groups(lengths: [7], maxGroups: 4), [[0]])
  }

  /// Against brute force over every partition of up to 7 sequences into ≤ k groups.
  func testOptimalAgainstEveryPartition() {
    var rng = SeededRNG(seed: 5)
    for _ in 0..<40 {
      let n = 1 + Int(rng.next() % 7)
      let lengths = (0..<n).map { _ in 1 + Int(rng.next() % 20) }
      let k = 1 + Int(rng.next() % 4)
      let groups = LengthBuckets.groups(lengths: lengths, maxGroups: k)
      XCTAssertEqual(groups.flatMap { $0 }.sorted(), Array(0..<n), "a partition of every index")
      XCTAssertLessThanOrEqual(groups.count, k)
      // Brute force: assign each index a label in 0..<k.
      var best = Int.max
      var labels = [Int](repeating: 0, count: n)
      while true {
        let parts = (0..<k).map { g in labels.indices.filter { labels[$0] == g } }.filter { !$0.isEmpty }
        best = min(best, cost(parts, lengths))
        var i = 0
        while i < n && labels[i] == k - 1 {
          labels[i] = 0
          i += 1
        }
        if i == n { break }
        labels[i] += 1
      }
      XCTAssertEqual(cost(groups, lengths), best, "lengths \(lengths), k \(k)")
    }
  }
}
