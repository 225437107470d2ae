// Attention of one sequence's query rows over their cached keys (a KV-cached decode step), Float32.
//
// Why: the Swift version (TensorCore's `SingleQueryAttention.run`) is compiled for baseline
// x86-64, so its SIMD8 arithmetic runs as pairs of 4-wide SSE operations, and each key's dot
// product ends in a chain of seven dependent scalar additions. In S²R's 760-token rollouts this
// loop was a fifth of a run's time (perf, session 27). Here the same arithmetic runs on 8-wide AVX2
// registers, eight keys at a time.
//
// Summation order, bit for bit the Swift one (DecodeAttentionTests compares them): a dot product
// keeps element i in lane i mod 8, acc = acc + a·b (a product, then a sum: no FMA) over the 8-wide
// chunks in increasing order from 0, then sums the lanes in order l0 + l1 + … + l7 starting from −0
// (Swift's `SIMD.sum()`), then the scalar tail; eight keys' lane sums are formed at once by
// transposing their accumulators, which keeps each key's order. The softmax takes e^x with the bits
// of libm's expf (Swift's `Float.exp`; rc_expf_array, 8-wide) and sums the visible keys in order;
// P·V adds p_j·v_j (a product, then a sum) for increasing j. Nothing may be contracted into an FMA,
// hence the pragma.
#pragma STDC FP_CONTRACT OFF
#include "CDecodeAttention.h"
#include "CCPUFeatures.h"
#include "CLibmExp.h"

#include <math.h>
#include <string.h>

#define RD_INLINE static inline __attribute__((always_inline))

/// Σ_i a_i·b_i in the Swift order (8 lanes, then the lanes in order, then the tail).
RD_INLINE float dot_portable(const float *a, const float *b, long d) {
  float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  long i = 0;
  for (; i + 8 <= d; i += 8)
    for (int l = 0; l < 8; l++) acc[l] = acc[l] + a[i + l] * b[i + l];
  float sum = -0.0f;
  for (int l = 0; l < 8; l++) sum += acc[l];
  for (; i < d; i++) sum += a[i] * b[i];
  return sum;
}

/// The visible scores (p[lo…hi] hold scale · q·k_j) → probabilities; returns nothing, p in place.
RD_INLINE void softmax_visible(float *p, long lo, long hi) {
  float m = -INFINITY;
  for (long j = lo; j <= hi; j++) m = p[j] >= m ? p[j] : m;
  for (long j = lo; j <= hi; j++) p[j] = p[j] - m;
  rc_expf_array(p + lo, hi - lo + 1);
  float sum = 0;
  for (long j = lo; j <= hi; j++) sum += p[j];
  const float inv = 1 / sum;
  for (long j = lo; j <= hi; j++) p[j] *= inv;
}

static void run_portable(const float *q, const float *keys, const float *values, long d, long lo, long hi,
                         float scale, float *p, float *out) {
  for (long j = lo; j <= hi; j++) p[j] = scale * dot_portable(q, keys + j * d, d);
  softmax_visible(p, lo, hi);
  for (long j = lo; j <= hi; j++) {
    const float pj = p[j], *row = values + j * d;
    for (long i = 0; i < d; i++) out[i] = out[i] + pj * row[i];
  }
}

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#define RD_TARGET __attribute__((target("avx2")))

/// Lane sums of eight accumulators: r[k] = ((−0 + a_k[0]) + a_k[1]) + … + a_k[7], the Swift order,
/// via an 8×8 transpose so that the eight sums are seven vertical additions.
RD_TARGET RD_INLINE __m256 lane_sums8(__m256 a0, __m256 a1, __m256 a2, __m256 a3, __m256 a4, __m256 a5,
                                      __m256 a6, __m256 a7) {
  const __m256 t0 = _mm256_unpacklo_ps(a0, a1), t1 = _mm256_unpackhi_ps(a0, a1);
  const __m256 t2 = _mm256_unpacklo_ps(a2, a3), t3 = _mm256_unpackhi_ps(a2, a3);
  const __m256 t4 = _mm256_unpacklo_ps(a4, a5), t5 = _mm256_unpackhi_ps(a4, a5);
  const __m256 t6 = _mm256_unpacklo_ps(a6, a7), t7 = _mm256_unpackhi_ps(a6, a7);
  const __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xEE);
  const __m256 u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xEE);
  const __m256 u4 = _mm256_shuffle_ps(t4, t6, 0x44), u5 = _mm256_shuffle_ps(t4, t6, 0xEE);
  const __m256 u6 = _mm256_shuffle_ps(t5, t7, 0x44), u7 = _mm256_shuffle_ps(t5, t7, 0xEE);
  // Row l of the transpose (lane l of every key): u_l's low half from keys 0–3, u_(l+4)'s from 4–7.
  const __m256 l0 = _mm256_permute2f128_ps(u0, u4, 0x20), l4 = _mm256_permute2f128_ps(u0, u4, 0x31);
  const __m256 l1 = _mm256_permute2f128_ps(u1, u5, 0x20), l5 = _mm256_permute2f128_ps(u1, u5, 0x31);
  const __m256 l2 = _mm256_permute2f128_ps(u2, u6, 0x20), l6 = _mm256_permute2f128_ps(u2, u6, 0x31);
  const __m256 l3 = _mm256_permute2f128_ps(u3, u7, 0x20), l7 = _mm256_permute2f128_ps(u3, u7, 0x31);
  __m256 r = _mm256_add_ps(_mm256_set1_ps(-0.0f), l0);
  r = _mm256_add_ps(r, l1);
  r = _mm256_add_ps(r, l2);
  r = _mm256_add_ps(r, l3);
  r = _mm256_add_ps(r, l4);
  r = _mm256_add_ps(r, l5);
  r = _mm256_add_ps(r, l6);
  return _mm256_add_ps(r, l7);
}

