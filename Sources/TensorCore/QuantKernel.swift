import CQuantKernels
import Foundation

/// Which implementation of the integer block dot products `quantizedMatmul` runs.
///
/// Both compute each block's integer sums exactly and add them in ggml's Float order (8 FMA lanes,
/// hsum_float_8), so they agree bit for bit, with each other and with llama.cpp. `portable` is the Swift SIMD
/// kernel (128-bit vectors at the default x86-64 target); `avx2` is the C kernel in
/// `CQuantKernels`, 256-bit with `maddubs`, usable only where the CPU has AVX2 and FMA.
public enum QuantKernel: Sendable {
  case portable
  case avx2

  /// AVX2 when this CPU has it, else portable (checked once). Library code reads no environment
  /// variables (house rule 5); tests compare the two kernels through `available`.
  public static let best: QuantKernel = rq_avx2_available() != 0 ? .avx2 : .portable

  /// Every kernel this CPU can run, portable first (tests run each).
  public static let available: [QuantKernel] = best == .avx2 ? [.portable, .avx2] : [.portable]

  /// The C kernel's format code (see `rq_matmul_avx2`).
  static func code(_ format: QuantFormat) -> Int32 {
    switch format {
    case .q4_1: return 0
    case .q4_0: return 1
    case .q8_0: return 2
    }
  }
}

extension QuantizedMatrix {
  /// Arguments of the C kernel for x (already quantised) into y (M, rows).
  func avx2Arguments(_ x: QuantizedActivations, _ y: UnsafeMutablePointer<Float>) -> rq_matmul_args {
    rq_matmul_args(
      wd: scales, wm: mins, wq: quants.assumingMemoryBound(to: UInt8.self), xd: x.scales, xs: x.sums,
      xq: x.quants, y: y, nb: blocksPerRow, m: x.rows, n: rows)
  }
}
