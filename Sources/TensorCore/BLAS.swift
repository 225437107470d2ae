import Foundation

/// Matrix products through OpenBLAS, loaded at run time with `dlopen`.
///
/// Why not link it: OpenBLAS picks its kernels once, when the library loads, from the CPU's
/// identity. Debian's build (0.3.21) does not recognise the virtual CPUs these machines report
/// and falls back to its SSE3 "Prescott" kernels, 3–5× slower than the AVX2/AVX-512 ones the CPU
/// supports. Loading it ourselves lets us choose first: unless the process already names a core
/// (`OPENBLAS_CORETYPE`, which we then leave alone), we name the best core family that the CPU's
/// flags in /proc/cpuinfo support. `BLASTests` checks the chosen kernels against a plain loop.
/// Without OpenBLAS (not installed), products fall back to the portable kernel (`PortableGemm`).
public enum BLAS {
  typealias SGEMM =
    @convention(c) (
      Int32, Int32, Int32, Int32, Int32, Int32, Float, UnsafePointer<Float>?, Int32,
      UnsafePointer<Float>?, Int32, Float, UnsafeMutablePointer<Float>?, Int32
    ) -> Void
  typealias DGEMM =
    @convention(c) (
      Int32, Int32, Int32, Int32, Int32, Int32, Double, UnsafePointer<Double>?, Int32,
      UnsafePointer<Double>?, Int32, Double, UnsafeMutablePointer<Double>?, Int32
    ) -> Void
  typealias SGEMV =
    @convention(c) (
      Int32, Int32, Int32, Int32, Float, UnsafePointer<Float>?, Int32, UnsafePointer<Float>?, Int32, Float,
      UnsafeMutablePointer<Float>?, Int32
    ) -> Void
  typealias SetThreads = @convention(c) (Int32) -> Void
  typealias GetCore = @convention(c) () -> UnsafeMutablePointer<CChar>?

  struct Library: @unchecked Sendable {
    let sgemm: SGEMM
    let dgemm: DGEMM
    /// `cblas_sgemv`, for products with one row (decoding): OpenBLAS's sgemm packs the whole
    /// weight matrix even when A has a single row, doubling the memory traffic of a matrix-vector
    /// product.
    let sgemv: SGEMV?
    let core: String
  }

  static let library: Library? = {
    if getenv("OPENBLAS_CORETYPE") == nil, let core = preferredCore() {
      setenv("OPENBLAS_CORETYPE", core, 0)
    }
    for name in ["libopenblas.so.0", "libopenblas.so", "libopenblas.dylib"] {
      guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else { continue }
      guard let s = dlsym(handle, "cblas_sgemm"), let d = dlsym(handle, "cblas_dgemm") else { continue }
      let coreName = dlsym(handle, "openblas_get_corename").map { unsafeBitCast($0, to: GetCore.self) }
      let core = coreName.flatMap { $0() }.map { String(cString: $0) } ?? "unknown"
      let gemv = dlsym(handle, "cblas_sgemv").map { unsafeBitCast($0, to: SGEMV.self) }
      // One thread per call: products are spread over cores by `split`, on the pool the
      // elementwise loops use, instead of by OpenBLAS's own threads (see `split`).
      dlsym(handle, "openblas_set_num_threads").map { unsafeBitCast($0, to: SetThreads.self)(1) }
      return Library(
        sgemm: unsafeBitCast(s, to: SGEMM.self), dgemm: unsafeBitCast(d, to: DGEMM.self), sgemv: gemv,
        core: core)
    }
    return nil
  }()

  /// The OpenBLAS core family to request, from the CPU flags (Linux), or nil to let it decide.
  static func preferredCore() -> String? {
    let flags = KernelReport.cpuFlags()
    guard !flags.isEmpty else { return nil }
    if KernelReport.avx512Flags.allSatisfy(flags.contains) { return "SkylakeX" }
    if ["avx2", "fma"].allSatisfy(flags.contains) { return "Haswell" }
    return nil
  }

  /// Set by `usePortableKernels`: products run on the portable Swift kernel even when OpenBLAS
  /// loaded. Set once, before any work (a flag read by every product, never changed mid-product).
  nonisolated(unsafe) static var portableRequested = false

  /// The OpenBLAS that products call: nil when it is absent or portable kernels were requested.
  static var active: Library? { portableRequested ? nil : library }

