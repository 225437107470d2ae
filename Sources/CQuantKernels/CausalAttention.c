// Fused causal self-attention for training, Float32, forward and backward (see the header).
//
// Why: TensorCore's reference `causalAttention` runs two (forward) and four (backward) BLAS
// products per (batch, head) over full T×S score matrices on one thread; in `recheck bench
// train` (4 layers, 32 sequences × 4 heads, T = 128) that is 3,072 small sgemm calls and about a
// quarter of a training step, while the other core waits. Here each (b, h) pair computes only the
// causal triangle (half the products), the pairs are split over the cores by the caller, and the
// products are 4×16 register-blocked micro-kernels reading q/k/v where the projections wrote them
// (no (B, T, H, D) ↔ (B, H, T, D) copies).
//
// Summation order, identical on every CPU: every product element is one chain
// acc = fma(a_p, b_p, acc) over p in increasing order, starting from 0 (or from the value being
// accumulated into); row sums put element e of the visible range in lane e mod 8 and fold the
// lanes pairwise; exp is the polynomial `rc_exp`. The AVX2 micro-kernel vectorises across
// independent chains only and the other loops are the same C compiled for AVX2, so the AVX2 and
// portable paths agree bit for bit (CausalSelfAttentionTests). FMAs are explicit; nothing else may be
// contracted, hence the pragma.
#pragma STDC FP_CONTRACT OFF
#include "CCausalAttention.h"
#include "CCPUFeatures.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define RC_INLINE static inline __attribute__((always_inline))

/// C[r·ldc + c] = init + Σ_{p<k} A[r·ars + p·aps]·B[p·ldb + c] for r < rows ≤ 4, c < cols ≤ the
/// kernel's width (16; 32 for AVX-512), where init is C's value (accumulate) or 0. A's two strides
/// let the backward read Pᵀ and dSᵀ where P and dS lie (ars = 1, aps = S) instead of transposing them.
typedef void (*rc_kernel)(int rows, int cols, long k, const float *A, long ars, long aps, const float *B, long ldb,
                          float *C, long ldc, int accumulate);

static void kernel_portable(int rows, int cols, long k, const float *A, long ars, long aps, const float *B,
                            long ldb, float *C, long ldc, int accumulate) {
  for (int r = 0; r < rows; r++)
    for (int c = 0; c < cols; c++) {
      float acc = accumulate ? C[r * ldc + c] : 0.0f;
      for (long p = 0; p < k; p++) acc = fmaf(A[r * ars + p * aps], B[p * ldb + c], acc);
      C[r * ldc + c] = acc;
    }
}

/// e^x for the softmax's x = score − row maximum ≤ 0: 2ⁿ·q(r) with n = rint(x·log₂e) and
/// r = x − n·ln 2 (Cody–Waite: ln 2 = 0.693359375 − 2.12194440e-4, the first part exact in n·C1),
/// q the degree-7 Taylor polynomial of e^r on |r| ≤ ln 2 / 2 (truncation below 1e-8 relative).
/// x < −87 (below 2⁻¹²⁵, next to the row's maximum term 1) gives 0.
RC_INLINE float rc_exp(float x) {
  const float t = x < -87.0f ? -87.0f : x;
  const float n = rintf(t * 1.44269504f);
  const float r = fmaf(-n, -2.12194440e-4f, fmaf(-n, 0.693359375f, t));
  float q = 1.0f / 5040.0f;
  q = fmaf(q, r, 1.0f / 720.0f);
  q = fmaf(q, r, 1.0f / 120.0f);
  q = fmaf(q, r, 1.0f / 24.0f);
  q = fmaf(q, r, 1.0f / 6.0f);
  q = fmaf(q, r, 0.5f);
  q = fmaf(q, r, 1.0f);
  q = fmaf(q, r, 1.0f);
  const uint32_t bits = (uint32_t)((int32_t)n + 127) << 23;
  float scale;
  memcpy(&scale, &bits, 4);
  return x < -87.0f ? 0.0f : q * scale;
}

