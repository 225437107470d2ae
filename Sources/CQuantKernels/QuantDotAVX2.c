// AVX2 integer block dot products (see include/CQuantKernels.h for why this is C).
//
// Per block of 32 values: the weights become 32 unsigned bytes (Q4: nibble n of byte j is value
// j + 16n, so low nibbles fill the lower 128-bit lane and high nibbles the upper one, matching the
// activation bytes 0–15 and 16–31), `maddubs` multiplies them with the signed activation bytes and
// adds adjacent pairs into 16 Int16 lanes (|pair| ≤ 2·255·127 only for Q8_0's |w|, see below; Q4
// pairs are ≤ 2·15·127), `madd` with ones widens to 8 Int32 partial sums, and one FMA adds them,
// scaled by d_w·d_x, to 8 Float accumulators. The integer block sum is exact; the Float order is ggml's (see RQ_TWO_ROWS)
// and the portable Swift kernel's, so all three agree bit for bit.
#pragma STDC FP_CONTRACT OFF
#include "CQuantKernels.h"

#include <math.h>

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>

int rq_avx2_available(void) {
  return rc_cpu_has_all(RC_CPU_AVX2 | RC_CPU_FMA);
}

#define RQ_AVX2 __attribute__((target("avx2,fma")))

RQ_AVX2 static inline float hsum(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

/// 16 packed nibble bytes → 32 unsigned bytes in value order (low nibbles, then high nibbles).
RQ_AVX2 static inline __m256i nibbles(const uint8_t *p) {
  __m128i packed = _mm_loadu_si128((const __m128i *)p);
  __m256i both = _mm256_set_m128i(_mm_srli_epi16(packed, 4), packed);
  return _mm256_and_si256(both, _mm256_set1_epi8(0x0F));
}

/// Σ_j w_j·x_j of one block as 8 Int32 lanes, w unsigned bytes (≤ 15), x signed bytes.
RQ_AVX2 static inline __m256i dotUnsigned(__m256i w, __m256i x) {
  return _mm256_madd_epi16(_mm256_maddubs_epi16(w, x), _mm256_set1_epi16(1));
}

/// 8 Int32 block partial sums (lane k: values 4k…4k+3) as Float (exact: |sum| < 2²⁴).
RQ_AVX2 static inline __m256 lanes(__m256i s) { return _mm256_cvtepi32_ps(s); }

/// Q4_1 block: unsigned nibbles times signed activations.
RQ_AVX2 static inline __m256 blockQ4_1(const uint8_t *wq, const int8_t *xq) {
  return lanes(dotUnsigned(nibbles(wq), _mm256_loadu_si256((const __m256i *)xq)));
}

/// Q4_0 × Q8_0: values are nibble − 8, so Σ(q − 8)·x = Σq·x − 8·Σx.
RQ_AVX2 static inline __m256 blockQ4_0(const uint8_t *wq, const int8_t *xq) {
  __m256i x = _mm256_loadu_si256((const __m256i *)xq);
  __m256i sum = dotUnsigned(nibbles(wq), x);
  return lanes(_mm256_sub_epi32(sum, dotUnsigned(_mm256_set1_epi8(8), x)));
}

/// Q8_0 × Q8_0: maddubs needs one unsigned operand, so |w| · (x with w's sign). |w| ≤ 128 and
/// |x| ≤ 127 (activations never hold −128), so a pair sum is ≤ 2·128·127 < 2¹⁵: no saturation.
RQ_AVX2 static inline __m256 blockQ8_0(const uint8_t *wq, const int8_t *xq) {
  __m256i w = _mm256_loadu_si256((const __m256i *)wq);
  __m256i x = _mm256_loadu_si256((const __m256i *)xq);
  __m256i s16 = _mm256_maddubs_epi16(_mm256_sign_epi8(w, w), _mm256_sign_epi8(x, w));
  return lanes(_mm256_madd_epi16(s16, _mm256_set1_epi16(1)));
}

/// Two weight rows (w0, w1) against one activation row, in exactly ggml's Float order
/// (`ggml_vec_dot_q4_1_q8_1` & co., AVX2 path; llamafile's tinyBLAS sums Q8_0 the same way):
/// 8 lanes, per block acc = fma(d_w·d_x, lanes, acc), then hsum_float_8, plus for Q4_1 the minimum
/// term Σ m_w·s_x accumulated with a scalar FMA in block order (GCC contracts ggml's
/// `summs += m*s`). Checked bit for bit against llama.cpp's own matmul outputs. The second row
/// gives the core an independent dependency chain to overlap with.
#define RQ_TWO_ROWS(name, block, qbytes, minimums)                                              \
  RQ_AVX2 static void name(const rq_matmul_args *a, long r0, long r1, long i, float *y0,       \
                           float *y1) {                                                        \
    const long nb = a->nb;                                                                     \
    const float *wd0 = a->wd + r0 * nb, *wd1 = a->wd + r1 * nb, *xd = a->xd + i * nb;          \
    const uint8_t *wq0 = a->wq + r0 * nb * (qbytes), *wq1 = a->wq + r1 * nb * (qbytes);        \
    const int8_t *xq = a->xq + i * nb * 32;                                                    \
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();                             \
    for (long b = 0; b < nb; b++) {                                                            \
      acc0 = _mm256_fmadd_ps(_mm256_set1_ps(wd0[b] * xd[b]), block(wq0 + (qbytes) * b, xq + 32 * b), acc0); \
      acc1 = _mm256_fmadd_ps(_mm256_set1_ps(wd1[b] * xd[b]), block(wq1 + (qbytes) * b, xq + 32 * b), acc1); \
    }                                                                                          \
    float m0 = 0, m1 = 0;                                                                      \
    if (minimums) {                                                                            \
      const float *wm0 = a->wm + r0 * nb, *wm1 = a->wm + r1 * nb, *xs = a->xs + i * nb;        \
      for (long b = 0; b < nb; b++) {                                                          \
        m0 = fmaf(wm0[b], xs[b], m0);                                                          \
        m1 = fmaf(wm1[b], xs[b], m1);                                                          \
      }                                                                                        \
    }                                                                                          \
    *y0 = hsum(acc0) + m0;                                                                     \
    *y1 = hsum(acc1) + m1;                                                                     \
  }

RQ_TWO_ROWS(rowsQ4_1, blockQ4_1, 16, 1)
RQ_TWO_ROWS(rowsQ4_0, blockQ4_0, 16, 0)
RQ_TWO_ROWS(rowsQ8_0, blockQ8_0, 32, 0)

RQ_AVX2 void rq_matmul_avx2(const rq_matmul_args *a, int format, long r0, long r1) {
  // Weight rows outermost: a row is read from memory once and reused by all m activation rows.
  for (long r = r0; r < r1; r += 2) {
    const long r2 = r + 1 < r1 ? r + 1 : r;  // an odd last row is computed twice
    for (long i = 0; i < a->m; i++) {
      float *y0 = a->y + i * a->n + r, *y1 = a->y + i * a->n + r2;
      switch (format) {
      case 0: rowsQ4_1(a, r, r2, i, y0, y1); break;
      case 1: rowsQ4_0(a, r, r2, i, y0, y1); break;
      default: rowsQ8_0(a, r, r2, i, y0, y1); break;
      }
    }
  }
}

RQ_AVX2 void rq_quantize_avx2(const float *x, long blocks, float *amax, int8_t *q, int32_t *qsum) {
  const __m256 signBit = _mm256_set1_ps(-0.0f);
  for (long blk = 0; blk < blocks; blk++) {
    const float *src = x + 32 * blk;
    __m256 v0 = _mm256_loadu_ps(src), v1 = _mm256_loadu_ps(src + 8);
    __m256 v2 = _mm256_loadu_ps(src + 16), v3 = _mm256_loadu_ps(src + 24);
    __m256 m = _mm256_max_ps(_mm256_max_ps(_mm256_andnot_ps(signBit, v0), _mm256_andnot_ps(signBit, v1)),
                             _mm256_max_ps(_mm256_andnot_ps(signBit, v2), _mm256_andnot_ps(signBit, v3)));
    __m128 h = _mm_max_ps(_mm256_castps256_ps128(m), _mm256_extractf128_ps(m, 1));
    h = _mm_max_ps(h, _mm_movehl_ps(h, h));
    h = _mm_max_ss(h, _mm_movehdup_ps(h));
    const float mx = _mm_cvtss_f32(h);
    const __m256 id = _mm256_set1_ps(mx != 0 ? 127.0f / mx : 0.0f);
    // Round to nearest, ties to even (the portable kernel's 1.5·2²³ trick rounds the same way).
#define RQ_NEAREST (_MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)
    __m256i q0 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(v0, id), RQ_NEAREST));
    __m256i q1 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(v1, id), RQ_NEAREST));
    __m256i q2 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(v2, id), RQ_NEAREST));
    __m256i q3 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(v3, id), RQ_NEAREST));
    __m256i total = _mm256_add_epi32(_mm256_add_epi32(q0, q1), _mm256_add_epi32(q2, q3));
    __m128i t = _mm_add_epi32(_mm256_castsi256_si128(total), _mm256_extracti128_si256(total, 1));
    t = _mm_add_epi32(t, _mm_shuffle_epi32(t, 0x4E));
    t = _mm_add_epi32(t, _mm_shuffle_epi32(t, 0xB1));
    // Packing works per 128-bit lane, leaving 4-value groups in the order 0 2 4 6 1 3 5 7.
    __m256i packed = _mm256_packs_epi16(_mm256_packs_epi32(q0, q1), _mm256_packs_epi32(q2, q3));
    packed = _mm256_permutevar8x32_epi32(packed, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
    _mm256_storeu_si256((__m256i *)(q + 32 * blk), packed);
    amax[blk] = mx;
    qsum[blk] = _mm_cvtsi128_si32(t);
  }
}

#else

int rq_avx2_available(void) { return 0; }

void rq_matmul_avx2(const rq_matmul_args *a, int format, long r0, long r1) {
  (void)a, (void)format, (void)r0, (void)r1;
}

void rq_quantize_avx2(const float *x, long blocks, float *amax, int8_t *q, int32_t *qsum) {
  (void)x, (void)blocks, (void)amax, (void)q, (void)qsum;
}

#endif