/// The 8-wide accumulator of one key (the tail, d mod 8, is added by the caller).
RD_TARGET RD_INLINE __m256 acc_avx2(const float *q, const float *k, long full) {
  __m256 acc = _mm256_setzero_ps();
  for (long i = 0; i < full; i += 8)
    acc = _mm256_add_ps(acc, _mm256_mul_ps(_mm256_loadu_ps(q + i), _mm256_loadu_ps(k + i)));
  return acc;
}

/// The visible scores of one head: p[lo…hi] = scale · q·k_j, eight keys at a time.
RD_TARGET static void scores_avx2(const float *q, const float *keys, long d, long lo, long hi, float scale,
                                  float *p) {
  const long full = d / 8 * 8;
  const __m256 vs = _mm256_set1_ps(scale);
  long j = lo;
  for (; j + 8 <= hi + 1; j += 8) {
    const float *k = keys + j * d;
    __m256 sums = lane_sums8(acc_avx2(q, k, full), acc_avx2(q, k + d, full), acc_avx2(q, k + 2 * d, full),
                             acc_avx2(q, k + 3 * d, full), acc_avx2(q, k + 4 * d, full),
                             acc_avx2(q, k + 5 * d, full), acc_avx2(q, k + 6 * d, full),
                             acc_avx2(q, k + 7 * d, full));
    if (full < d) {
      float s8[8];
      _mm256_storeu_ps(s8, sums);
      for (int r = 0; r < 8; r++)
        for (long i = full; i < d; i++) s8[r] += q[i] * k[r * d + i];
      sums = _mm256_loadu_ps(s8);
    }
    _mm256_storeu_ps(p + j, _mm256_mul_ps(vs, sums));
  }
  for (; j <= hi; j++) p[j] = scale * dot_portable(q, keys + j * d, d);  // the last keys, one at a time
}

/// The largest visible score, eight lanes at a time (a maximum is exact in any order; which zero
/// a ±0 tie keeps does not change any p_j − m that follows).
RD_TARGET static float max_avx2(const float *p, long lo, long hi) {
  float m = -INFINITY;
  long j = lo;
  if (hi + 1 - lo >= 8) {
    __m256 m8 = _mm256_loadu_ps(p + j);
    for (j += 8; j + 8 <= hi + 1; j += 8) m8 = _mm256_max_ps(m8, _mm256_loadu_ps(p + j));
    float l8[8];
    _mm256_storeu_ps(l8, m8);
    for (int l = 0; l < 8; l++) m = l8[l] >= m ? l8[l] : m;
  }
  for (; j <= hi; j++) m = p[j] >= m ? p[j] : m;
  return m;
}

/// Softmax of the visible scores of two heads (one when p1 is null: `softmax_visible`), in place; the
/// heads' exp calls and sums interleave, each head's sum still in key order.
RD_TARGET static void softmax2_avx2(float *p0, float *p1, long lo, long hi) {
  if (!p1) {
    softmax_visible(p0, lo, hi);
    return;
  }
  const float m0 = max_avx2(p0, lo, hi), m1 = max_avx2(p1, lo, hi);
  const long n = hi - lo + 1, full = n / 8 * 8;
  long j = lo;
  for (const __m256 v0 = _mm256_set1_ps(m0), v1 = _mm256_set1_ps(m1); j + 8 <= hi + 1; j += 8) {
    _mm256_storeu_ps(p0 + j, _mm256_sub_ps(_mm256_loadu_ps(p0 + j), v0));
    _mm256_storeu_ps(p1 + j, _mm256_sub_ps(_mm256_loadu_ps(p1 + j), v1));
  }
  for (; j <= hi; j++) p0[j] = p0[j] - m0, p1[j] = p1[j] - m1;
  rc_expf_array(p0 + lo, n);
  rc_expf_array(p1 + lo, n);
  float sum0 = 0, sum1 = 0;  // two chains, each in key order
  for (j = lo; j <= hi; j++) sum0 += p0[j], sum1 += p1[j];
  for (int h = 0; h < 2; h++) {
    float *p = h ? p1 : p0;
    const float inv = 1 / (h ? sum1 : sum0);
    const __m256 vi = _mm256_set1_ps(inv);
    long j = 0;
    for (; j < full; j += 8) _mm256_storeu_ps(p + lo + j, _mm256_mul_ps(_mm256_loadu_ps(p + lo + j), vi));
    for (; j < n; j++) p[lo + j] *= inv;
  }
}