/// Lanes folded pairwise: ((l0 + l4) + (l2 + l6)) + ((l1 + l5) + (l3 + l7)).
RC_INLINE float fold8(const float *l) { return ((l[0] + l[4]) + (l[2] + l[6])) + ((l[1] + l[5]) + (l[3] + l[7])); }

/// Row of scores → probabilities in place: visible keys lo…hi get softmax(scale · score), the rest 0.
/// stat[0] and stat[1] receive the row's maximum scaled score and 1/Σ exp, from which
/// `probs_row` recomputes the same probabilities bit for bit in the backward pass.
RC_INLINE void softmax_row(float *row, long lo, long hi, long s, float scale, float *stat) {
  if (hi < lo) {
    memset(row, 0, sizeof(float) * (size_t)s);
    return;
  }
  float *x = row + lo;
  const long n = hi - lo + 1, full = n / 8 * 8;
  float m8[8], sum8[8] = {0};
  for (int l = 0; l < 8; l++) m8[l] = -INFINITY;
  for (long j = 0; j < n; j++) x[j] *= scale;
  for (long j = 0; j < full; j += 8)
    for (int l = 0; l < 8; l++) m8[l] = x[j + l] > m8[l] ? x[j + l] : m8[l];
  for (long j = full; j < n; j++) m8[j - full] = x[j] > m8[j - full] ? x[j] : m8[j - full];
  float m = m8[0];
  for (int l = 1; l < 8; l++) m = m8[l] > m ? m8[l] : m;
  for (long j = 0; j < full; j += 8)
    for (int l = 0; l < 8; l++) {
      x[j + l] = rc_exp(x[j + l] - m);
      sum8[l] += x[j + l];
    }
  for (long j = full; j < n; j++) {
    x[j] = rc_exp(x[j] - m);
    sum8[j - full] += x[j];
  }
  const float inv = 1.0f / fold8(sum8);
  for (long j = 0; j < n; j++) x[j] *= inv;
  memset(row, 0, sizeof(float) * (size_t)lo);
  memset(row + hi + 1, 0, sizeof(float) * (size_t)(s - hi - 1));
  stat[0] = m;
  stat[1] = inv;
}

/// Row of scores → the probabilities `softmax_row` gave, from its saved maximum and 1/Σ exp: the
/// same three roundings per element (scale, exp of the difference, times inv), so the same bits.
RC_INLINE void probs_row(float *row, long lo, long hi, long s, float scale, const float *stat) {
  if (hi < lo) {
    memset(row, 0, sizeof(float) * (size_t)s);
    return;
  }
  const float m = stat[0], inv = stat[1];
  for (long j = lo; j <= hi; j++) {
    const float x = row[j] * scale;
    row[j] = rc_exp(x - m) * inv;
  }
  memset(row, 0, sizeof(float) * (size_t)lo);
  memset(row + hi + 1, 0, sizeof(float) * (size_t)(s - hi - 1));
}

/// Row of dP = dO·Vᵀ → dS = scale · P ⊙ (dP − Σ_j P_j dP_j) in place over lo…hi, 0 elsewhere.
RC_INLINE void softmax_grad_row(const float *p, float *g, long lo, long hi, long s, float scale) {
  if (hi < lo) {
    memset(g, 0, sizeof(float) * (size_t)s);
    return;
  }
  const long n = hi - lo + 1, full = n / 8 * 8;
  const float *pv = p + lo;
  float *x = g + lo, dot8[8] = {0};
  for (long j = 0; j < full; j += 8)
    for (int l = 0; l < 8; l++) dot8[l] = fmaf(pv[j + l], x[j + l], dot8[l]);
  for (long j = full; j < n; j++) dot8[j - full] = fmaf(pv[j], x[j], dot8[j - full]);
  const float dot = fold8(dot8);
  for (long j = 0; j < n; j++) x[j] = (pv[j] * (x[j] - dot)) * scale;
  memset(g, 0, sizeof(float) * (size_t)lo);
  memset(g + hi + 1, 0, sizeof(float) * (size_t)(s - hi - 1));
}

