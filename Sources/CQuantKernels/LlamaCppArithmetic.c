// The arithmetic of llama.cpp's CPU backend (ggml, x86 with AVX2/FMA/F16C, non-flash attention
// over an F16 KV cache), reproduced operation by operation so that a model evaluated with these
// kernels gives llama.cpp's logits bit for bit (see include/CLlamaCppArithmetic.h for the list).
//
// Each function states the ggml operation it follows and the rounding steps that matter. Every
// step was checked against tensors dumped from llama.cpp itself (llama-cpp-python 0.3.36, its
// eval callback; Scripts/dump-llamacpp-activations.py): 0 differing bits per operation.
//
// Lanes are written out as small arrays: each lane is an independent chain of IEEE operations,
// so the compiler may vectorise across lanes but never reorders within one. No expression may be
// contracted into an FMA behind our back, hence the pragma; every FMA is an explicit fmaf.
#pragma STDC FP_CONTRACT OFF
#include "CLlamaCppArithmetic.h"
#include "CCPUFeatures.h"

#include <math.h>
#include <string.h>

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#define RG_TARGET __attribute__((target("avx2,fma,f16c")))

int rg_available(void) {
  return rc_cpu_has_all(RC_CPU_AVX2 | RC_CPU_FMA | RC_CPU_F16C);
}

/// Float → binary16 → Float, round to nearest even (F16C, as GGML_CPU_FP32_TO_FP16).
RG_TARGET static inline float rg_half(float x) { return _cvtsh_ss(_cvtss_sh(x, 0)); }

/// ggml's hsum_float_8: ((a0 + a4) + (a2 + a6)) + ((a1 + a5) + (a3 + a7)).
RG_TARGET static inline float rg_hsum8(const float *a) {
  const float r0 = a[0] + a[4], r1 = a[1] + a[5], r2 = a[2] + a[6], r3 = a[3] + a[7];
  return (r0 + r2) + (r1 + r3);
}

/// ggml_v_expf (AVX2 path) for one lane: exp(x) as 2ⁿ·(1 + poly(b)) with n = round(x/ln 2) and
/// b = x − n·ln 2 in two parts; the constants are the ARM optimized-routines ones ggml uses
/// (max error ≈ 1.5 ulp). Large |n| goes through two scale factors so results near overflow or
/// underflow come out as the vector code's.
RG_TARGET static float rg_expf(float x) {
  const float shift = 0x1.8p23f;
  const float z = fmaf(x, 0x1.715476p+0f, shift);
  const float n = z - shift;
  const float b = fmaf(-n, 0x1.7f7d1cp-20f, fmaf(-n, 0x1.62e4p-1f, x));
  uint32_t zi, one = 0x3f800000u;
  memcpy(&zi, &z, 4);
  const uint32_t e = zi << 23, ki = e + one;
  float k;
  memcpy(&k, &ki, 4);
  const float u = b * b;
  const float p = fmaf(fmaf(fmaf(0x1.0e4020p-7f, b, 0x1.573e2ep-5f), u, fmaf(0x1.555e66p-3f, b, 0x1.fffdb6p-2f)),
                       u, 0x1.ffffecp-1f * b);
  if (!(fabsf(n) > 126)) return fmaf(k, p, k);
  const uint32_t g = n <= 0 ? 0x82000000u : 0, s1i = g + 0x7f000000u, s2i = e - g;
  float s1, s2;
  memcpy(&s1, &s1i, 4);
  memcpy(&s2, &s2i, 4);
  if (fabsf(n) > 192) return s1 * s1;
  return fmaf(s2, p, s2) * s1;
}

RG_TARGET void rg_rms_norm(const float *x, const float *w, long rows, long d, float eps, float *y) {
  for (long r = 0; r < rows; r++) {
    const float *row = x + r * d;
    float *out = y + r * d;
    // ggml_compute_forward_rms_norm_f32: Float squares summed in double, mean rounded to Float.
    double sum = 0;
    for (long i = 0; i < d; i++) sum += (double)(row[i] * row[i]);
    const float mean = (float)(sum / (double)d);
    const float scale = 1.0f / sqrtf(mean + eps);
    // Then the separate MUL by the norm weight (llm_graph_context::build_norm).
    for (long i = 0; i < d; i++) out[i] = (row[i] * scale) * w[i];
  }
}