  /// Runs every later matrix product of this process on the portable Swift kernel instead of
  /// OpenBLAS (`false` goes back). Its sums run in a different order, so a result that holds under
  /// both kernels does not hinge on float rounding; its products take 1–2× OpenBLAS's time with
  /// AVX2/AVX-512 tiles (`PortableGemm`), several times that without.
  public static func usePortableKernels(_ on: Bool = true) { portableRequested = on }

  /// Whether `usePortableKernels` is in force (a benchmark that switches kernels restores it).
  public static var portableKernelsRequested: Bool { portableRequested }

  /// What runs matrix products, e.g. "OpenBLAS (SkylakeX)" or "Swift fallback kernel".
  public static var backend: String {
    if portableRequested { return "Swift fallback kernel (portable kernels requested)" }
    return library.map { "OpenBLAS (\($0.core))" } ?? "Swift fallback kernel (OpenBLAS not found)"
  }

  /// Threads one product is split over (`BLASThreads.set`): every core by default, at most 16.
  nonisolated(unsafe) static var threads = min(ProcessInfo.processInfo.activeProcessorCount, 16)

  public static func setThreads(_ n: Int) { threads = min(max(1, n), 16) }

  /// Least multiply-adds per part: below this a hand-off to the pool costs more than it saves.
  static let minimumWorkPerPart = 1 << 19

  /// Runs the row-major product C (m×n) = op(A)·op(B) as up to `threads` single-threaded products
  /// over bands of C's rows (or of its columns, when C is wider than tall) on the row-parallel pool.
  /// body(m, n, a, b, c) computes one band, given its size and operands offset to it.
  ///
  /// Why not OpenBLAS's threads: between products they spin in sched_yield for a long while, and
  /// on a 2-core machine they then compete with the pool threads running a training step's
  /// elementwise ops and attention. Measured on 2 cores, alternating processes: products alone at
  /// a training step's shapes (4096×128·128×512 and its backward) take the same time (±10 %), a
  /// LLaMA block's forward+backward 19.1–23.7 ms vs 21.5–25.6 ms, a `recheck bench train` step
  /// 262–329 ms vs 276–437 ms.
  static func split<S>(
    transA: Bool, transB: Bool, m: Int, n: Int, k: Int, a: UnsafePointer<S>, lda: Int, b: UnsafePointer<S>,
    ldb: Int, c: UnsafeMutablePointer<S>, ldc: Int,
    _ body: (Int, Int, UnsafePointer<S>, UnsafePointer<S>, UnsafeMutablePointer<S>) -> Void
  ) {
    let byRows = m >= n
    let parts = min(threads, max(1, m * n * max(k, 1) / minimumWorkPerPart), byRows ? m : n)
    if parts <= 1 {
      body(m, n, a, b, c)
      return
    }
    RowParallel.run(chunks: parts, threads: parts) { part in
      if byRows {
        let (i0, i1) = (m * part / parts, m * (part + 1) / parts)
        body(i1 - i0, n, transA ? a + i0 : a + i0 * lda, b, c + i0 * ldc)
      } else {
        let (j0, j1) = (n * part / parts, n * (part + 1) / parts)
        body(m, j1 - j0, a, transB ? b + j0 * ldb : b + j0, c + j0)
      }
    }
  }

  static let rowMajor: Int32 = 101
  static func flag(_ t: Bool) -> Int32 { t ? 112 : 111 }
}

/// Threads one matrix product is split over (default: every core, at most 16).
public enum BLASThreads {
  public static func set(_ n: Int) { BLAS.setThreads(n) }
}

/// Row-major C = alpha·op(A)·op(B) + beta·C as a plain loop: the portable Float64 product (used
/// when OpenBLAS is absent or bypassed; Float64 runs only in gradient checks, so it stays simple).
/// Float32 runs `PortableGemm`.
func fallbackGemm<S: TensorScalar>(
  transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: S, a: UnsafePointer<S>, lda: Int,
  b: UnsafePointer<S>, ldb: Int, beta: S, c: UnsafeMutablePointer<S>, ldc: Int
) {
  var row = [S](repeating: 0, count: n)
  for i in 0..<m {
    for j in 0..<n { row[j] = 0 }
    for p in 0..<k {
      let aip = transA ? a[p * lda + i] : a[i * lda + p]
      if aip == 0 { continue }
      if transB {
        for j in 0..<n { row[j] += aip * b[j * ldb + p] }
      } else {
        let bp = b + p * ldb
        for j in 0..<n { row[j] += aip * bp[j] }
      }
    }
    for j in 0..<n { c[i * ldc + j] = alpha * row[j] + (beta == 0 ? 0 : beta * c[i * ldc + j]) }
  }
}
