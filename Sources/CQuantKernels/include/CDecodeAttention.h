// One sequence's query heads attending over their cached keys (a KV-cached decode step, T = 1),
// Float32, with the exact arithmetic of TensorCore's Swift `SingleQueryAttention.run` (see
// DecodeAttention.c).
#ifndef CDECODEATTENTION_H
#define CDECODEATTENTION_H

#ifdef __cplusplus
extern "C" {
#endif

/// Query heads first…first+heads−1 of one sequence, q (heads, dim), over its cached keys and values:
/// head h reads the (cap, dim) rows at k/v + (h / group)·cap·dim (grouped-query attention; k and v
/// point at the sequence's first key/value head) and sees keys
/// lo ≤ j ≤ hi (hi < lo: none). Writes p (heads, s): softmax(scale · q·k_j) on the visible keys, 0
/// elsewhere; and out (heads, dim) = Σ_j p_j v_j. simd caps the code path: 0 portable C, ≥ 1 AVX2
/// where the CPU has it (the same bits either way).
void rc_decode_attention_heads(const float *q, const float *k, const float *v, long first, long heads, long group,
                               long cap, long dim, long s, long lo, long hi, float scale, float *p, float *out,
                               int simd);

#ifdef __cplusplus
}
#endif

#endif
