import Foundation

/// Element type of a tensor. Float32 is the working type; Float64 exists so that every
/// differentiable op can be checked against central finite differences without round-off noise.
public enum DType: String, Sendable, Codable {
  case float32
  case float64

  public var byteSize: Int { self == .float32 ? 4 : 8 }
}

/// The scalar types a tensor can hold. Kernels are written once, generic over this protocol, and
/// specialised by the optimiser for `Float` and `Double` (whole-module optimisation).
public protocol TensorScalar: BinaryFloatingPoint, Sendable {
  static var dtype: DType { get }
  static func exp(_ x: Self) -> Self
  static func log(_ x: Self) -> Self
  static func sin(_ x: Self) -> Self
  static func cos(_ x: Self) -> Self
  /// Row-major GEMM: C = alpha · op(A) · op(B) + beta · C, op = transpose when the flag is set.
  static func gemm(
    transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Self,
    a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
    beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
}

extension Float: TensorScalar {
  public static var dtype: DType { .float32 }
  @inline(__always) public static func exp(_ x: Float) -> Float { Foundation.expf(x) }
  @inline(__always) public static func log(_ x: Float) -> Float { Foundation.logf(x) }
  @inline(__always) public static func sin(_ x: Float) -> Float { Foundation.sinf(x) }
  @inline(__always) public static func cos(_ x: Float) -> Float { Foundation.cosf(x) }
  public static func gemm(
    transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    BLAS.split(
      transA: transA, transB: transB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc
    ) { m, n, a, b, c in
      serialGemm(
        transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
        beta: beta,
        c: c, ldc: ldc)
    }
  }

  /// One single-threaded product (OpenBLAS runs with one thread; `BLAS.split` spreads products).
  static func serialGemm(
    transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    guard let lib = BLAS.active else {
      return PortableGemm.sgemm(
        transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
        beta: beta, c: c, ldc: ldc)
    }
    if m == 1, n > 1, let gemv = lib.sgemv {
      // c (1×N) = alpha·a·op(B) + beta·c as a matrix-vector product over B's rows as stored:
      // op(B) = Bᵀ (B is N×K): y = B·a; op(B) = B (K×N): y = Bᵀ·a. a's K values are strided by
      // lda when transposed (A stored K×1).
      let incX = Int32(transA ? lda : 1)
      if transB {
        gemv(BLAS.rowMajor, BLAS.flag(false), Int32(n), Int32(k), alpha, b, Int32(ldb), a, incX, beta, c, 1)
      } else {
        gemv(BLAS.rowMajor, BLAS.flag(true), Int32(k), Int32(n), alpha, b, Int32(ldb), a, incX, beta, c, 1)
      }
      return
    }
    lib.sgemm(
      BLAS.rowMajor, BLAS.flag(transA), BLAS.flag(transB), Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda),
      b,
      Int32(ldb), beta, c, Int32(ldc))
  }
}

extension Double: TensorScalar {
  public static var dtype: DType { .float64 }
  @inline(__always) public static func exp(_ x: Double) -> Double { Foundation.exp(x) }
  @inline(__always) public static func log(_ x: Double) -> Double { Foundation.log(x) }
  @inline(__always) public static func sin(_ x: Double) -> Double { Foundation.sin(x) }
  @inline(__always) public static func cos(_ x: Double) -> Double { Foundation.cos(x) }
  public static func gemm(
    transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double,
    a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
    beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
  ) {
    BLAS.split(
      transA: transA, transB: transB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc
    ) { m, n, a, b, c in
      guard let lib = BLAS.active else {
        return fallbackGemm(
          transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
          beta: beta, c: c, ldc: ldc)
      }
      lib.dgemm(
        BLAS.rowMajor, BLAS.flag(transA), BLAS.flag(transB), Int32(m), Int32(n), Int32(k), alpha, a,
        Int32(lda),
        b, Int32(ldb), beta, c, Int32(ldc))
    }
  }
}
