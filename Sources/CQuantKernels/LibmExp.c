// e^x for arrays of floats with exactly the bits of the C library's expf.
//
// Why: the softmax of a KV-cached decode step and SwiGLU's sigmoid call expf once per element, and
// these scalar calls were a tenth of a SCoRe step's time outside the matrix products (perf, session
// 28). A faster approximation would move every table of a run; this computes what glibc's expf
// computes (glibc ≥ 2.27, the variant its ifunc picks on CPUs with AVX2 and FMA), four doubles to a
// register:
//   k = round(x · 32/ln 2) by adding 1.5·2⁵² (fused), r = x · 32/ln 2 − k (fused),
//   2^(k/32) from a 32-entry table of 2^(i/32) with k/32's integer part added to the exponent,
//   e^x ≈ 2^(k/32) · ((c0·r + c1)·r² + (c2·r + 1)) (three fused steps), rounded to float.
// The constants are glibc's (read from its libm: the table holds 2^(i/32) with i << 47 subtracted).
// Lanes with |x| ≥ 88 or NaN (overflow, underflow, ±∞) take the scalar call.
//
// Trust but verify: at first use the 8-wide path is compared with the process's own expf on about a
// million inputs spread over every float exponent; one disagreement (another libm) and
// rc_expf_array calls expf element by element for the rest of the run. LibmExpTests checks it
// against expf on tens of millions of floats.
#pragma STDC FP_CONTRACT OFF
#include "CLibmExp.h"
#include "CCPUFeatures.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#define RX_TARGET __attribute__((target("avx2,fma")))

static const uint64_t exp2_table[32] = {
  0x3ff0000000000000, 0x3fefd9b0d3158574, 0x3fefb5586cf9890f, 0x3fef9301d0125b51, 0x3fef72b83c7d517b,
  0x3fef54873168b9aa, 0x3fef387a6e756238, 0x3fef1e9df51fdee1, 0x3fef06fe0a31b715, 0x3feef1a7373aa9cb,
  0x3feedea64c123422, 0x3feece086061892d, 0x3feebfdad5362a27, 0x3feeb42b569d4f82, 0x3feeab07dd485429,
  0x3feea47eb03a5585, 0x3feea09e667f3bcd, 0x3fee9f75e8ec5f74, 0x3feea11473eb0187, 0x3feea589994cce13,
  0x3feeace5422aa0db, 0x3feeb737b0cdc5e5, 0x3feec49182a3f090, 0x3feed503b23e255d, 0x3feee89f995ad3ad,
  0x3feeff76f2fb5e47, 0x3fef199bdd85529c, 0x3fef3720dcef9069, 0x3fef5818dcfba487, 0x3fef7c97337b9b5f,
  0x3fefa4afa2a490da, 0x3fefd0765b6e4540,
};

/// Four lanes of the scheme above (no special cases).
RX_TARGET static inline __m128 exp4(__m128 x) {
  const __m256d xd = _mm256_cvtps_pd(x);
  const __m256d scale = _mm256_set1_pd(0x1.71547652b82fep+5), shift = _mm256_set1_pd(0x1.8p+52);
  const __m256d shifted = _mm256_fmadd_pd(scale, xd, shift);
  const __m256i ki = _mm256_castpd_si256(shifted);
  const __m256d r = _mm256_fmsub_pd(scale, xd, _mm256_sub_pd(shifted, shift));
  const __m256i slot = _mm256_and_si256(ki, _mm256_set1_epi64x(31));
  const __m256i bits = _mm256_add_epi64(_mm256_i64gather_epi64((const long long *)exp2_table, slot, 8),
                                        _mm256_slli_epi64(ki, 47));
  const __m256d z = _mm256_fmadd_pd(r, _mm256_set1_pd(0x1.c6af84b912394p-20), _mm256_set1_pd(0x1.ebfce50fac4f3p-13));
  const __m256d r2 = _mm256_mul_pd(r, r);
  __m256d y = _mm256_fmadd_pd(r, _mm256_set1_pd(0x1.62e42ff0c52d6p-6), _mm256_set1_pd(1.0));
  y = _mm256_fmadd_pd(z, r2, y);
  return _mm256_cvtpd_ps(_mm256_mul_pd(y, _mm256_castsi256_pd(bits)));
}

/// Eight lanes; any lane with |x| ≥ 88 or NaN (biased exponent bits of the top 12 above 0x42a, as in
/// glibc) sends the eight to libm.
RX_TARGET static inline void exp8(const float *x, float *y) {
  const __m256 v = _mm256_loadu_ps(x);
  const __m256i top = _mm256_and_si256(_mm256_srli_epi32(_mm256_castps_si256(v), 20), _mm256_set1_epi32(0x7ff));
  if (!_mm256_testz_si256(_mm256_cmpgt_epi32(top, _mm256_set1_epi32(0x42a)), _mm256_set1_epi32(-1))) {
    for (int l = 0; l < 8; l++) y[l] = expf(x[l]);
    return;
  }
  const __m128 lo = exp4(_mm256_castps256_ps128(v)), hi = exp4(_mm256_extractf128_ps(v, 1));
  _mm256_storeu_ps(y, _mm256_set_m128(hi, lo));
}

RX_TARGET static void exp_array_avx2(float *x, long n) {
  long i = 0;
  for (; i + 8 <= n; i += 8) exp8(x + i, x + i);
  if (i < n) {
    float t[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    memcpy(t, x + i, sizeof(float) * (size_t)(n - i));
    exp8(t, t);
    memcpy(x + i, t, sizeof(float) * (size_t)(n - i));
  }
}

/// Does the 8-wide path give libm's bits? Every 4099th float bit pattern (all exponents, signs, NaNs)
/// plus a dense grid over the range that does not take the scalar call.
static int agrees_with_libm(void) {
  float x[8], y[8];
  for (uint64_t b = 0; b < (1ull << 32); b += 8 * 4099) {
    for (int l = 0; l < 8; l++) {
      const uint32_t u = (uint32_t)(b + (uint64_t)l * 4099);
      memcpy(x + l, &u, 4);
    }
    exp8(x, y);
    for (int l = 0; l < 8; l++)
      if (memcmp(y + l, &(float){expf(x[l])}, 4) != 0 && !(isnan(y[l]) && isnan(expf(x[l])))) return 0;
  }
  for (long k = 0; k < 200000; k += 8) {
    for (int l = 0; l < 8; l++) x[l] = -104.0f + 193.0f * (float)(k + l) / 200000.0f;
    exp8(x, y);
    for (int l = 0; l < 8; l++)
      if (memcmp(y + l, &(float){expf(x[l])}, 4) != 0) return 0;
  }
  return 1;
}

int rc_expf_vector_available(void) {
  static int available = -1;  // a benign race: every thread computes the same value
  if (available < 0)
    available = rc_cpu_has_all(RC_CPU_AVX2 | RC_CPU_FMA) && agrees_with_libm() ? 1 : 0;
  return available;
}

void rc_expf8(const float *x, float *y) { exp8(x, y); }

void rc_expf_array(float *x, long n) {
  if (n >= 4 && rc_expf_vector_available()) {
    exp_array_avx2(x, n);
    return;
  }
  for (long i = 0; i < n; i++) x[i] = expf(x[i]);
}
#else
int rc_expf_vector_available(void) { return 0; }
void rc_expf8(const float *x, float *y) {
  for (int l = 0; l < 8; l++) y[l] = expf(x[l]);
}
void rc_expf_array(float *x, long n) {
  for (long i = 0; i < n; i++) x[i] = expf(x[i]);
}
#endif
