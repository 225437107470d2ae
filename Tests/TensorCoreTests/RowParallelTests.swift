import XCTest

@testable import TensorCore

/// `RowParallel.setMaxThreads` caps the threads, not the cut of the work: a product split into
/// bands and a split elementwise op give the same bits on one thread as on every core.
final class RowParallelTests: XCTestCase {
  func testMaxThreadsChangesNoBits() {
    var rng = SeededRNG(seed: 7)
    let a = Tensor.randn([256, 192], rng: &rng)
    let b = Tensor.randn([192, 320], rng: &rng)  // 15.7 M multiply-adds: split into bands
    let x = Tensor.randn([300, 256], rng: &rng)
    func run() -> ([UInt32], [UInt32]) {
      (a.matmul(b).toArray().map(\.bitPattern), swiglu(x, x).toArray().map(\.bitPattern))
    }
    let all = run()
    RowParallel.setMaxThreads(1)
    defer { RowParallel.setMaxThreads(Int.max) }
    XCTAssertEqual(RowParallel.maxThreads, 1)
    let one = run()
    XCTAssertEqual(one.0, all.0)
    XCTAssertEqual(one.1, all.1)
    // On one thread every chunk runs on the caller, in order.
    var order: [Int] = []
    RowParallel.run(chunks: 4, threads: 2) { order.append($0) }
    XCTAssertEqual(order, [0, 1, 2, 3])
  }
}
