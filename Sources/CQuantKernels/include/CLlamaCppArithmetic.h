// llama.cpp's CPU arithmetic for the operations of a LLaMA-family forward pass other than the
// quantized matmuls (those are in CQuantKernels.h): RMSNorm, SwiGLU, RoPE and attention over an
// F16 KV cache, each reproducing ggml's rounding steps and summation order exactly (x86 with
// AVX2, FMA and F16C, as llama.cpp builds by default). Used by TensorCore's `LlamaCppOps` for
// `Transformer(quantized:)`, so a GGUF model evaluates to llama.cpp's logits bit for bit.
#ifndef CLLAMACPPARITHMETIC_H
#define CLLAMACPPARITHMETIC_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// 1 when this CPU has AVX2, FMA and F16C; the functions below must not be called otherwise.
int rg_available(void);

/// y = x / sqrt(mean(x²) + eps) ⊙ w per row of d values (ggml rms_norm then mul).
void rg_rms_norm(const float *x, const float *w, long rows, long d, float eps, float *y);

/// y = silu(gate) ⊙ up per row of n values, with ggml's vectorised exp (ggml_vec_swiglu_f32).
void rg_swiglu(const float *gate, const float *up, long rows, long n, float *y);

/// Rotary embedding of x (rows, heads, d) in the rotate-half layout, one position per row, as
/// ggml_rope (mode 0) computes it on the GGUF-permuted layout. y may equal x.
void rg_rope(const float *x, float *y, long rows, long heads, long d, const long *positions, float base);

/// Causal attention of `t` query rows per (batch, head) over `keys` cached rows.
typedef struct {
  const float *q;         ///< (batch, heads, t, d) rotated queries
  const float *k, *v;     ///< (batch, kvHeads, cap, d) cached keys and values
  float *out;             ///< (batch, heads, t, d)
  const long *keyStart;   ///< per batch row, the first non-padding key
  long heads, kvHeads, t, d, cap, keys, offset;  ///< query i sees keys keyStart…offset+i
  float scale;
} rg_attention_args;

/// One (batch row, head) = `chunk` (b·heads + h) of the attention: KQ with Q converted to F16,
/// scale, causal mask, ggml's softmax, P converted to F16, P·V, in ggml's summation orders.
void rg_attention(const rg_attention_args *args, long chunk);

#ifdef __cplusplus
}
#endif

#endif