RG_TARGET void rg_swiglu(const float *gate, const float *up, long rows, long n, float *y) {
  // ggml_vec_swiglu_f32 per row: ggml_v_silu(x) = x / (1 + exp(0 − x)) in groups of 8, times up;
  // the n % 8 values left at the end of a row go through libm expf.
  const long vectorised = n / 8 * 8;
  for (long r = 0; r < rows; r++) {
    const float *g = gate + r * n, *u = up + r * n;
    float *out = y + r * n;
    for (long i = 0; i < vectorised; i++) out[i] = (g[i] / (1.0f + rg_expf(0.0f - g[i]))) * u[i];
    for (long i = vectorised; i < n; i++) out[i] = (g[i] / (1.0f + expf(-g[i]))) * u[i];
  }
}

RG_TARGET void rg_rope(const float *x, float *y, long rows, long heads, long d, const long *positions,
                       float base) {
  const long half = d / 2;
  float cs[512];
  if (half > 256) return;
  // ggml_rope_cache_init: θ starts at the position and is multiplied by base^(−2/d) per pair, in
  // Float; cos/sin from libm (mscale = 1, no YaRN).
  const float thetaScale = powf(base, -2.0f / (float)d);
  for (long r = 0; r < rows; r++) {
    float theta = (float)positions[r];
    for (long i = 0; i < half; i++) {
      cs[2 * i] = cosf(theta);
      cs[2 * i + 1] = sinf(theta);
      theta *= thetaScale;
    }
    for (long h = 0; h < heads; h++) {
      const float *src = x + (r * heads + h) * d;
      float *dst = y + (r * heads + h) * d;
      // Pair (i, i + d/2) here is ggml's adjacent pair (2i, 2i+1) of the GGUF-permuted rows.
      // GCC contracts x0·cos − x1·sin in ggml's rotate_pairs into fma(x0, cos, −(x1·sin)).
      for (long i = 0; i < half; i++) {
        const float x0 = src[i], x1 = src[i + half], c = cs[2 * i], s = cs[2 * i + 1];
        dst[i] = fmaf(x0, c, -(x1 * s));
        dst[i + half] = fmaf(x0, s, x1 * c);
      }
    }
  }
}

/// ggml_vec_dot_f16's reduction of its 4 accumulators of 8 lanes (s[8j + l]: accumulator j, lane
/// l): 0+2 and 1+3, then 0+1, the 8 lanes folded lo+hi and added pairwise.
RG_TARGET static float rg_fold_vec(const float *s) {
  float t[8];
  for (int l = 0; l < 8; l++) t[l] = (s[l] + s[16 + l]) + (s[8 + l] + s[24 + l]);
  const float f0 = t[0] + t[4], f1 = t[1] + t[5], f2 = t[2] + t[6], f3 = t[3] + t[7];
  return (f0 + f1) + (f2 + f3);
}

/// Σ a_i·b_i of two F16-valued rows as ggml_vec_dot_f16 sums them: value e goes to lane e mod 32
/// (4 accumulators of 8 lanes over steps of 32), folded by `rg_fold_vec`; the n % 32 values left
/// over are added one by one in double. `ia` indexes a (a permutation of 0..<n, or NULL).
RG_TARGET static float rg_dot_vec(const float *a, const long *ia, const float *b, long n) {
  float s[32] = {0};
  const long steps = n / 32 * 32;
  for (long i = 0; i < steps; i += 32)
    for (int e = 0; e < 32; e++) s[e] = fmaf(a[ia ? ia[i + e] : i + e], b[i + e], s[e]);
  double sum = rg_fold_vec(s);
  for (long e = steps; e < n; e++) sum += (double)(a[ia ? ia[e] : e] * b[e]);
  return (float)sum;
}

/// The same sum as llamafile's tinyBLAS (used when a matmul has ≥ 2 right-hand rows): one 8-lane
/// FMA accumulator, then hsum_float_8. n % 8 == 0.
RG_TARGET static float rg_dot_gemm(const float *a, const long *ia, const float *b, long n) {
  float acc[8] = {0};
  for (long i = 0; i < n; i += 8)
    for (int l = 0; l < 8; l++) acc[l] = fmaf(a[ia ? ia[i + l] : i + l], b[i + l], acc[l]);
  return rg_hsum8(acc);
}

