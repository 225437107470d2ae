/// Matrix products through BLAS GEMM (OpenBLAS). Operands may be transposed without
/// materialising the transpose (GEMM's transpose flags), which is how backward passes avoid
/// copies. A rank-2 right operand is shared across the left operand's leading (batch) dims, which
/// are folded into M so that a linear layer over (B, T, K) is one GEMM call.
func gemmForward(_ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool) -> Tensor {
  precondition(a.dtype == b.dtype, "matmul dtype mismatch: \(a.dtype) \(a.shape) vs \(b.dtype) \(b.shape)")
  let (batch, m, k, n) = Shape.matmul(a.shape, b.shape, transposeA: transposeA, transposeB: transposeB)
    .orFail()
  let out = Tensor.empty(batch + [m, n], a.dtype)
  let lda = a.shape[a.rank - 1]
  let ldb = b.shape[b.rank - 1]
  func kernel<S: TensorScalar>(_: S.Type) {
    let (pa, pb, pc) = (a.pointer(S.self), b.pointer(S.self), out.pointer(S.self))
    if b.rank == 2 {
      // Fold batch into M (transposeA with batch is rejected by the shape check).
      let rows = Shape.count(batch) * m
      if rows == 0 || n == 0 { return }
      if k == 0 {
        pc.update(repeating: 0, count: rows * n)
        return
      }
      S.gemm(
        transA: transposeA, transB: transposeB, m: rows, n: n, k: k, alpha: 1,
        a: pa, lda: lda, b: pb, ldb: ldb, beta: 0, c: pc, ldc: n)
    } else {
      let count = Shape.count(batch)
      let (sa, sb, sc) = (m * k, k * n, m * n)
      if m == 0 || n == 0 { return }
      for i in 0..<count {
        if k == 0 {
          (pc + i * sc).update(repeating: 0, count: sc)
          continue
        }
        S.gemm(
          transA: transposeA, transB: transposeB, m: m, n: n, k: k, alpha: 1,
          a: pa + i * sa, lda: lda, b: pb + i * sb, ldb: ldb, beta: 0, c: pc + i * sc, ldc: n)
      }
    }
  }
  switch a.dtype {
  case .float32: kernel(Float.self)
  case .float64: kernel(Double.self)
  }
  return out
}

extension Tensor {
  /// op(self) · op(b), op = transpose of the last two axes when the flag is set.
  /// Shapes: (…, M, K) · (K, N) → (…, M, N), or batched (…, M, K) · (…, K, N) with equal batch
  /// dims. A `Linear` with Hugging Face's (out, in) weight is `x.matmul(w, transposeB: true)`.
  public func matmul(_ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
    let a = self
    let out = gemmForward(a, b, transposeA: transposeA, transposeB: transposeB)
    return Tensor.record(out, "matmul", [a, b]) { g in
      // Y = op(A)·op(B). For the shared (rank-2) B, fold the batch of A and G into rows first.
      let shared = b.rank == 2 && a.rank > 2
      let a2 = shared ? a.reshaped([Shape.count(Array(a.shape.dropLast())), a.shape.last!]) : a
      let g2 = shared ? g.reshaped([Shape.count(Array(g.shape.dropLast())), g.shape.last!]) : g
      let ga: Tensor
      let gb: Tensor
      switch (transposeA, transposeB) {
      case (false, false):  // dA = G·Bᵀ, dB = Aᵀ·G
        ga = gemmForward(g, b, transposeA: false, transposeB: true)
        gb = gemmForward(a2, g2, transposeA: true, transposeB: false)
      case (false, true):  // Y = A·Bᵀ: dA = G·B, dB = Gᵀ·A
        ga = gemmForward(g, b, transposeA: false, transposeB: false)
        gb = gemmForward(g2, a2, transposeA: true, transposeB: false)
      case (true, false):  // Y = Aᵀ·B: dA = B·Gᵀ, dB = A·G
        ga = gemmForward(b, g, transposeA: false, transposeB: true)
        gb = gemmForward(a, g, transposeA: false, transposeB: false)
      case (true, true):  // Y = Aᵀ·Bᵀ: dA = Bᵀ·Gᵀ, dB = Gᵀ·Aᵀ
        ga = gemmForward(b, g, transposeA: true, transposeB: true)
        gb = gemmForward(g, a, transposeA: true, transposeB: true)
      }
      return [ga, gb]
    }
  }
}