/// Four 8-wide accumulators (32 output values) of one head: load, one key's p_j·v_j added, store.
RD_TARGET RD_INLINE void load4(__m256 *acc, const float *o) {
  for (int c = 0; c < 4; c++) acc[c] = _mm256_loadu_ps(o + 8 * c);
}
RD_TARGET RD_INLINE void add4(__m256 *acc, float pj, const float *row) {
  const __m256 vp = _mm256_set1_ps(pj);
  for (int c = 0; c < 4; c++) acc[c] = _mm256_add_ps(acc[c], _mm256_mul_ps(vp, _mm256_loadu_ps(row + 8 * c)));
}
RD_TARGET RD_INLINE void store4(float *o, const __m256 *acc) {
  for (int c = 0; c < 4; c++) _mm256_storeu_ps(o + 8 * c, acc[c]);
}

/// out_h[i…i+31] += Σ_j p_h[j]·v_h[j][i…i+31] for two heads (one when p1 is null): eight (or four)
/// independent accumulator chains, so the additions are not waiting on each other; each output
/// value still sums over j in order.
RD_TARGET static void pv32_avx2(const float *p0, const float *v0, float *o0, const float *p1, const float *v1,
                                float *o1, long d, long lo, long hi) {
  __m256 a[4], b[4];
  load4(a, o0);
  if (p1) {
    load4(b, o1);
    for (long j = lo; j <= hi; j++) {
      add4(a, p0[j], v0 + j * d);
      add4(b, p1[j], v1 + j * d);
    }
    store4(o1, b);
  } else {
    for (long j = lo; j <= hi; j++) add4(a, p0[j], v0 + j * d);
  }
  store4(o0, a);
}

/// Two heads (one when q1 is null) over the same visible keys.
RD_TARGET static void run2_avx2(const float *q0, const float *k0, const float *v0, float *p0, float *o0,
                                const float *q1, const float *k1, const float *v1, float *p1, float *o1, long d,
                                long lo, long hi, float scale) {
  scores_avx2(q0, k0, d, lo, hi, scale, p0);
  if (q1) scores_avx2(q1, k1, d, lo, hi, scale, p1);
  softmax2_avx2(p0, q1 ? p1 : 0, lo, hi);
  long i = 0;
  for (; i + 32 <= d; i += 32) pv32_avx2(p0, v0 + i, o0 + i, q1 ? p1 : 0, q1 ? v1 + i : 0, q1 ? o1 + i : 0, d, lo, hi);
  for (int h = 0; h < (q1 ? 2 : 1); h++) {
    const float *p = h ? p1 : p0, *v = h ? v1 : v0;
    float *o = h ? o1 : o0;
    long c = i;
    for (; c + 8 <= d; c += 8) {
      __m256 acc = _mm256_loadu_ps(o + c);
      for (long j = lo; j <= hi; j++)
        acc = _mm256_add_ps(acc, _mm256_mul_ps(_mm256_set1_ps(p[j]), _mm256_loadu_ps(v + j * d + c)));
      _mm256_storeu_ps(o + c, acc);
    }
    for (; c < d; c++)
      for (long j = lo; j <= hi; j++) o[c] = o[c] + p[j] * v[j * d + c];
  }
}

#endif

void rc_decode_attention_heads(const float *q, const float *k, const float *v, long first, long heads, long group,
                               long cap, long dim, long s, long lo, long hi, float scale, float *p, float *out,
                               int simd) {
  memset(p, 0, sizeof(float) * (size_t)(s * heads));
  memset(out, 0, sizeof(float) * (size_t)(dim * heads));
  if (hi < lo) return;
#define RD_KV(h) ((first + (h)) / group * cap * dim)
#if defined(__x86_64__) || defined(_M_X64)
  if (simd >= 1 && rc_cpu_has_avx2()) {
    for (long h = 0; h < heads; h += 2) {
      const int two = h + 1 < heads;
      run2_avx2(q + h * dim, k + RD_KV(h), v + RD_KV(h), p + h * s, out + h * dim, two ? q + (h + 1) * dim : 0,
                two ? k + RD_KV(h + 1) : 0, two ? v + RD_KV(h + 1) : 0, two ? p + (h + 1) * s : 0,
                two ? out + (h + 1) * dim : 0, dim, lo, hi, scale);
    }
    return;
  }
#endif
  (void)simd;
  for (long h = 0; h < heads; h++)
    run_portable(q + h * dim, k + RD_KV(h), v + RD_KV(h), dim, lo, hi, scale, p + h * s, out + h * dim);
#undef RD_KV
}
