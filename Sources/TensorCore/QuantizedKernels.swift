import CQuantKernels

/// How ggml quantises activations before an integer dot product (`vec_dot_type`).
/// Q8_0: per 32 values, d = amax/127 and q = round(x·127/amax). Q8_1 adds s = d·Σq, which lets a
/// Q4_1 weight's minimum m contribute m·s instead of m·Σx.
public enum ActivationFormat: Sendable {
  case q8_0
  case q8_1
}

/// Activation rows quantised to 8-bit blocks, planes as in `QuantizedMatrix`:
/// (rows · nb) scales d, (rows · nb) block sums s (Q8_1), rows · cols int8 values.
public final class QuantizedActivations: @unchecked Sendable {
  public let rows: Int
  public let cols: Int
  let scales: UnsafeMutablePointer<Float>
  let sums: UnsafeMutablePointer<Float>
  let quants: UnsafeMutablePointer<Int8>

  /// Quantises x (rows, cols), cols a multiple of 32, block by block as ggml's x86 path
  /// (`quantize_row_q8_0` / `quantize_row_q8_1`, AVX2 branch) does:
  ///   amax = max|x|, d = f16(amax/127), id = amax ≠ 0 ? 127/amax : 0,
  ///   q = round-half-even(x·id), s = f16(d·Σq) with the unrounded d.
  /// d and s are stored as binary16 in ggml's blocks, so they are rounded to it here too.
  ///
  /// Example (one block): x₀ = 127, x₁ = −2.5, x₁₆ = 3.5, others 0 → amax 127, d = 1, id = 1,
  /// q₀ = 127, q₁ = −2 (tie to even), q₁₆ = 4, s = 129.
  ///
  /// `kernel` .avx2 finds amax, q and Σq with the C kernel (bit-identical; the tests check it).
  public init(
    _ x: UnsafePointer<Float>, rows: Int, cols: Int, format: ActivationFormat, kernel: QuantKernel = .best
  ) {
    precondition(cols % 32 == 0, "activations: \(cols) columns are not a multiple of 32")
    self.rows = rows
    self.cols = cols
    let nb = cols / 32
    scales = .allocate(capacity: max(rows * nb, 1))
    sums = .allocate(capacity: max(rows * nb, 1))
    quants = .allocate(capacity: max(rows * cols, 1))
    if kernel == .avx2 {
      withUnsafeTemporaryAllocation(of: Float.self, capacity: rows * nb) { amax in
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: rows * nb) { total in
          rq_quantize_avx2(x, rows * nb, amax.baseAddress, quants, total.baseAddress)
          for blk in 0..<(rows * nb) {
            let d = amax[blk] / 127
            scales[blk] = Half.round(d)
            sums[blk] = format == .q8_1 ? Half.round(d * Float(total[blk])) : 0
          }
        }
      }
      return
    }
    // Adding then subtracting 1.5·2²³ rounds |v| < 2²² to an integer, ties to even, in the
    // default FP mode; portable and vectorisable without SSE4.1's roundps.
    let magic = SIMD8<Float>(repeating: 12_582_912)
    for blk in 0..<(rows * nb) {
      let src = UnsafeRawPointer(x + blk * 32)
      let v0 = src.loadUnaligned(fromByteOffset: 0, as: SIMD8<Float>.self)
      let v1 = src.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
      let v2 = src.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self)
      let v3 = src.loadUnaligned(fromByteOffset: 96, as: SIMD8<Float>.self)
      let amax = pointwiseMax(pointwiseMax(abs(v0), abs(v1)), pointwiseMax(abs(v2), abs(v3)))
      let m = amax.max()
      let d = m / 127
      let id: Float = m != 0 ? 127 / m : 0
      let dst = UnsafeMutableRawPointer(quants + blk * 32)
      @inline(__always) func store(_ part: SIMD8<Float>, _ i: Int) -> SIMD8<Int32> {
        // The biased float's bits minus the bias's bits are the rounded integer.
        let q =
          unsafeBitCast(part * id + magic, to: SIMD8<Int32>.self) &- SIMD8<Int32>(repeating: 0x4B40_0000)
        for l in 0..<8 {
          dst.storeBytes(of: Int8(truncatingIfNeeded: q[l]), toByteOffset: 8 * i + l, as: Int8.self)
        }
        return q
      }
      let total = store(v0, 0) &+ store(v1, 1) &+ store(v2, 2) &+ store(v3, 3)
      scales[blk] = Half.round(d)
      sums[blk] = format == .q8_1 ? Half.round(d * Float(total.wrappedSum())) : 0
    }
  }

  deinit {
    scales.deallocate()
    sums.deallocate()
    quants.deallocate()
  }

  /// Row r decoded back to Float (d·q), for tests.
  public func dequantizedRow(_ r: Int) -> [Float] {
    (0..<cols).map { scales[(r * cols + $0) / 32] * Float(quants[r * cols + $0]) }
  }
}

