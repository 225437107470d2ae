import Foundation

/// Elementwise loops split into contiguous ranges over the row-parallel pool (`RowParallel`).
/// Every index is computed exactly as in a serial loop, so results are bit-identical whatever the
/// split; only loops of at least two `grain`s are split, so small tensors pay no hand-off.
///
/// Why: a training step's matrix products ran on several cores, but the elementwise ops between
/// them (SwiGLU with its exp, RMSNorm, RoPE) ran on one while the others waited. `recheck bench
/// train` with 1 thread matched PyTorch (1.02–1.03×) but with 2 threads reached only 0.58–0.84×
/// of it: PyTorch's elementwise kernels are parallel. (The products now split over the same pool,
/// `BLAS.split`.)
public enum ParallelLoop {
  /// Threads to split over: the cores, at most 4 (the loops are memory-bound beyond that).
  public static let threads = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 4))

  /// body(range) for contiguous ranges covering 0..<count; `grain` is the least work per range.
  public static func run(_ count: Int, grain: Int = 1 << 14, _ body: (Range<Int>) -> Void) {
    let chunks = min(threads, count / max(grain, 1))
    if chunks <= 1 {
      body(0..<count)
      return
    }
    RowParallel.run(chunks: chunks, threads: chunks) { c in
      body((count * c / chunks)..<(count * (c + 1) / chunks))
    }
  }
}