RG_TARGET void rg_attention(const rg_attention_args *a, long chunk) {
  const long h = a->heads, d = a->d, t = a->t, s = a->keys, half = d / 2;
  const long bi = chunk / h, hi = chunk % h;
  const long kvHead = hi / (h / a->kvHeads);
  const float *k = a->k + (bi * a->kvHeads + kvHead) * a->cap * d;
  const float *v = a->v + (bi * a->kvHeads + kvHead) * a->cap * d;
  // Head-dim element e of ggml's (GGUF-permuted) Q/K rows is element perm[e] of ours.
  long perm[d];
  for (long e = 0; e < d; e++) perm[e] = (e % 2) * half + e / 2;
  // ggml multiplies with tinyBLAS when the matmul has ≥ 2 query rows, its F16 operand a multiple
  // of 4 rows and a reduction length that is a multiple of 8 (KQ: key count padded to 256 rows of
  // head-dim length; P·V: head-dim rows of key-count length), else with vec_dot_f16.
  const int gemmKQ = t >= 2 && d % 8 == 0, gemmPV = t >= 2 && d % 4 == 0;
  const long padded = (s + 31) / 32 * 32;
  float q16[d], w[padded], acc[d * 32];
  for (long i = 0; i < t; i++) {
    const float *q = a->q + ((bi * h + hi) * t + i) * d;
    float *out = a->out + ((bi * h + hi) * t + i) * d;
    const long lo = a->keyStart[bi] > 0 ? a->keyStart[bi] : 0;
    const long last = a->offset + i < s - 1 ? a->offset + i : s - 1;
    memset(out, 0, sizeof(float) * d);
    if (last < lo) continue;
    // KQ: Q converted to F16 (the K cache's type) in ggml's element order, times the scale.
    for (long e = 0; e < d; e++) q16[e] = rg_half(q[perm[e]]);
    float max = -INFINITY;
    for (long j = 0; j < padded; j++) w[j] = -INFINITY;
    for (long j = lo; j <= last; j++) {
      const float kq = gemmKQ ? rg_dot_gemm(k + j * d, perm, q16, d) : rg_dot_vec(k + j * d, perm, q16, d);
      w[j] = kq * a->scale;
      if (w[j] > max) max = w[j];
    }
    // ggml_vec_soft_max_f32: exp in 8-lane groups from key 0, each group's hsum added in double;
    // masked keys give exactly 0. Then scaled by (Float)(1/sum) and converted to F16 for P·V.
    double sum = 0;
    for (long j = 0; j < padded; j += 8) {
      if (j + 8 <= lo || j > last) continue;
      float e8[8];
      for (int l = 0; l < 8; l++) e8[l] = w[j + l] == -INFINITY ? 0 : rg_expf(w[j + l] - max);
      memcpy(w + j, e8, sizeof e8);
      sum += (double)rg_hsum8(e8);
    }
    const float inv = (float)(1.0 / sum);
    // P·V with lanes by key index: j mod 32 (vec_dot_f16's 4 × 8 lanes) or j mod 8 (tinyBLAS).
    memset(acc, 0, sizeof(float) * d * 32);
    const long lanes = gemmPV ? 8 : 32;
    for (long j = lo; j <= last; j++) {
      const float p = rg_half(w[j] * inv);
      const float *row = v + j * d;
      float *lane = acc + (j % lanes) * d;
      for (long c = 0; c < d; c++) lane[c] = fmaf(row[c], p, lane[c]);
    }
    for (long c = 0; c < d; c++) {
      float l32[32];
      for (long l = 0; l < lanes; l++) l32[l] = acc[l * d + c];
      out[c] = gemmPV ? rg_hsum8(l32) : rg_fold_vec(l32);
    }
  }
}

#else

int rg_available(void) { return 0; }
void rg_rms_norm(const float *x, const float *w, long rows, long d, float eps, float *y) {
  (void)x, (void)w, (void)rows, (void)d, (void)eps, (void)y;
}
void rg_swiglu(const float *gate, const float *up, long rows, long n, float *y) {
  (void)gate, (void)up, (void)rows, (void)n, (void)y;
}
void rg_rope(const float *x, float *y, long rows, long heads, long d, const long *positions, float base) {
  (void)x, (void)y, (void)rows, (void)heads, (void)d, (void)positions, (void)base;
}
void rg_attention(const rg_attention_args *a, long chunk) { (void)a, (void)chunk; }

#endif
