import Models
import TensorCore
import XCTest

final class KVCacheTests: XCTestCase {
  /// After `retain(rows: [2, 0])` a decode step over the two kept rows gives each the logits it
  /// gets alone, in the order given; keyStart follows the rows.
  func testRetainKeepsTheGivenRowsInOrder() {
    var rng = SeededRNG(seed: 8)
    let model = Transformer(config: TransformerTests.config(), rng: &rng)
    let seqs = [4, 6, 2].map { n in (0..<n).map { _ in Int.random(in: 1..<32, using: &rng) } }
    let width = 6
    let starts = seqs.map { width - $0.count }
    let cache = KVCache(config: model.config, batch: 3, capacity: 9)
    cache.keyStart = starts
    _ = withNoGrad {
      model(
        seqs.flatMap { [Int](repeating: 0, count: width - $0.count) + $0 }, batch: 3, keyStart: starts,
        cache: cache)
    }
    cache.retain(rows: [2, 0])
    XCTAssertEqual(cache.batch, 2)
    XCTAssertEqual(cache.keyStart, [starts[2], starts[0]])
    XCTAssertEqual(cache.length, width)
    let next = [9, 11]
    let step = withNoGrad { model(next, batch: 2, keyStart: cache.keyStart, cache: cache) }.toArray()
    for (r, b) in [2, 0].enumerated() {
      let alone = withNoGrad { model(seqs[b] + [next[r]], batch: 1) }.toArray()
      for j in 0..<32 { XCTAssertEqual(step[r * 32 + j], alone[seqs[b].count * 32 + j], accuracy: 1e-4) }
    }
  }
}
