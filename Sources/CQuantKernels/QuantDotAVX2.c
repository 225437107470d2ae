// AVX2 integer block dot products (see include/CQuantKernels.h for why this is C).
//
// Per block of 32 values: the weights become 32 unsigned bytes (Q4: nibble n of byte j is value
// j + 16n, so low nibbles fill the lower 128-bit lane and high nibbles the upper one, matching the
// activation bytes 0–15 and 16–31), `maddubs` multiplies them with the signed activation bytes and
// adds adjacent pairs into 16 Int16 lanes (|pair| ≤ 2·255·127 only for Q8_0's |w|, see below; Q4
// pairs are ≤ 2·15·127), `madd` with ones widens to 8 Int32 partial sums, and one FMA adds them,
// scaled by d_w·d_x, to 8 Float accumulators. The integer block sum is exact, so results differ
// from the portable Swift kernel only in the order of the Float additions.
#include "CQuantKernels.h"

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>

int rq_avx2_available(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
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

/// One weight row against one activation row. Two accumulators hide the FMA latency.
RQ_AVX2 static float row(const rq_matmul_args *a, int format, long r, long i) {
  const long nb = a->nb;
  const float *wd = a->wd + r * nb, *xd = a->xd + i * nb;
  const int8_t *xq = a->xq + i * nb * 32;
  __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
  float tail = 0;
  if (format == 2) {
    const uint8_t *wq = a->wq + r * nb * 32;
    for (long b = 0; b < nb; b++) {
      __m256i w = _mm256_loadu_si256((const __m256i *)(wq + 32 * b));
      __m256i x = _mm256_loadu_si256((const __m256i *)(xq + 32 * b));
      // maddubs needs one unsigned operand: |w| · (x with w's sign). |w| ≤ 128 and |x| ≤ 127
      // (activations never hold −128), so a pair sum is ≤ 2·128·127 < 2¹⁵: no saturation.
      __m256i s16 = _mm256_maddubs_epi16(_mm256_sign_epi8(w, w), _mm256_sign_epi8(x, w));
      __m256 s = _mm256_cvtepi32_ps(_mm256_madd_epi16(s16, _mm256_set1_epi16(1)));
      __m256 scale = _mm256_set1_ps(wd[b] * xd[b]);
      if (b & 1) acc1 = _mm256_fmadd_ps(s, scale, acc1);
      else acc0 = _mm256_fmadd_ps(s, scale, acc0);
    }
  } else {
    const uint8_t *wq = a->wq + r * nb * 16;
    for (long b = 0; b < nb; b++) {
      __m256i x = _mm256_loadu_si256((const __m256i *)(xq + 32 * b));
      __m256i sum = dotUnsigned(nibbles(wq + 16 * b), x);
      // Q4_0 values are nibble − 8: subtract 8·Σx.
      if (format == 1) sum = _mm256_sub_epi32(sum, dotUnsigned(_mm256_set1_epi8(8), x));
      __m256 s = _mm256_cvtepi32_ps(sum);
      __m256 scale = _mm256_set1_ps(wd[b] * xd[b]);
      if (b & 1) acc1 = _mm256_fmadd_ps(s, scale, acc1);
      else acc0 = _mm256_fmadd_ps(s, scale, acc0);
    }
    if (format == 0) {
      // Q4_1's minimum m_w contributes m_w·s_x per block (s_x = d_x·Σq_x, see Q8_1).
      const float *wm = a->wm + r * nb, *xs = a->xs + i * nb;
      for (long b = 0; b < nb; b++) tail += wm[b] * xs[b];
    }
  }
  return hsum(_mm256_add_ps(acc0, acc1)) + tail;
}

RQ_AVX2 void rq_matmul_avx2(const rq_matmul_args *a, int format, long r0, long r1) {
  // Weight rows outermost: a row is read from memory once and reused by all m activation rows.
  for (long r = r0; r < r1; r++) {
    for (long i = 0; i < a->m; i++) a->y[i * a->n + r] = row(a, format, r, i);
  }
}

#else

int rq_avx2_available(void) { return 0; }

void rq_matmul_avx2(const rq_matmul_args *a, int format, long r0, long r1) {
  (void)a, (void)format, (void)r0, (void)r1;
}

#endif
