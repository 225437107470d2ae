import CQuantKernels
import Foundation

/// Which compute kernels this process runs, chosen once at load from the CPU and the libraries
/// present: the BLAS behind matrix products (OpenBLAS and its core family, or the portable Swift
/// kernel), the AVX2/FMA C paths (quantized block dots, llama.cpp arithmetic, fused attention) and
/// the threads a product is split over. `recheck version --verbose` prints it, and every command
/// that trains or samples warns when the portable product kernel runs (1–2× slower with AVX2/AVX-512, more without).
public enum KernelReport {
  /// Whether matrix products run on OpenBLAS.
  public static var hasOpenBLAS: Bool { BLAS.active != nil }

  /// The warning to print when products run on the portable kernel, or nil with OpenBLAS: why
  /// (OpenBLAS missing, or portable kernels requested with `BLAS.usePortableKernels`) and the cost.
  public static var portableWarning: String? {
    if hasOpenBLAS { return nil }
    if BLAS.portableRequested {
      return "WARNING: portable kernels requested — matrix products run on the portable Swift kernel, "
        + "not OpenBLAS (other float summation order), \(PortableGemm.slowdown)"
    }
    return
      "WARNING: OpenBLAS not found — matrix products run on the portable kernel, \(PortableGemm.slowdown); "
      + "run Scripts/install-deps.sh (Debian: apt-get install libopenblas0)"
  }

  /// One line per kernel family, e.g. "matrix products: OpenBLAS (Haswell), split over 2 threads".
  public static var lines: [String] {
    let cpu = cpuFlags()
    func yes(_ b: Bool) -> String { b ? "yes" : "no" }
    return [
      "matrix products: \(BLAS.backend), split over \(BLAS.threads) thread(s)",
      "CPU: AVX2+FMA \(yes(cpu.contains("avx2") && cpu.contains("fma"))), "
        + "AVX-512 \(yes(avx512Flags.allSatisfy(cpu.contains))), "
        + "\(ProcessInfo.processInfo.activeProcessorCount) core(s)",
      "quantized block dots: \(QuantKernel.best == .avx2 ? "AVX2 C kernel" : "portable Swift SIMD")",
      "llama.cpp arithmetic (GGUF, bit-exact): \(LlamaCppOps.available ? "AVX2/FMA/F16C C kernels" : "unavailable (reference ops)")",
      "training attention: fused C kernel, \(["portable", "AVX2", "AVX-512"][causalSelfAttentionSIMDLevel])",
    ]
  }

  /// The AVX-512 subsets OpenBLAS's SkylakeX kernels need (and the report calls "AVX-512").
  static let avx512Flags = ["avx512f", "avx512bw", "avx512vl", "avx512dq"]

  /// The `flags` of /proc/cpuinfo (Linux), empty elsewhere.
  static func cpuFlags() -> Set<String> {
    guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
      let line = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
    else { return [] }
    return Set(line.split(separator: " ").map(String.init))
  }
}
