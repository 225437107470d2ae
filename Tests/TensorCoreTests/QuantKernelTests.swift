import XCTest

@testable import TensorCore

/// The AVX2 kernel against the portable Swift kernel at the model's real shapes.
final class QuantKernelTests: XCTestCase {
  /// Both kernels compute every block's integer sums exactly and add them in ggml's Float order
  /// (8 FMA lanes, hsum_float_8, scalar-FMA minimum term), so their outputs must be bit-identical;
  /// the accuracy check first says by how much when they are not (a reassociation moves a result
  /// by ≈ n·2⁻²⁴·Σ|terms|, Σ|terms| from the portable path's own planes). Shapes: SmolLM2's K = 576
  /// (q/k/v/gate/up, LM head) and K = 1536 (down), row counts with remainders for the thread split,
  /// M = 1 (decode) and M = 3 (prefill).
  func testAVX2MatchesPortableBitForBit() throws {
    guard QuantKernel.best == .avx2 else { throw XCTSkip("this CPU has no AVX2") }
    var rng = SeededRNG(seed: 23)
    for format in QuantFormat.allCases {
      for (m, n, k) in [(1, 67, 576), (3, 9, 1536), (1, 1, 32)] {
        let nb = k / 32
        var bytes: [UInt8] = []
        for _ in 0..<(n * nb) {
          let d = Half.bits(Float.random(in: 0.001...0.05, using: &rng))
          let header = format == .q4_1 ? [d, Half.bits(Float.random(in: -0.2...0.2, using: &rng))] : [d]
          bytes += header.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
          bytes += (0..<format.quantBytes).map { _ in UInt8.random(in: 0...255, using: &rng) }
        }
        let xs = (0..<(m * k)).map { _ in Float.random(in: -3...3, using: &rng) }
        let w = try bytes.withUnsafeBytes {
          try QuantizedMatrix(format: format, rows: n, cols: k, blocks: $0)
        }
        let x = Tensor(xs, shape: [m, k])
        let portable = quantizedMatmul(x, w, kernel: .portable).toArray()
        let avx2 = quantizedMatmul(x, w, kernel: .avx2).toArray()
        // Σ|terms| per output from the dequantised weights and the quantised activations.
        let xa = xs.withUnsafeBufferPointer {
          QuantizedActivations($0.baseAddress!, rows: m, cols: k, format: format.activationFormat)
        }
        let wf = w.dequantized().toArray()
        for i in 0..<m {
          let xr = xa.dequantizedRow(i)
          for r in 0..<n {
            var magnitude: Float = 0
            for j in 0..<k {
              // d·q·x and the Q4_1 minimum's m·x separately (w = d·q + m can cancel).
              let mn = w.mins[r * nb + j / 32]
              magnitude += abs((wf[r * k + j] - mn) * xr[j]) + abs(mn * xr[j])
            }
            XCTAssertEqual(
              avx2[i * n + r], portable[i * n + r], accuracy: 1e-5 * magnitude + 1e-6,
              "\(format) m=\(m) k=\(k) [\(i), \(r)]")
            XCTAssertEqual(
              avx2[i * n + r].bitPattern, portable[i * n + r].bitPattern, "bits \(format) [\(i), \(r)]")
          }
        }
      }
    }
  }
}

extension QuantKernelTests {
  /// The C activation quantiser gives the portable one's bits exactly: same amax, same
  /// 127/amax, same round-half-even, same binary16 rounding of d and d·Σq. Inputs include exact
  /// ties (k + 0.5 after scaling by 127/amax = 1), an all-zero block and negative extremes.
  func testAVX2ActivationQuantisationIsBitIdentical() {
    guard QuantKernel.best == .avx2 else { return }
    var rng = SeededRNG(seed: 29)
    var xs = (0..<(4 * 96)).map { _ in Float.random(in: -5...5, using: &rng) }
    for j in 0..<32 { xs[j] = j == 0 ? -127 : Float(j % 7) - 3.5 }  // amax 127: id = 1, .5 ties
    for j in 32..<64 { xs[j] = 0 }
    for format in [ActivationFormat.q8_0, .q8_1] {
      let (a, b) = xs.withUnsafeBufferPointer {
        (
          QuantizedActivations($0.baseAddress!, rows: 4, cols: 96, format: format, kernel: .portable),
          QuantizedActivations($0.baseAddress!, rows: 4, cols: 96, format: format, kernel: .avx2)
        )
      }
      for i in 0..<(4 * 96) { XCTAssertEqual(a.quants[i], b.quants[i], "\(format) q[\(i)]") }
      for i in 0..<(4 * 3) {
        XCTAssertEqual(a.scales[i].bitPattern, b.scales[i].bitPattern, "\(format) d[\(i)]")
        XCTAssertEqual(a.sums[i].bitPattern, b.sums[i].bitPattern, "\(format) s[\(i)]")
      }
    }
  }
}
