import CQuantKernels

/// Causal self-attention over the layout the projections produce, for training and full-sequence
/// scoring (no KV cache):
///   q (B, T, H, D), k and v (B, T, Hkv, D) → out (B, T, H, D),
/// query i attending keys j with keyStart[b] ≤ j ≤ i (keyStart masks left padding; a query with no
/// visible key outputs zeros). H must be a multiple of Hkv (grouped-query attention).
///
/// Float32 runs the fused kernels of `CQuantKernels/CausalAttention.c`: only the causal triangle of
/// the T×T products is computed, (batch, head) pairs are split over the cores, and q/k/v are read
/// in place. Why: the reference below (two and four small BLAS products per (b, h) on full T×T
/// matrices, on one thread, plus the transposes around it) took about a quarter of a training
/// step of `recheck bench train`. Float64 — what the gradient checks run in — goes through that
/// reference, `causalAttention`, between transposes; `CausalSelfAttentionTests` checks the Float32
/// kernels' values and gradients against it.
public func causalSelfAttention(q: Tensor, k: Tensor, v: Tensor, keyStart: [Int]? = nil, scale: Double? = nil)
  -> Tensor
{
  causalSelfAttention(q: q, k: k, v: v, keyStart: keyStart, scale: scale, simd: 2)
}

/// `simd` caps the kernels: 0 portable, 1 AVX2, 2 AVX-512 (tests: all give the same bits).
func causalSelfAttention(q: Tensor, k: Tensor, v: Tensor, keyStart: [Int]?, scale: Double?, simd: Int)
  -> Tensor
{
  precondition(
    q.rank == 4 && k.rank == 4 && v.rank == 4,
    "self-attention: q \(q.shape), k \(k.shape), v \(v.shape) must be rank 4 (B, T, H, D)")
  let (b, t, h, d) = (q.shape[0], q.shape[1], q.shape[2], q.shape[3])
  let hkv = k.shape[2]
  precondition(k.shape == v.shape, "self-attention: k \(k.shape) and v \(v.shape) differ")
  precondition(
    k.shape[0] == b && k.shape[1] == t && k.shape[3] == d,
    "self-attention: q \(q.shape) and k \(k.shape) disagree on batch, length or head dim")
  precondition(
    hkv > 0 && h % hkv == 0, "self-attention: \(h) query heads are not a multiple of \(hkv) key/value heads")
  precondition(q.dtype == k.dtype && k.dtype == v.dtype, "self-attention: dtypes differ")
  let starts = keyStart ?? [Int](repeating: 0, count: b)
  precondition(starts.count == b, "self-attention: \(starts.count) keyStart values for batch \(b)")
  let sc = scale ?? 1 / Double(d).squareRoot()
  guard q.dtype == .float32, b * t * h * d > 0 else {
    let out = causalAttention(
      q: q.transposed(1, 2), k: k.transposed(1, 2), v: v.transposed(1, 2), keyStart: starts, scale: sc)
    return out.transposed(1, 2)  // (B, H, T, D) → (B, T, H, D)
  }
  let out = Tensor.empty(q.shape, .float32)
  // Per query row: the maximum scaled score and 1/Σ exp, kept for the backward, which recomputes
  // the probabilities from them (one more Q·Kᵀ product) rather than keeping (B, H, T, T) per layer:
  // 0.28 GB for SmolLM2-135M at B1 T512, 1.1 GB at B4, alive from forward to backward.
  let stats = Tensor.empty([b, h, t, 2], .float32)
  func call(
    _ run: (UnsafePointer<rc_attention_args>, Int, Int) -> Void, pairs: Int, grad: Tensor? = nil,
    dq: Tensor? = nil, dk: Tensor? = nil, dv: Tensor? = nil
  ) {
    starts.withUnsafeBufferPointer { ks in
      var args = rc_attention_args(
        q: UnsafePointer(q.pointer(Float.self)), k: UnsafePointer(k.pointer(Float.self)),
        v: UnsafePointer(v.pointer(Float.self)), stats: stats.pointer(Float.self),
        out: out.pointer(Float.self),
        grad_out: grad.map { UnsafePointer($0.pointer(Float.self)) },
        dq: dq?.pointer(Float.self), dk: dk?.pointer(Float.self), dv: dv?.pointer(Float.self),
        key_start: ks.baseAddress, batch: b, t: t, s: t, heads: h, kv_heads: hkv, dim: d, query_offset: 0,
        scale: Float(sc))
      withUnsafePointer(to: &args) { a in
        // Up to four ranges of pairs per thread, claimed as threads free up (padding makes some
        // pairs cheaper); each pair's values do not depend on the split.
        let threads = pairs * t * t * d >= 1 << 16 ? min(BLAS.threads, pairs) : 1
        let chunks = min(pairs, threads * 4)
        RowParallel.run(chunks: chunks, threads: threads) { c in
          run(a, pairs * c / chunks, pairs * (c + 1) / chunks)
        }
      }
    }
  }
  call({ rc_attention_forward($0, $1, $2, Int32(simd)) }, pairs: b * h)
  return Tensor.record(out, "self_attention", [q, k, v]) { g in
    let dq = Tensor.empty(q.shape, .float32)
    let dk = Tensor(zeros: k.shape, dtype: .float32)
    let dv = Tensor(zeros: v.shape, dtype: .float32)
    call({ rc_attention_backward($0, $1, $2, Int32(simd)) }, pairs: b * hkv, grad: g, dq: dq, dk: dk, dv: dv)
    return [dq, dk, dv]
  }
}

/// The kernels `causalSelfAttention` runs on this CPU: 2 AVX-512, 1 AVX2/FMA, 0 portable.
var causalSelfAttentionSIMDLevel: Int { Int(rc_attention_simd_available()) }
