/// Which code runs the Float32 elementwise layers (SwiGLU, RMSNorm, RoPE). Every public op uses
/// `.c` (CQuantKernels' Elementwise.c, AVX2 where the CPU has it); `.swift` — the generic loops that
/// also serve Float64 — and `.portableC` exist so that ElementwiseKernelTests can hold the C copies to the
/// Swift arithmetic bit for bit.
enum ElementwiseKernel {
  case swift, portableC, c

  /// The C kernels' `simd` argument for `dtype`, or nil where the Swift loop runs (Float64, `.swift`).
  func simd(_ dtype: DType) -> Int32? {
    guard dtype == .float32 else { return nil }
    switch self {
    case .swift: return nil
    case .portableC: return 0
    case .c: return 1
    }
  }
}