RC_INLINE long first_key(const rc_attention_args *a, long b) { return a->key_start[b] > 0 ? a->key_start[b] : 0; }

/// Highest key visible to query i (may be below the first key: nothing visible).
RC_INLINE long last_key(const rc_attention_args *a, long i) {
  return a->query_offset + i < a->s - 1 ? a->query_offset + i : a->s - 1;
}

/// dst (cols, rows) = srcᵀ for src rows [0, rows) and columns [0, cols) (row strides: lds, rows).
RC_INLINE void transpose(const float *src, long lds, long rows, long cols, float *dst) {
  for (long c = 0; c < cols; c++)
    for (long r = 0; r < rows; r++) dst[c * rows + r] = src[r * lds + c];
}

/// The pass forward and backward share, for one (b, h) pair, per block of 4 query rows i:
///   W = L·Rᵀ over the visible columns lo…last (rt holds Rᵀ, (D, S)), then each row of W in place:
///   softmax, saving each row's statistics in `stats` (mode FORWARD: W = scores → P), the same
///   probabilities again from `stats` (mode RECOMPUTE: W = scores → P, no Y), or
///   dS = scale·P ⊙ (W − rowsum(P ⊙ W)) (mode BACKWARD: W = dP), then Y = W·M over rows lo…last of
///   M (W is 0 past each row's own last key).
/// Forward: L = Q, R = K, M = V, Y = out. Recompute: L = Q, R = K. Backward: L = dO, R = V, M = K,
/// Y = dQ (dS carries the scale). Rows that see no key get W = 0 and Y = 0.
enum { PASS_FORWARD, PASS_RECOMPUTE, PASS_BACKWARD };
RC_INLINE void triangle_pass(const rc_attention_args *a, rc_kernel mk, int nc, int mode, long lo, const float *left,
                             const float *rt, const float *probs, float *stats, float *w, const float *m,
                             float *y) {
  const long T = a->t, S = a->s, D = a->dim, ldq = a->heads * D, ldk = a->kv_heads * D;
  for (long i0 = 0; i0 < T; i0 += 4) {
    const int rows = T - i0 < 4 ? (int)(T - i0) : 4;
    const long last = last_key(a, i0 + rows - 1);
    if (last < lo) {
      for (int r = 0; r < rows; r++) {
        memset(w + (i0 + r) * S, 0, sizeof(float) * (size_t)S);
        if (mode != PASS_RECOMPUTE) memset(y + (i0 + r) * ldq, 0, sizeof(float) * (size_t)D);
      }
      continue;
    }
    for (long j0 = lo; j0 <= last; j0 += nc)
      mk(rows, S - j0 < nc ? (int)(S - j0) : nc, D, left + i0 * ldq, ldq, 1, rt + j0, S, w + i0 * S + j0, S, 0);
    for (int r = 0; r < rows; r++) {
      const long i = i0 + r;
      if (mode == PASS_BACKWARD)
        softmax_grad_row(probs + i * S, w + i * S, lo, last_key(a, i), S, a->scale);
      else if (mode == PASS_RECOMPUTE)
        probs_row(w + i * S, lo, last_key(a, i), S, a->scale, stats + 2 * i);
      else
        softmax_row(w + i * S, lo, last_key(a, i), S, a->scale, stats + 2 * i);
    }
    if (mode == PASS_RECOMPUTE) continue;
    for (long d0 = 0; d0 < D; d0 += nc)
      mk(rows, D - d0 < nc ? (int)(D - d0) : nc, last - lo + 1, w + i0 * S + lo, S, 1, m + lo * ldk + d0, ldk,
         y + i0 * ldq + d0, ldq, 0);
  }
}

