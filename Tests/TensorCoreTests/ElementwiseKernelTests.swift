import XCTest

@testable import TensorCore

/// The C elementwise kernels (Elementwise.c, portable and AVX2 copies) against the generic Swift
/// loops they replace for Float32: SwiGLU, RMSNorm and RoPE, forward and backward, the same bits —
/// a run's tables must not move when the kernel does. Sizes cover the 8- and 64-element blocks and
/// their tails, row counts that are not a multiple of four, head dims that are not a multiple of 16,
/// and tensors large enough for `ParallelLoop` to split them.
final class ElementwiseKernelTests: XCTestCase {
  /// Forward output and input gradients (upstream gradient `seed`) of `op` under each kernel.
  private func runs(
    _ inputs: [Tensor], seed: Tensor, _ op: ([Tensor], ElementwiseKernel) -> Tensor
  ) -> [ElementwiseKernel: [[UInt32]]] {
    var result: [ElementwiseKernel: [[UInt32]]] = [:]
    for kernel in [ElementwiseKernel.swift, .portableC, .c] {
      let leaves = inputs.map { Tensor($0.toArray(), shape: $0.shape).requiringGrad() }
      let y = op(leaves, kernel)
      y.backward(seed: seed)
      result[kernel] = ([y] + leaves.map { $0.grad! }).map { $0.toArray().map(\.bitPattern) }
    }
    return result
  }

  private func assertSameBits(_ r: [ElementwiseKernel: [[UInt32]]], _ what: String) {
    let names = ["output"] + (1..<r[.swift]!.count).map { "gradient \($0)" }
    for kernel in [ElementwiseKernel.portableC, .c] {
      for (i, name) in names.enumerated() {
        let (got, want) = (r[kernel]![i], r[.swift]![i])
        XCTAssertEqual(got.count, want.count)
        let firstDiff = got.indices.first { got[$0] != want[$0] }
        XCTAssertNil(firstDiff, "\(what) \(kernel) \(name): first differing element \(firstDiff ?? -1)")
      }
    }
  }

  func testSwiGLUMatchesSwiftBitForBit() {
    var rng = SeededRNG(seed: 281)
    for n in [1, 7, 63, 64, 65, 200, 40_003] {
      // Wide gates: exp overflows to ∞ for the most negative ones (silu → −0), as in the Swift loop.
      let gate = Tensor.randn([n], rng: &rng) * 30
      let up = Tensor.randn([n], rng: &rng)
      let seed = Tensor.randn([n], rng: &rng)
      assertSameBits(runs([gate, up], seed: seed) { swiglu($0[0], $0[1], kernel: $1) }, "swiglu n=\(n)")
    }
  }

  func testRMSNormMatchesSwiftBitForBit() {
    var rng = SeededRNG(seed: 282)
    for (rows, d) in [(1, 5), (3, 128), (4, 128), (9, 33), (301, 128), (2_050, 16)] {
      let x = Tensor.randn([rows, d], rng: &rng) * 4
      let w = Tensor.randn([d], rng: &rng)
      let seed = Tensor.randn([rows, d], rng: &rng)
      assertSameBits(
        runs([x, w], seed: seed) { rmsNorm($0[0], weight: $0[1], eps: 1e-5, kernel: $1) },
        "rmsNorm \(rows)×\(d)")
    }
  }

  func testRoPEMatchesSwiftBitForBit() {
    var rng = SeededRNG(seed: 283)
    for (b, t, h, d) in [(1, 1, 1, 2), (2, 5, 3, 10), (3, 37, 4, 32), (64, 70, 4, 32)] {
      let x = Tensor.randn([b, t, h, d], rng: &rng)
      // Left-padded rows: each sequence starts its positions at its own offset; some repeat.
      let positions = (0..<b).flatMap { s in (0..<t).map { max(0, $0 - s % 3) * (s % 2 == 0 ? 1 : 7) } }
      let seed = Tensor.randn([b, t, h, d], rng: &rng)
      assertSameBits(
        runs([x], seed: seed) { rope($0[0], positions: positions, base: 10_000, kernel: $1) },
        "rope \(b)×\(t)×\(h)×\(d)")
    }
  }

  func testFloat64KeepsTheSwiftLoops() {
    // Double has no C copy: every kernel choice must give the generic loop's values.
    var rng = SeededRNG(seed: 284)
    let x = Tensor.randn([5, 6], rng: &rng).cast(.float64)
    let w = Tensor.randn([6], rng: &rng).cast(.float64)
    let reference = rmsNorm(x, weight: w, eps: 1e-5, kernel: .swift).toDoubleArray()
    XCTAssertEqual(rmsNorm(x, weight: w, eps: 1e-5, kernel: .c).toDoubleArray(), reference)
    XCTAssertNil(ElementwiseKernel.c.simd(.float64))
    XCTAssertEqual(ElementwiseKernel.portableC.simd(.float32), 0)
  }
}