@inline(__always)
private func abs(_ v: SIMD8<Float>) -> SIMD8<Float> { pointwiseMax(v, -v) }

/// Integer block dot products, one weight row against one activation row, with ggml's
/// semantics and Float order (`ggml_vec_dot_q4_1_q8_1`, `_q4_0_q8_0`, `_q8_0_q8_0`, AVX2 path):
/// per block the exact integer sums of values 4k…4k+3 in 8 lanes, accumulated as
/// acc = fma(d_w·d_x, lanes, acc); then ggml's horizontal sum and, for Q4_1, Σ m_w·s_x by scalar
/// FMAs in block order. Bit-identical to the C kernel and to llama.cpp's CPU matmul.
///
/// Vectorisation without widening conversions (which the stdlib's generic SIMD initialisers leave
/// as out-of-line calls): 16 bytes are read as 8 UInt16/Int16 lanes and split into the even and
/// odd bytes with shifts and masks, products are summed in Int16, and 8 Int16 lanes become 4 Int32
/// pair sums through the same trick one size up. Int32 → Float uses the 1.5·2²³ bias (exact for
/// |v| < 2²²; a block sum is at most 32·128·128 = 2¹⁹).
enum QuantDot {
  typealias I16 = SIMD8<Int16>
  typealias U16 = SIMD8<UInt16>
  typealias F8 = SIMD8<Float>

  /// Even and odd signed bytes of 16 bytes as Int16 lanes.
  @inline(__always)
  static func signedBytes(_ p: UnsafeRawPointer, _ offset: Int) -> (I16, I16) {
    let v = p.loadUnaligned(fromByteOffset: offset, as: I16.self)
    return ((v &<< 8) &>> 8, v &>> 8)
  }

  /// 8 Int16 lanes → their 4 adjacent-pair sums as Float.
  @inline(__always)
  static func pairSums(_ v: I16) -> SIMD4<Float> {
    let w = unsafeBitCast(v, to: SIMD4<Int32>.self)
    let sum = ((w &<< 16) &>> 16) &+ (w &>> 16)
    let biased = unsafeBitCast(sum &+ SIMD4<Int32>(repeating: 0x4B40_0000), to: SIMD4<Float>.self)
    return biased - SIMD4<Float>(repeating: 12_582_912)
  }

  /// ggml's hsum_float_8: ((a0 + a4) + (a2 + a6)) + ((a1 + a5) + (a3 + a7)).
  @inline(__always)
  static func hsum(_ a: F8) -> Float {
    let r = a.lowHalf + a.highHalf
    return (r[0] + r[2]) + (r[1] + r[3])
  }

  /// Lane k of one block: Σ w·y over values 4k…4k+3 (lanes 0–3 from the low nibbles, values
  /// 0–15; lanes 4–7 from the high nibbles, values 16–31); `offset` is subtracted from every
  /// nibble (8 for Q4_0, 0 for Q4_1). |sum of 4 products| ≤ 4·15·128 fits Int16.
  @inline(__always)
  static func nibbleBlock(_ wq: UnsafeRawPointer, _ xq: UnsafeRawPointer, _ b: Int, offset: Int16) -> F8 {
    let (y0e, y0o) = signedBytes(xq, 32 * b)
    let (y1e, y1o) = signedBytes(xq, 32 * b + 16)
    return nibbleBlock(wq, b, offset: offset, (y0e, y0o, y1e, y1o))
  }

  /// Σ over blocks of Q4_1 weights (scales wd, minimums wm, nibbles wq) with Q8_1 activations.
  @inline(__always)
  static func q4_1(
    _ wd: UnsafePointer<Float>, _ wm: UnsafePointer<Float>, _ wq: UnsafeRawPointer,
    _ xd: UnsafePointer<Float>, _ xs: UnsafePointer<Float>, _ xq: UnsafeRawPointer, blocks: Int
  ) -> Float {
    var acc = F8()
    var minTerm: Float = 0
    for b in 0..<blocks {
      acc.addProduct(F8(repeating: wd[b] * xd[b]), nibbleBlock(wq, xq, b, offset: 0))
      minTerm.addProduct(wm[b], xs[b])
    }
    return hsum(acc) + minTerm
  }