/// forward for pairs [p0, p1); scratch: dim·s + t·s floats (Kᵀ, then the pair's probabilities).
RC_INLINE void forward_pairs(const rc_attention_args *a, long p0, long p1, rc_kernel mk, int nc, float *scratch) {
  const long T = a->t, S = a->s, H = a->heads, G = H / a->kv_heads, D = a->dim;
  float *kt = scratch, *w = scratch + D * S;
  for (long p = p0; p < p1; p++) {
    const long b = p / H, h = p % H;
    const long qOffset = (b * T * H + h) * D, kvOffset = (b * S * a->kv_heads + h / G) * D;
    transpose(a->k + kvOffset, a->kv_heads * D, S, D, kt);  // Kᵀ (D, S): score columns contiguous
    triangle_pass(a, mk, nc, PASS_FORWARD, first_key(a, b), a->q + qOffset, kt, NULL, a->stats + p * T * 2, w,
                  a->v + kvOffset, a->out + qOffset);
  }
}

/// backward for (b, kv head) pairs [p0, p1); scratch: 2·dim·s + 2·t·s floats.
RC_INLINE void backward_pairs(const rc_attention_args *a, long p0, long p1, rc_kernel mk, int nc, float *scratch) {
  const long T = a->t, S = a->s, H = a->heads, Hkv = a->kv_heads, G = H / Hkv, D = a->dim;
  const long ldq = H * D, ldk = Hkv * D;
  float *vt = scratch, *kt = vt + D * S, *P = kt + D * S, *ds = P + T * S;
  for (long p = p0; p < p1; p++) {
    const long b = p / Hkv, g = p % Hkv, lo = first_key(a, b);
    const long kvOffset = (b * S * Hkv + g) * D;
    float *dk = a->dk + kvOffset, *dv = a->dv + kvOffset;
    transpose(a->v + kvOffset, ldk, S, D, vt);  // Vᵀ (D, S)
    transpose(a->k + kvOffset, ldk, S, D, kt);  // Kᵀ (D, S)
    for (long h = g * G; h < (g + 1) * G; h++) {
      const long qOffset = (b * T * H + h) * D;
      const float *q = a->q + qOffset, *dout = a->grad_out + qOffset;
      float *stats = a->stats + (b * H + h) * T * 2;
      // P again from Q·Kᵀ and the forward's row statistics: one more product instead of keeping
      // (B, H, T, S) probabilities per layer alive from forward to backward.
      triangle_pass(a, mk, nc, PASS_RECOMPUTE, lo, q, kt, NULL, stats, P, NULL, NULL);
      // dP = dO·Vᵀ → dS, then dQ = dS·K.
      triangle_pass(a, mk, nc, PASS_BACKWARD, lo, dout, vt, P, NULL, ds, a->k + kvOffset, a->dq + qOffset);
      // dV += Pᵀ·dO and dK += dSᵀ·Q: key rows j ≥ lo, summed over the queries that see them
      // (i ≥ j − query_offset; P and dS are 0 for the others).
      // The kernel reads Pᵀ and dSᵀ in place: element (key j, query i) at i·S + j.
      for (int pass = 0; pass < 2; pass++) {
        const float *w = pass == 0 ? P : ds, *rhs = pass == 0 ? dout : q;
        float *acc = pass == 0 ? dv : dk;
        for (long j0 = lo; j0 < S; j0 += 4) {
          const int rows = S - j0 < 4 ? (int)(S - j0) : 4;
          const long i0 = j0 - a->query_offset > 0 ? j0 - a->query_offset : 0;
          if (i0 >= T) continue;
          for (long d0 = 0; d0 < D; d0 += nc)
            mk(rows, D - d0 < nc ? (int)(D - d0) : nc, T - i0, w + i0 * S + j0, 1, S, rhs + i0 * ldq + d0, ldq,
               acc + j0 * ldk + d0, ldk, 1);
        }
      }
    }
  }
}

static void forward_portable(const rc_attention_args *a, long p0, long p1, float *scratch) {
  forward_pairs(a, p0, p1, kernel_portable, 16, scratch);
}
static void backward_portable(const rc_attention_args *a, long p0, long p1, float *scratch) {
  backward_pairs(a, p0, p1, kernel_portable, 16, scratch);
}

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#define RC_TARGET __attribute__((target("avx2,fma")))
#define RC_TARGET_INLINE static inline __attribute__((always_inline, target("avx2,fma")))

