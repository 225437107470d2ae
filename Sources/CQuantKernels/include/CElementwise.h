// The elementwise layers of a training step — SwiGLU, RMSNorm, RoPE — in Float32, with exactly the
// arithmetic of TensorCore's Swift `swiglu`, `rmsNorm` and `rope` (see Elementwise.c).
#ifndef CELEMENTWISE_H
#define CELEMENTWISE_H

#ifdef __cplusplus
extern "C" {
#endif

/// out_i = g_i / (1 + e^(−g_i)) · u_i for i < n; den (may be null) keeps 1 + e^(−g_i) for the backward.
/// simd caps the code path: 0 portable C, ≥ 1 AVX2 where the CPU has it (the same bits either way);
/// so for every function here.
void rc_swiglu_forward(const float *g, const float *u, float *out, float *den, long n, int simd);

/// With s = 1 / den_i: du_i = d_i · g_i · s, dg_i = d_i · u_i · s · (1 + g_i (1 − s)).
void rc_swiglu_backward(const float *g, const float *u, const float *den, const float *d, float *dg, float *du,
                        long n, int simd);

/// Rows r0…r1−1 of x (rows, dim): inv_r = 1 / √(Σ_j x_rj² / dim + eps) summed in Double, in order;
/// out_rj = x_rj · Float(inv_r) · w_j.
void rc_rms_norm_forward(const float *x, const float *w, float *out, double *inv, long r0, long r1, long dim,
                         double eps, int simd);

/// Rows r0…r1−1 of dx from the forward's inv: with r = Float(inv), m = Float(Σ_j Double(g_j w_j · x_j r) /
/// dim), dx_j = r · (g_j w_j − x_j r · m).
void rc_rms_norm_backward_rows(const float *x, const float *w, const float *g, const double *inv, float *dx,
                               long r0, long r1, long dim, int simd);

/// Columns c0…c1−1 of dw += Σ_r g_rj · (x_rj · Float(inv_r)), the rows summed in order 0…rows−1.
void rc_rms_norm_backward_weight(const float *x, const float *g, const double *inv, float *dw, long rows, long dim,
                                 long c0, long c1, int simd);

/// Rotate-half RoPE on rows r0…r1−1 of x (rows, heads, dim): row r uses the half-dim tables
/// cosines/sines + slot[r]·dim/2 (sines already carry the direction's sign):
/// y_i = x_i c_i − x_(i+h) s_i, y_(i+h) = x_(i+h) c_i + x_i s_i.
void rc_rope_rotate(const float *x, float *y, const long *slot, const float *cosines, const float *sines, long r0,
                    long r1, long heads, long dim, int simd);

#ifdef __cplusplus
}
#endif

#endif