  /// Q4_0 weights (nibbles − 8) with Q8_0 activations.
  @inline(__always)
  static func q4_0(
    _ wd: UnsafePointer<Float>, _ wq: UnsafeRawPointer, _ xd: UnsafePointer<Float>, _ xq: UnsafeRawPointer,
    blocks: Int
  ) -> Float {
    var acc = F8()
    for b in 0..<blocks { acc.addProduct(F8(repeating: wd[b] * xd[b]), nibbleBlock(wq, xq, b, offset: 8)) }
    return hsum(acc)
  }

  /// Q8_0 weights with Q8_0 activations: per 16 bytes, even·even + odd·odd fits Int16
  /// (|w| ≤ 128, |x| ≤ 127: 2·128·127 < 2¹⁵), so the pair sums widen to Int32 per half block.
  @inline(__always)
  static func q8_0(
    _ wd: UnsafePointer<Float>, _ wq: UnsafeRawPointer, _ xd: UnsafePointer<Float>, _ xq: UnsafeRawPointer,
    blocks: Int
  ) -> Float {
    var acc = F8()
    for b in 0..<blocks {
      acc.addProduct(F8(repeating: wd[b] * xd[b]), byteBlock(wq, b, activationBlock(xq, b)))
    }
    return hsum(acc)
  }
}

extension QuantizedMatrix {
  /// One output: weight row `n` · activation row `m`.
  @inline(__always)
  func dot(row n: Int, _ x: QuantizedActivations, row m: Int) -> Float {
    let nb = blocksPerRow
    let (wd, wm) = (scales + n * nb, mins + n * nb)
    let wq = UnsafeRawPointer(quants + n * nb * format.quantBytes)
    let (xd, xs) = (x.scales + m * nb, x.sums + m * nb)
    let xq = UnsafeRawPointer(x.quants + m * cols)
    switch format {
    case .q4_1: return QuantDot.q4_1(wd, wm, wq, xd, xs, xq, blocks: nb)
    case .q4_0: return QuantDot.q4_0(wd, wq, xd, xq, blocks: nb)
    case .q8_0: return QuantDot.q8_0(wd, wq, xd, xq, blocks: nb)
    }
  }
}

/// y (M, N) = x (M, K) · Wᵀ for a quantized W (N, K), computed like ggml's CPU `mul_mat`: every
/// row of x is quantised to `W.format.activationFormat` blocks, then each output is an integer
/// block dot product (see `QuantDot`). Work is split over output rows across `threads` (see
/// `RowParallel`) when M·N·K is large enough to pay for the hand-off.
///
/// x may have any leading dims: (…, K) → (…, N). Inference only (no tape entry). `kernel` picks
/// the dot-product implementation (see `QuantKernel`; tests compare the two).
public func quantizedMatmul(
  _ x: Tensor, _ w: QuantizedMatrix, threads: Int = 2, kernel: QuantKernel = .best
) -> Tensor {
  precondition(x.dtype == .float32, "quantizedMatmul: x must be Float32, got \(x.dtype)")
  precondition(
    x.rank >= 1 && x.shape[x.rank - 1] == w.cols,
    "quantizedMatmul: x \(x.shape) does not end in W's \(w.cols) columns")
  let m = x.count / w.cols
  let n = w.rows
  let out = Tensor.empty(Array(x.shape.dropLast()) + [n], .float32)
  if m == 0 || n == 0 { return out }
  let xa = QuantizedActivations(
    x.pointer(Float.self), rows: m, cols: w.cols, format: w.format.activationFormat, kernel: kernel)
  nonisolated(unsafe) let y = out.pointer(Float.self)
  // A few chunks per thread, so a thread that the OS deschedules on shared cores delays only a
  // small part of the rows (chunks are handed out first come, first served).
  let chunks = m * n * w.cols >= 1 << 16 ? min(max(threads, 1) * 4, max(n / 16, 1)) : 1
  nonisolated(unsafe) let args = w.avx2Arguments(xa, y)
  let code = QuantKernel.code(w.format)
  // Weight rows outermost: each row is read from memory once and reused by all M activation rows.
  let body: (Int) -> Void = { c in
    let lo = n * c / chunks
    let hi = n * (c + 1) / chunks
    if kernel == .avx2 {
      withExtendedLifetime(xa) { withUnsafePointer(to: args) { rq_matmul_avx2($0, code, lo, hi) } }
      return
    }
    // Four rows per pass share each activation block (see QuantizedKernels+MultiRow.swift).
    var r = lo
    while r + 4 <= hi {
      for i in 0..<m {
        let v = w.dot4(rows: r, xa, row: i)
        for j in 0..<4 { y[i * n + r + j] = v[j] }
      }
      r += 4
    }
    for r in r..<hi {
      for i in 0..<m { y[i * n + r] = w.dot(row: r, xa, row: i) }
    }
  }
  RowParallel.run(chunks: chunks, threads: threads, body)
  return out
}