/// The micro-kernel with R rows; columns beyond `cols` are masked (full = cols is 16).
RC_TARGET_INLINE void kernel_rows(const int R, const int full, int cols, long k, const float *A, long ars,
                                  long aps, const float *B, long ldb, float *C, long ldc, int accumulate) {
  const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  const __m256i m0 = _mm256_cmpgt_epi32(_mm256_set1_epi32(cols), lane);
  const __m256i m1 = _mm256_cmpgt_epi32(_mm256_set1_epi32(cols - 8), lane);
  __m256 c[4][2];
  for (int r = 0; r < R; r++) {
    if (!accumulate) {
      c[r][0] = c[r][1] = _mm256_setzero_ps();
    } else if (full) {
      c[r][0] = _mm256_loadu_ps(C + r * ldc);
      c[r][1] = _mm256_loadu_ps(C + r * ldc + 8);
    } else {
      c[r][0] = _mm256_maskload_ps(C + r * ldc, m0);
      c[r][1] = _mm256_maskload_ps(C + r * ldc + 8, m1);
    }
  }
  for (long p = 0; p < k; p++) {
    const float *row = B + p * ldb;
    const __m256 b0 = full ? _mm256_loadu_ps(row) : _mm256_maskload_ps(row, m0);
    const __m256 b1 = full ? _mm256_loadu_ps(row + 8) : _mm256_maskload_ps(row + 8, m1);
    for (int r = 0; r < R; r++) {
      const __m256 x = _mm256_broadcast_ss(A + r * ars + p * aps);
      c[r][0] = _mm256_fmadd_ps(x, b0, c[r][0]);
      c[r][1] = _mm256_fmadd_ps(x, b1, c[r][1]);
    }
  }
  for (int r = 0; r < R; r++) {
    if (full) {
      _mm256_storeu_ps(C + r * ldc, c[r][0]);
      _mm256_storeu_ps(C + r * ldc + 8, c[r][1]);
    } else {
      _mm256_maskstore_ps(C + r * ldc, m0, c[r][0]);
      _mm256_maskstore_ps(C + r * ldc + 8, m1, c[r][1]);
    }
  }
}

RC_TARGET static void kernel_avx2(int rows, int cols, long k, const float *A, long ars, long aps, const float *B,
                                  long ldb, float *C, long ldc, int accumulate) {
#define RC_ROWS(R)                                                        \
  case R:                                                                 \
    if (cols == 16)                                                       \
      kernel_rows(R, 1, cols, k, A, ars, aps, B, ldb, C, ldc, accumulate); \
    else                                                                  \
      kernel_rows(R, 0, cols, k, A, ars, aps, B, ldb, C, ldc, accumulate); \
    break;
  switch (rows) {
    RC_ROWS(1)
    RC_ROWS(2)
    RC_ROWS(3)
    RC_ROWS(4)
  }
#undef RC_ROWS
}

RC_TARGET static void forward_avx2(const rc_attention_args *a, long p0, long p1, float *scratch) {
  forward_pairs(a, p0, p1, kernel_avx2, 16, scratch);
}
RC_TARGET static void backward_avx2(const rc_attention_args *a, long p0, long p1, float *scratch) {
  backward_pairs(a, p0, p1, kernel_avx2, 16, scratch);
}

#define RC_TARGET512 __attribute__((target("avx512f,avx2,fma")))
#define RC_TARGET512_INLINE static inline __attribute__((always_inline, target("avx512f,avx2,fma")))

