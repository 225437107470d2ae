import Foundation
import TensorCore

/// The demo's matrix products on OpenBLAS and on the portable kernel, back to back in one run:
/// `recheck bench tensor` prints GFLOP/s for both and OpenBLAS's lead (portable time / OpenBLAS
/// time), on one thread and split over `threads` (as training runs them). Both go through
/// `Float.gemm`, the call every tensor product makes; `BLAS.usePortableKernels` switches between
/// them.
enum BenchTensorGemm {
  /// A demo product: label, C (m×n) = op(A) (m×k) · op(B) (k×n). The demo trains on 16–32
  /// sequences of up to ~600 tokens (N = 4,096 rows here), hidden 128, MLP 512, vocabulary ~60;
  /// linear layers compute x·Wᵀ forward, g·W (input gradient) and gᵀ·x (weight gradient) backward.
  static let shapes: [(label: String, m: Int, k: Int, n: Int, transA: Bool, transB: Bool)] = [
    ("up x·Wᵀ", 4096, 128, 512, false, true),
    ("up g·W", 4096, 512, 128, false, false),
    ("up gᵀ·x", 512, 4096, 128, true, false),
    ("down x·Wᵀ", 4096, 512, 128, false, true),
    ("down g·W", 4096, 128, 512, false, false),
    ("down gᵀ·x", 128, 4096, 512, true, false),
    ("qkv x·Wᵀ", 4096, 128, 384, false, true),
    ("head x·Eᵀ", 4096, 128, 60, false, true),
    ("head g·E", 4096, 60, 128, false, false),
    ("head gᵀ·x", 60, 4096, 128, true, false),
    ("sample 32 rows", 32, 128, 512, false, true),
    ("sample 16 rows", 16, 512, 128, false, true),
    ("sample 1 row", 1, 128, 512, false, true),
    ("sample 1 row, head", 1, 128, 60, false, true),
  ]

  static func run(repeats: Int, threads: Int) {
    let counts = Array(Set([1, threads])).sorted()
    print(
      "demo products, GFLOP/s: OpenBLAS vs the portable kernel (same run; ratio = portable time / OpenBLAS time)"
    )
    if !KernelReport.hasOpenBLAS && !BLAS.portableKernelsRequested {
      print("(OpenBLAS not loaded: both columns are the portable kernel)")
    }
    var header = "product".padLeft(20) + "m×k·k×n".padLeft(18) + "op".padLeft(5)
    for t in counts { header += "BLAS/\(t)t".padLeft(10) + "port/\(t)t".padLeft(10) + "ratio".padLeft(7) }
    print(header)
    for s in shapes {
      var rng = SeededRNG(seed: 2)
      let a = Tensor.randn(s.transA ? [s.k, s.m] : [s.m, s.k], rng: &rng)
      let b = Tensor.randn(s.transB ? [s.n, s.k] : [s.k, s.n], rng: &rng)
      let c = Tensor(zeros: [s.m, s.n])
      let flops = 2.0 * Double(s.m * s.n * s.k)
      let reps = max(repeats, min(200, Int(2e8 / flops)))  // small products: enough calls to time
      func time(portable: Bool) -> Double {
        median(portable: portable, repeats: reps) {
          Float.gemm(
            transA: s.transA, transB: s.transB, m: s.m, n: s.n, k: s.k, alpha: 1, a: a.pointer(Float.self),
            lda: s.transA ? s.m : s.k, b: b.pointer(Float.self), ldb: s.transB ? s.k : s.n, beta: 0,
            c: c.pointer(Float.self), ldc: s.n)
        }
      }
      var line =
        s.label.padLeft(20) + "\(s.m)×\(s.k)·\(s.k)×\(s.n)".padLeft(18)
        + ((s.transA ? "T" : "N") + (s.transB ? "T" : "N")).padLeft(5)
      for t in counts {
        BLASThreads.set(t)
        let (tb, tp) = (time(portable: false), time(portable: true))
        line +=
          String(format: "%.1f", flops / tb / 1e9).padLeft(10)
          + String(format: "%.1f", flops / tp / 1e9).padLeft(10)
          + String(format: "%.2f", tp / tb).padLeft(7)
      }
      print(line)
    }
    BLASThreads.set(threads)
  }

  /// Median time of `body` with products on the portable kernel (or on OpenBLAS); the kernel the
  /// process was asked for (`--portable-kernels`) is restored afterwards.
  static func median(portable: Bool, repeats: Int, _ body: () -> Void) -> Double {
    let requested = BLAS.portableKernelsRequested
    BLAS.usePortableKernels(portable)
    defer { BLAS.usePortableKernels(requested) }
    return BenchClock.median(repeats: repeats, body)
  }
}
