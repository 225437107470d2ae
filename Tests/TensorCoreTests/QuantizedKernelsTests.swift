import XCTest

@testable import TensorCore

final class QuantizedKernelsTests: XCTestCase {
  /// One block: x₀ = 127, x₁ = −2.5, x₁₆ = 3.5, rest 0 → d = 1, q₀ = 127, q₁ = −2, q₁₆ = 4, s = 129.
  let handX: [Float] = {
    var x = [Float](repeating: 0, count: 32)
    (x[0], x[1], x[16]) = (127, -2.5, 3.5)
    return x
  }()

  func block(_ header: [UInt16], _ quants: [UInt8]) -> [UInt8] {
    header.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } + quants
  }

  func product(_ format: QuantFormat, _ bytes: [UInt8], x: [Float], rows: Int = 1) throws -> [Float] {
    let w = try bytes.withUnsafeBytes {
      try QuantizedMatrix(format: format, rows: rows, cols: x.count, blocks: $0)
    }
    let outputs = QuantKernel.available.map {
      quantizedMatmul(Tensor(x, shape: [1, x.count]), w, kernel: $0).toArray()
    }
    // Hand examples are exact in Float, so every kernel gives the same bits.
    for other in outputs.dropFirst() { XCTAssertEqual(other, outputs[0]) }
    return outputs[0]
  }

  func testActivationQuantisationHandExample() {
    for format in [ActivationFormat.q8_0, .q8_1] {
      let a = handX.withUnsafeBufferPointer {
        QuantizedActivations($0.baseAddress!, rows: 1, cols: 32, format: format)
      }
      XCTAssertEqual(a.scales[0], 1)
      XCTAssertEqual(
        Array(UnsafeBufferPointer(start: a.quants, count: 32)).map(Int.init).prefix(2), [127, -2])
      XCTAssertEqual(a.quants[16], 4)
      XCTAssertEqual(a.sums[0], format == .q8_1 ? 129 : 0)
    }
  }

  /// ggml's Q4_1 · Q8_1: d_w·d_x·Σ q_w q_x + m·s. Weight block d = 0.5, m = −1, qs₀ = 0x21 (w₀ = −0.5,
  /// w₁₆ = 0, others −1): 0.5·(1·127 + 2·4) − 129 = −61.5, equal to Σ w·x̂ = −63.5 + 2 + 0.
  func testQ4_1HandExample() throws {
    let bytes = block([0x3800, 0xBC00], [0x21] + [UInt8](repeating: 0, count: 15))
    XCTAssertEqual(try product(.q4_1, bytes, x: handX), [-61.5])
  }

  /// Q8_0 · Q8_0: d = 0.25, q = [4, −8, 0…] → 0.25·(4·127 + (−8)(−2)) = 131.
  func testQ8_0HandExample() throws {
    let bytes = block([0x3400], [4, 0xF8] + [UInt8](repeating: 0, count: 30))
    XCTAssertEqual(try product(.q8_0, bytes, x: handX), [131])
  }

  /// Q4_0 · Q8_0: d = 2, qs₀ = 0x9A (w₀ = 2·(10−8), w₁₆ = 2·(9−8)), others 0x88 (zero) → 2·(2·127 + 1·4).
  func testQ4_0HandExample() throws {
    let bytes = block([0x4000], [0x9A] + [UInt8](repeating: 0x88, count: 15))
    XCTAssertEqual(try product(.q4_0, bytes, x: handX), [516])
  }

  /// Random blocks (any byte pattern, including int8 −128) against a scalar Double evaluation of
  /// ggml's formula from the raw file bytes, and against dequantise-then-matmul in Float32 within the
  /// activation-quantisation bound Σ_blocks (amax/254)·Σ|w|.
  func testRandomMatricesMatchReferences() throws {
    var rng = SeededRNG(seed: 7)
    let (m, n, k) = (3, 70, 96)
    for format in QuantFormat.allCases {
      for kernel in QuantKernel.available {
        try checkRandomMatrix(format, kernel, m: m, n: n, k: k, rng: &rng)
      }
    }
  }

  func checkRandomMatrix(
    _ format: QuantFormat, _ kernel: QuantKernel, m: Int, n: Int, k: Int, rng: inout SeededRNG
  ) throws {
    let nb = k / 32
    do {
      var bytes: [UInt8] = []
      for _ in 0..<(n * nb) {
        let d = Half.bits(Float.random(in: 0.001...0.05, using: &rng))
        let header = format == .q4_1 ? [d, Half.bits(Float.random(in: -0.2...0.2, using: &rng))] : [d]
        bytes += block(header, (0..<format.quantBytes).map { _ in UInt8.random(in: 0...255, using: &rng) })
      }
      let xs = (0..<(m * k)).map { _ in Float.random(in: -3...3, using: &rng) }
      let w = try bytes.withUnsafeBytes { try QuantizedMatrix(format: format, rows: n, cols: k, blocks: $0) }
      let y = quantizedMatmul(Tensor(xs, shape: [m, k]), w, kernel: kernel).toArray()
      let xa = xs.withUnsafeBufferPointer {
        QuantizedActivations($0.baseAddress!, rows: m, cols: k, format: format.activationFormat)
      }
      let dense = Tensor(xs, shape: [m, k]).matmul(w.dequantized(), transposeB: true).toArray()
      for i in 0..<m {
        for r in 0..<n {
          var exact = 0.0
          var bound = 0.0
          for b in 0..<nb {
            let blk = bytes[((r * nb + b) * format.blockBytes)...]
            let d = Double(Half.float(UInt16(blk[blk.startIndex]) | UInt16(blk[blk.startIndex + 1]) << 8))
            let mn =
              format == .q4_1
              ? Double(Half.float(UInt16(blk[blk.startIndex + 2]) | UInt16(blk[blk.startIndex + 3]) << 8)) : 0
            let qs = Array(blk.dropFirst(format == .q4_1 ? 4 : 2).prefix(format.quantBytes))
            let wq: [Int] =
              format == .q8_0
              ? qs.map { Int(Int8(bitPattern: $0)) }
              : qs.map { Int($0 & 15) } + qs.map { Int($0 >> 4) }
            let off = format == .q4_0 ? 8 : 0
            var sumi = 0
            var absW = 0.0
            var amax = 0.0
            for j in 0..<32 {
              sumi += (wq[j] - off) * Int(xa.quants[i * k + b * 32 + j])
              absW += abs(d * Double(wq[j] - off) + mn)
              amax = max(amax, abs(Double(xs[i * k + b * 32 + j])))
            }
            exact += d * Double(xa.scales[i * nb + b]) * Double(sumi) + mn * Double(xa.sums[i * nb + b])
            bound += amax / 254 * absW
          }
          let got = Double(y[i * n + r])
          XCTAssertEqual(
            got, exact, accuracy: 1e-5 * max(1, abs(exact)), "\(format) \(kernel) [\(i), \(r)] vs ggml")
          XCTAssertEqual(
            got, Double(dense[i * n + r]), accuracy: bound * 1.01 + 1e-4,
            "\(format) \(kernel) [\(i), \(r)] vs f32")
        }
      }
    }
  }

  /// The 4-rows-per-pass kernel (used by the portable path for all but a chunk's last rows) gives
  /// bit-identical outputs to the single-row kernel, for every format, at M = 1 and M = 2, with row
  /// counts that leave remainders for the single-row tail.
  func testFourRowKernelEqualsSingleRowKernelBitForBit() throws {
    var rng = SeededRNG(seed: 11)
    for format in QuantFormat.allCases {
      for (m, n) in [(1, 37), (2, 8), (1, 4)] {
        let k = 128
        var bytes: [UInt8] = []
        for _ in 0..<(n * k / 32) {
          let d = Half.bits(Float.random(in: 0.001...0.05, using: &rng))
          let header = format == .q4_1 ? [d, Half.bits(Float.random(in: -0.2...0.2, using: &rng))] : [d]
          bytes += block(header, (0..<format.quantBytes).map { _ in UInt8.random(in: 0...255, using: &rng) })
        }
        let xs = (0..<(m * k)).map { _ in Float.random(in: -3...3, using: &rng) }
        let w = try bytes.withUnsafeBytes {
          try QuantizedMatrix(format: format, rows: n, cols: k, blocks: $0)
        }
        let xa = xs.withUnsafeBufferPointer {
          QuantizedActivations($0.baseAddress!, rows: m, cols: k, format: format.activationFormat)
        }
        let y = quantizedMatmul(Tensor(xs, shape: [m, k]), w, kernel: .portable).toArray()
        for i in 0..<m {
          for r in 0..<n {
            let single = w.dot(row: r, xa, row: i)
            XCTAssertEqual(y[i * n + r].bitPattern, single.bitPattern, "\(format) m=\(m) [\(i), \(r)]")
            if r + 4 <= n {
              XCTAssertEqual(
                w.dot4(rows: r, xa, row: i)[0].bitPattern, single.bitPattern, "\(format) dot4 at \(r)")
            }
          }
        }
      }
    }
  }

  func testDequantisedRowsMatchGatherAndRejectBadSizes() throws {
    let bytes = block([0x3800, 0xBC00], [0x21] + [UInt8](repeating: 0, count: 15))
    let w = try bytes.withUnsafeBytes { try QuantizedMatrix(format: .q4_1, rows: 1, cols: 32, blocks: $0) }
    let row = w.dequantized().toArray()
    XCTAssertEqual(row[0], -0.5)
    XCTAssertEqual(row[16], 0)
    XCTAssertEqual(row[5], -1)
    XCTAssertEqual(w.gatherRows([0, 0], shape: [2]).toArray(), row + row)
    XCTAssertThrowsError(
      try bytes.withUnsafeBytes { try QuantizedMatrix(format: .q8_0, rows: 1, cols: 32, blocks: $0) })
    XCTAssertThrowsError(
      try bytes.withUnsafeBytes { try QuantizedMatrix(format: .q4_1, rows: 1, cols: 30, blocks: $0) })
  }

  func testHalfConversionsMatchFloat16() {
    #if !(os(macOS) && arch(x86_64))
      for bits in UInt16.min...UInt16.max {
        let f = Half.float(bits)
        let ref = Float(Float16(bitPattern: bits))
        XCTAssertTrue(f.bitPattern == ref.bitPattern || (f.isNaN && ref.isNaN), "bits \(bits)")
        if !f.isNaN { XCTAssertEqual(Half.bits(f), bits) }
      }
      var rng = SeededRNG(seed: 3)
      for _ in 0..<100_000 {
        let x = Float(bitPattern: UInt32.random(in: 0...UInt32.max, using: &rng))
        if x.isNaN { continue }
        XCTAssertEqual(Half.bits(x), Float16(x).bitPattern, "\(x)")
      }
    #endif
    XCTAssertEqual(Half.bits(1 + 0x1p-11), 0x3C00)  // tie → even
    XCTAssertEqual(Half.bits(70000), 0x7C00)  // overflow → inf
  }
}