/// The AVX-512 micro-kernel: R rows × 32 columns (two 16-lane registers per row, columns beyond
/// `cols` masked). Each lane runs the same FMA chain as the AVX2 and portable kernels, so the bits
/// are theirs; the point is twice the columns per instruction.
RC_TARGET512_INLINE void kernel_rows512(const int R, int cols, long k, const float *A, long ars, long aps,
                                        const float *B, long ldb, float *C, long ldc, int accumulate) {
  const __mmask16 m0 = cols >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << cols) - 1);
  const __mmask16 m1 = cols >= 32 ? (__mmask16)0xFFFF : cols <= 16 ? (__mmask16)0 : (__mmask16)((1u << (cols - 16)) - 1);
  __m512 c[4][2];
  for (int r = 0; r < R; r++) {
    if (accumulate) {
      c[r][0] = _mm512_maskz_loadu_ps(m0, C + r * ldc);
      c[r][1] = _mm512_maskz_loadu_ps(m1, C + r * ldc + 16);
    } else {
      c[r][0] = c[r][1] = _mm512_setzero_ps();
    }
  }
  for (long p = 0; p < k; p++) {
    const float *row = B + p * ldb;
    const __m512 b0 = _mm512_maskz_loadu_ps(m0, row);
    const __m512 b1 = _mm512_maskz_loadu_ps(m1, row + 16);
    for (int r = 0; r < R; r++) {
      const __m512 x = _mm512_set1_ps(A[r * ars + p * aps]);
      c[r][0] = _mm512_fmadd_ps(x, b0, c[r][0]);
      c[r][1] = _mm512_fmadd_ps(x, b1, c[r][1]);
    }
  }
  for (int r = 0; r < R; r++) {
    _mm512_mask_storeu_ps(C + r * ldc, m0, c[r][0]);
    _mm512_mask_storeu_ps(C + r * ldc + 16, m1, c[r][1]);
  }
}

RC_TARGET512 static void kernel_avx512(int rows, int cols, long k, const float *A, long ars, long aps,
                                       const float *B, long ldb, float *C, long ldc, int accumulate) {
  switch (rows) {
  case 1: kernel_rows512(1, cols, k, A, ars, aps, B, ldb, C, ldc, accumulate); break;
  case 2: kernel_rows512(2, cols, k, A, ars, aps, B, ldb, C, ldc, accumulate); break;
  case 3: kernel_rows512(3, cols, k, A, ars, aps, B, ldb, C, ldc, accumulate); break;
  case 4: kernel_rows512(4, cols, k, A, ars, aps, B, ldb, C, ldc, accumulate); break;
  }
}

RC_TARGET512 static void forward_avx512(const rc_attention_args *a, long p0, long p1, float *scratch) {
  forward_pairs(a, p0, p1, kernel_avx512, 32, scratch);
}
RC_TARGET512 static void backward_avx512(const rc_attention_args *a, long p0, long p1, float *scratch) {
  backward_pairs(a, p0, p1, kernel_avx512, 32, scratch);
}

int rc_attention_simd_available(void) {
  if (!rc_cpu_has_all(RC_CPU_AVX2 | RC_CPU_FMA)) return 0;
  return rc_cpu_has_all(RC_CPU_AVX512F) ? 2 : 1;
}
#else
int rc_attention_simd_available(void) { return 0; }
#endif

typedef void (*rc_pass)(const rc_attention_args *, long, long, float *);

/// Allocates the pass's scratch once per call (a range of pairs) and runs the widest body allowed:
/// AVX-512, AVX2 or portable (same bits).
static void run_pairs(const rc_attention_args *a, long pair0, long pair1, int simd, int backward) {
  const size_t floats =
      (size_t)(backward ? 2 * a->dim * a->s + 2 * a->t * a->s : a->dim * a->s + a->t * a->s) + 1;
  float *scratch = malloc(sizeof(float) * floats);
  if (!scratch) abort();
  rc_pass pass = backward ? backward_portable : forward_portable;
#if defined(__x86_64__) || defined(_M_X64)
  const int level = simd < rc_attention_simd_available() ? simd : rc_attention_simd_available();
  if (level == 2) pass = backward ? backward_avx512 : forward_avx512;
  if (level == 1) pass = backward ? backward_avx2 : forward_avx2;
#endif
  (void)simd;
  pass(a, pair0, pair1, scratch);
  free(scratch);
}

void rc_attention_forward(const rc_attention_args *a, long pair0, long pair1, int simd) {
  run_pairs(a, pair0, pair1, simd, 0);
}

void rc_attention_backward(const rc_attention_args *a, long pair0, long pair1, int simd) {
  run_pairs(a, pair0, pair1, simd, 1);
}
