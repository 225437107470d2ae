import CQuantKernels

/// Fused causal scaled-dot-product attention with grouped-query heads (GQA): the reference, and
/// the path of KV-cached inference. Training and cache-free scoring in Float32 use the faster
/// `causalSelfAttention` (checked against this function in Float64).
///
/// Legend: B batch, H query heads, G = H / Hkv query heads per key/value head, T query length,
/// S key length, D head dim.
///   q (B, H, T, D), k and v (B, Hkv, S, D) → out (B, H, T, D).
/// Query i sits at absolute position `queryOffset + i` (default S − T, i.e. the queries are the
/// last T keys, as in a prefill or a KV-cached decode step) and attends keys j with
/// `keyStart[b] ≤ j ≤ queryOffset + i`; `keyStart` masks left padding. A query with no visible
/// key outputs zeros. `keyLength` (inference with a preallocated KV cache) uses only the first
/// `keyLength` of the k/v rows: k and v are then (B, Hkv, capacity, D) and S = keyLength.
///
/// `halfPrecisionProbabilities` rounds P to binary16 before P·V, as llama.cpp's non-flash
/// attention does when it multiplies an F16 V cache by P converted to V's type (inference only).
///
/// Per (b, h) the forward is two GEMMs around a masked row softmax:
///   P = softmax(scale · Q Kᵀ + mask)   (T, S),   O = P V   (T, D).
/// The backward reuses the saved P:
///   dP = dO Vᵀ,  dS = P ⊙ (dP − rowsum(dP ⊙ P)),  dQ = scale · dS K,
///   dK += scale · dSᵀ Q,  dV += Pᵀ dO   (summed over the G heads sharing a key/value head).
public func causalAttention(
  q: Tensor, k: Tensor, v: Tensor, queryOffset: Int? = nil, keyStart: [Int]? = nil, keyLength: Int? = nil,
  scale: Double? = nil, halfPrecisionProbabilities: Bool = false
) -> Tensor {
  precondition(
    q.rank == 4 && k.rank == 4 && v.rank == 4,
    "attention: q \(q.shape), k \(k.shape), v \(v.shape) must be rank 4")
  let (b, h, t, d) = (q.shape[0], q.shape[1], q.shape[2], q.shape[3])
  let (hkv, cap) = (k.shape[1], k.shape[2])
  let s = keyLength ?? cap
  precondition(s >= 0 && s <= cap, "attention: keyLength \(s) outside 0...\(cap)")
  precondition(k.shape == v.shape, "attention: k \(k.shape) and v \(v.shape) differ")
  precondition(
    k.shape[0] == b && k.shape[3] == d,
    "attention: q \(q.shape) and k \(k.shape) disagree on batch or head dim")
  precondition(
    hkv > 0 && h % hkv == 0, "attention: \(h) query heads are not a multiple of \(hkv) key/value heads")
  precondition(q.dtype == k.dtype && k.dtype == v.dtype, "attention: dtypes differ")
  let offset = queryOffset ?? (s - t)
  let starts = keyStart ?? [Int](repeating: 0, count: b)
  precondition(starts.count == b, "attention: \(starts.count) keyStart values for batch \(b)")
  let group = h / hkv
  let sc = scale ?? 1 / Double(d).squareRoot()
  let out = Tensor.empty([b, h, t, d], q.dtype)
  let probs = Tensor.empty([b, h, t, s], q.dtype)  // P, saved for backward

  func forward<S: TensorScalar>(_: S.Type) {
    let (pq, pk, pv, po, pp) = (
      q.pointer(S.self), k.pointer(S.self), v.pointer(S.self), out.pointer(S.self), probs.pointer(S.self)
    )
    if t == 1 && s > 0 && S.self == Float.self {
      // A decode step: inline matrix-vector work instead of two BLAS calls per head (see
      // `SingleQueryAttention`), heads split over the row-parallel pool when there is enough work.
      func f(_ p: UnsafeMutablePointer<S>) -> UnsafeMutablePointer<Float> {
        UnsafeMutableRawPointer(p).assumingMemoryBound(to: Float.self)
      }
      let (fq, fk, fv, fo, fp) = (f(pq), f(pk), f(pv), f(po), f(pp))
      if !halfPrecisionProbabilities {
        // The same arithmetic in C on AVX2 where the CPU has it, bit for bit (DecodeAttentionTests),
        // two heads of a sequence per chunk so that their sums interleave.
        let pairs = (h + 1) / 2
        RowParallel.run(chunks: b * pairs, threads: b * h * s * d >= 1 << 15 ? 2 : 1) { c in
          let (bi, first) = (c / pairs, 2 * (c % pairs))
          let (lo, last) = (max(starts[bi], 0), min(offset, s - 1))
          let row = bi * h + first
          rc_decode_attention_heads(
            fq + row * d, fk + bi * hkv * cap * d, fv + bi * hkv * cap * d, first, min(2, h - first), group,
            cap,
            d, s, lo, last, Float(sc), fp + row * s, fo + row * d, 1)
        }
        return
      }
      RowParallel.run(chunks: b * h, threads: b * h * s * d >= 1 << 15 ? 2 : 1) { c in
        let (bi, hi) = (c / h, c % h)
        let ko = ((bi * hkv + hi / group) * cap) * d
        let (lo, last) = (max(starts[bi], 0), min(offset, s - 1))
        SingleQueryAttention.run(
          q: fq + c * d, keys: fk + ko, values: fv + ko, dim: d, keyCount: s,
          visible: last >= lo ? lo...last : nil, scale: Float(sc),
          roundProbabilities: true,
          probabilities: fp + c * s, out: fo + c * d)
      }
      return
    }
    for bi in 0..<b {
      for hi in 0..<h {
        let qo = ((bi * h + hi) * t) * d
        let ko = ((bi * hkv + hi / group) * cap) * d
        let po2 = ((bi * h + hi) * t) * s
        let P = pp + po2
        if t == 0 || s == 0 { continue }
        S.gemm(
          transA: false, transB: true, m: t, n: s, k: d, alpha: S(sc), a: pq + qo, lda: d, b: pk + ko, ldb: d,
          beta: 0, c: P, ldc: s)
        for i in 0..<t {
          let row = P + i * s
          let lo = max(starts[bi], 0)
          let hi2 = min(offset + i, s - 1)
          if hi2 < lo {
            row.update(repeating: 0, count: s)
            continue
          }
          var m = -S.infinity
          for j in lo...hi2 where row[j] > m { m = row[j] }
          var sum: S = 0
          for j in lo...hi2 {
            let e = S.exp(row[j] - m)
            row[j] = e
            sum += e
          }
          let inv = 1 / sum
          for j in 0..<lo { row[j] = 0 }
          for j in lo...hi2 { row[j] *= inv }
          if halfPrecisionProbabilities && S.self == Float.self {
            Half.roundInPlace(
              UnsafeMutableRawPointer(row + lo).assumingMemoryBound(to: Float.self), count: hi2 - lo + 1)
          }
          if hi2 + 1 < s { for j in (hi2 + 1)..<s { row[j] = 0 } }
        }
        S.gemm(
          transA: false, transB: false, m: t, n: d, k: s, alpha: 1, a: P, lda: s, b: pv + ko, ldb: d, beta: 0,
          c: po + qo, ldc: d)
      }
    }
  }
  switch q.dtype {
  case .float32: forward(Float.self)
  case .float64: forward(Double.self)
  }

  return Tensor.record(out, "attention", [q, k, v]) { g in
    let dq = Tensor.empty(q.shape, q.dtype)
    let dk = Tensor(zeros: k.shape, dtype: k.dtype)
    let dv = Tensor(zeros: v.shape, dtype: v.dtype)
    func backward<S: TensorScalar>(_: S.Type) {
      let (pq, pk, pv, pg, pp) = (
        q.pointer(S.self), k.pointer(S.self), v.pointer(S.self), g.pointer(S.self), probs.pointer(S.self)
      )
      let (pdq, pdk, pdv) = (dq.pointer(S.self), dk.pointer(S.self), dv.pointer(S.self))
      let dS = UnsafeMutablePointer<S>.allocate(capacity: max(t * s, 1))
      defer { dS.deallocate() }
      for bi in 0..<b {
        for hi in 0..<h {
          let qo = ((bi * h + hi) * t) * d
          let ko = ((bi * hkv + hi / group) * cap) * d
          let P = pp + ((bi * h + hi) * t) * s
          if t == 0 || s == 0 { continue }
          // dV += Pᵀ dO        (S, D)
          S.gemm(
            transA: true, transB: false, m: s, n: d, k: t, alpha: 1, a: P, lda: s, b: pg + qo, ldb: d,
            beta: 1, c: pdv + ko, ldc: d)
          // dP = dO Vᵀ         (T, S)
          S.gemm(
            transA: false, transB: true, m: t, n: s, k: d, alpha: 1, a: pg + qo, lda: d, b: pv + ko, ldb: d,
            beta: 0, c: dS, ldc: s)
          // dS = P ⊙ (dP − rowsum(dP ⊙ P))
          for i in 0..<t {
            let (pr, dr) = (P + i * s, dS + i * s)
            var dot: S = 0
            for j in 0..<s { dot += pr[j] * dr[j] }
            for j in 0..<s { dr[j] = pr[j] * (dr[j] - dot) }
          }
          // dQ = scale · dS K   (T, D)
          S.gemm(
            transA: false, transB: false, m: t, n: d, k: s, alpha: S(sc), a: dS, lda: s, b: pk + ko, ldb: d,
            beta: 0, c: pdq + qo, ldc: d)
          // dK += scale · dSᵀ Q  (S, D)
          S.gemm(
            transA: true, transB: false, m: s, n: d, k: t, alpha: S(sc), a: dS, lda: s, b: pq + qo, ldb: d,
            beta: 1, c: pdk + ko, ldc: d)
        }
      }
    }
    switch q.dtype {
    case .float32: backward(Float.self)
    case .float64: backward(Double.self)
    }
    return [dq, dk, dv]
  }
}
