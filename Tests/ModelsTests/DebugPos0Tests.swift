import Foundation
import Models
import TensorCore
import XCTest

final class DebugPos0Tests: XCTestCase {
  func testPrint() throws {
    for q in [false, true] {
      let m = try Transformer.load(from: SmolLM2GGUFTests.modelURL, keepQuantized: q)
      for ids in [[1], [19556]] {
        let cache = KVCache(config: m.config, batch: 1, capacity: 4, halfPrecision: q)
        let l = withNoGrad { m(ids, batch: 1, cache: cache) }.toArray()
        print("DBG q=\(q) \(ids): \(Array(l.prefix(8))) max \(l.max()!)")
      }
    }
  }
}
