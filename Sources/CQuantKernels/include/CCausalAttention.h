// Fused causal self-attention for training (Float32), forward and backward, over the layout the
// projections produce: q (B, T, H, D), k and v (B, S, Hkv, D) row-major, out (B, T, H, D). Used by
// TensorCore's `causalSelfAttention`; see CausalAttention.c for the why and the summation orders.
#ifndef CCAUSALATTENTION_H
#define CCAUSALATTENTION_H

#ifdef __cplusplus
extern "C" {
#endif

/// One attention call. Query i of sequence b sits at position `query_offset + i` and sees keys
/// key_start[b] ≤ j ≤ query_offset + i (j < s); a query that sees no key outputs zeros.
typedef struct {
  const float *q;         ///< (batch, t, heads, dim)
  const float *k;         ///< (batch, s, kv_heads, dim)
  const float *v;         ///< (batch, s, kv_heads, dim)
  float *stats;           ///< (batch, heads, t, 2) per query row: maximum scaled score and 1/Σ exp;
                          ///< written by forward, read by backward (which recomputes the probabilities)
  float *out;             ///< forward: (batch, t, heads, dim) output
  const float *grad_out;  ///< backward: (batch, t, heads, dim) ∂L/∂out
  float *dq;              ///< backward: (batch, t, heads, dim), overwritten
  float *dk;              ///< backward: (batch, s, kv_heads, dim), accumulated into (caller zeroes it)
  float *dv;              ///< backward: (batch, s, kv_heads, dim), accumulated into (caller zeroes it)
  const long *key_start;  ///< batch values: first visible key per sequence (left padding)
  long batch, t, s, heads, kv_heads, dim, query_offset;
  float scale;            ///< applied to q·k before the softmax
} rc_attention_args;

/// The widest kernels this CPU runs: 2 AVX-512, 1 AVX2/FMA, 0 only the portable ones (all give the
/// same bits).
int rc_attention_simd_available(void);

/// Forward for the (b, h) pairs p in [pair0, pair1), p = b·heads + h: writes stats and out.
/// simd caps the kernels used: 0 portable, 1 at most AVX2, 2 at most AVX-512 (tests compare them bit for bit).
void rc_attention_forward(const rc_attention_args *a, long pair0, long pair1, int simd);

/// Backward for the (b, kv head) pairs p in [pair0, pair1), p = b·kv_heads + g (all query heads of
/// a key/value head run in one call, so dk/dv rows have one writer): dq, dk += , dv += .
void rc_attention_backward(const rc_attention_args *a, long pair0, long pair1, int simd);

#ifdef __cplusplus
}
#endif

#endif
