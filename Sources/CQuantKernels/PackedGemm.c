// Micro-kernels of the portable matrix product (TensorCore/PortableGemm.swift), for one block of
// packed operands.
//
// Why C: Swift compiles a whole module for one instruction set, baseline x86-64 (SSE2, no FMA),
// where a SIMD16<Float> register tile reaches about a fifth of what AVX-512 FMA does on the same
// core, and building the package for AVX-512 would crash on CPUs without it. C's per-function
// `target` attribute plus a run-time CPU check gives the wide kernels where they run; elsewhere
// (and on non-x86 hosts) PortableGemm.swift uses its own SIMD16 kernel on the same packed layout.
//
// Scheme (the Goto/BLIS one): the Swift side packs a KC×NC block of op(B) into NR-wide column
// panels and an MC×KC block of op(A) into MR-high row panels, both contiguous in p. Here every
// (row panel, column panel) pair is one MR×NR tile of C held in registers while p runs over the
// block's k: each step loads NR values of B̂ once and broadcasts MR values of Â, MR·NR/16 (or /8)
// fused multiply-adds. The column panel (k·NR floats, 16 KB at k = 128) stays in L1 while the
// row panels stream from L2. Summation order per element: one FMA chain over p, from 0.
#include "CPackedGemm.h"
#include "CCPUFeatures.h"

#include <stdlib.h>
#include <string.h>

/// Writes the MR×NR register tile `acc` (row-major, NR per row) to C's rows < m, columns < n.
static void store_tile(const float *acc, int nr, long m, long n, float *c, long ldc, float alpha, float beta) {
  for (long i = 0; i < m; i++) {
    for (long j = 0; j < n; j++) {
      float v = alpha * acc[i * nr + j];
      c[i * ldc + j] = beta == 0 ? v : v + beta * c[i * ldc + j];
    }
  }
}

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>

#define RC_AVX512 __attribute__((target("avx512f")))
#define RC_AVX2 __attribute__((target("avx2,fma")))

/// 8 rows × 32 columns in 16 zmm accumulators.
RC_AVX512 static void tile_avx512(long k, const float *a, const float *b, float *c, long ldc, long m, long n,
                                  float alpha, float beta) {
  __m512 acc[8][2];
  for (int r = 0; r < 8; r++) acc[r][0] = acc[r][1] = _mm512_setzero_ps();
  for (long p = 0; p < k; p++) {
    const __m512 b0 = _mm512_loadu_ps(b + p * 32), b1 = _mm512_loadu_ps(b + p * 32 + 16);
    for (int r = 0; r < 8; r++) {
      const __m512 x = _mm512_set1_ps(a[p * 8 + r]);
      acc[r][0] = _mm512_fmadd_ps(x, b0, acc[r][0]);
      acc[r][1] = _mm512_fmadd_ps(x, b1, acc[r][1]);
    }
  }
  if (m == 8 && n == 32) {
    const __m512 va = _mm512_set1_ps(alpha), vb = _mm512_set1_ps(beta);
    for (int r = 0; r < 8; r++) {
      for (int h = 0; h < 2; h++) {
        float *q = c + r * ldc + 16 * h;
        const __m512 v = _mm512_mul_ps(va, acc[r][h]);
        _mm512_storeu_ps(q, beta == 0 ? v : _mm512_fmadd_ps(vb, _mm512_loadu_ps(q), v));
      }
    }
    return;
  }
  float tmp[8 * 32];
  for (int r = 0; r < 8; r++) {
    _mm512_storeu_ps(tmp + r * 32, acc[r][0]);
    _mm512_storeu_ps(tmp + r * 32 + 16, acc[r][1]);
  }
  store_tile(tmp, 32, m, n, c, ldc, alpha, beta);
}

/// 6 rows × 16 columns in 12 ymm accumulators.
RC_AVX2 static void tile_avx2(long k, const float *a, const float *b, float *c, long ldc, long m, long n,
                              float alpha, float beta) {
  __m256 acc[6][2];
  for (int r = 0; r < 6; r++) acc[r][0] = acc[r][1] = _mm256_setzero_ps();
  for (long p = 0; p < k; p++) {
    const __m256 b0 = _mm256_loadu_ps(b + p * 16), b1 = _mm256_loadu_ps(b + p * 16 + 8);
    for (int r = 0; r < 6; r++) {
      const __m256 x = _mm256_broadcast_ss(a + p * 6 + r);
      acc[r][0] = _mm256_fmadd_ps(x, b0, acc[r][0]);
      acc[r][1] = _mm256_fmadd_ps(x, b1, acc[r][1]);
    }
  }
  if (m == 6 && n == 16) {
    const __m256 va = _mm256_set1_ps(alpha), vb = _mm256_set1_ps(beta);
    for (int r = 0; r < 6; r++) {
      for (int h = 0; h < 2; h++) {
        float *q = c + r * ldc + 8 * h;
        const __m256 v = _mm256_mul_ps(va, acc[r][h]);
        _mm256_storeu_ps(q, beta == 0 ? v : _mm256_fmadd_ps(vb, _mm256_loadu_ps(q), v));
      }
    }
    return;
  }
  float tmp[6 * 16];
  for (int r = 0; r < 6; r++) {
    _mm256_storeu_ps(tmp + r * 16, acc[r][0]);
    _mm256_storeu_ps(tmp + r * 16 + 8, acc[r][1]);
  }
  store_tile(tmp, 16, m, n, c, ldc, alpha, beta);
}

/// Σ_p x[p]·y[p] in four 8-lane accumulators (lane l of accumulator q sums p ≡ 8q + l mod 32),
/// folded pairwise, then the tail in order.
RC_AVX2 static float dot_avx2(long k, const float *x, const float *y) {
  __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps(), s2 = _mm256_setzero_ps(), s3 = _mm256_setzero_ps();
  long p = 0;
  for (; p + 32 <= k; p += 32) {
    s0 = _mm256_fmadd_ps(_mm256_loadu_ps(x + p), _mm256_loadu_ps(y + p), s0);
    s1 = _mm256_fmadd_ps(_mm256_loadu_ps(x + p + 8), _mm256_loadu_ps(y + p + 8), s1);
    s2 = _mm256_fmadd_ps(_mm256_loadu_ps(x + p + 16), _mm256_loadu_ps(y + p + 16), s2);
    s3 = _mm256_fmadd_ps(_mm256_loadu_ps(x + p + 24), _mm256_loadu_ps(y + p + 24), s3);
  }
  const __m256 s = _mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3));
  __m128 h = _mm_add_ps(_mm256_castps256_ps128(s), _mm256_extractf128_ps(s, 1));
  h = _mm_add_ps(h, _mm_movehl_ps(h, h));
  h = _mm_add_ss(h, _mm_shuffle_ps(h, h, 1));
  float r = _mm_cvtss_f32(h);
  for (; p < k; p++) r += x[p] * y[p];
  return r;
}

/// acc[j] += s·y[j] for j < n.
RC_AVX2 static void axpy_avx2(long n, float s, const float *y, float *acc) {
  const __m256 vs = _mm256_set1_ps(s);
  long j = 0;
  for (; j + 8 <= n; j += 8) _mm256_storeu_ps(acc + j, _mm256_fmadd_ps(vs, _mm256_loadu_ps(y + j), _mm256_loadu_ps(acc + j)));
  for (; j < n; j++) acc[j] += s * y[j];
}

RC_AVX2 static void rows_avx2(long m, long n, long k, const float *a, long ars, long aks, const float *b, long ldb,
                              int trans_b, float *c, long ldc, float alpha, float beta, float *x, float *acc) {
  for (long i = 0; i < m; i++) {
    for (long p = 0; p < k; p++) x[p] = a[i * ars + p * aks];  // op(A)'s row, contiguous
    if (trans_b) {  // op(B)[·][j] is B's stored row j: one dot product per column
      for (long j = 0; j < n; j++) acc[j] = dot_avx2(k, x, b + j * ldb);
    } else {  // op(B)'s rows are B's: accumulate x[p]·(row p) over p
      memset(acc, 0, sizeof(float) * (size_t)n);
      for (long p = 0; p < k; p++) axpy_avx2(n, x[p], b + p * ldb, acc);
    }
    store_tile(acc, (int)n, 1, n, c + i * ldc, ldc, alpha, beta);
  }
}

void rc_gemm_rows(long m, long n, long k, const float *a, long ars, long aks, const float *b, long ldb,
                  int trans_b, float *c, long ldc, float alpha, float beta) {
  float *x = malloc(sizeof(float) * (size_t)(k + n + 1));
  if (!x) abort();
  rows_avx2(m, n, k, a, ars, aks, b, ldb, trans_b, c, ldc, alpha, beta, x, x + k);
  free(x);
}

int rc_gemm_level(void) {
  return rc_cpu_has_all(RC_CPU_AVX512F) ? 2 : rc_cpu_has_all(RC_CPU_AVX2 | RC_CPU_FMA) ? 1 : 0;
}
#else
/// Non-x86 hosts: PortableGemm.swift never calls this below level 1 (it runs its own SIMD16 tile);
/// a plain loop keeps the symbol defined and correct should a caller reach it.
void rc_gemm_rows(long m, long n, long k, const float *a, long ars, long aks, const float *b, long ldb,
                  int trans_b, float *c, long ldc, float alpha, float beta) {
  float *acc = malloc(sizeof(float) * (size_t)(n + 1));
  if (!acc) abort();
  for (long i = 0; i < m; i++) {
    for (long j = 0; j < n; j++) {
      float s = 0;
      for (long p = 0; p < k; p++) s += a[i * ars + p * aks] * (trans_b ? b[j * ldb + p] : b[p * ldb + j]);
      acc[j] = s;
    }
    store_tile(acc, (int)n, 1, n, c + i * ldc, ldc, alpha, beta);
  }
  free(acc);
}

int rc_gemm_level(void) { return 0; }
#endif

int rc_gemm_mr(int level) { return level == 2 ? 8 : 6; }
int rc_gemm_nr(int level) { return level == 2 ? 32 : 16; }

void rc_gemm_block(int level, long m, long n, long k, const float *a, const float *b, float *c, long ldc,
                   float alpha, float beta) {
  const long mr = rc_gemm_mr(level), nr = rc_gemm_nr(level);
  // Column panels outer: one B̂ panel stays in L1 while every row panel of Â passes over it.
  for (long j = 0; j < n; j += nr) {
    const float *bp = b + (j / nr) * k * nr;
    const long cols = n - j < nr ? n - j : nr;
    for (long i = 0; i < m; i += mr) {
      const float *ap = a + (i / mr) * k * mr;
      const long rows = m - i < mr ? m - i : mr;
#if defined(__x86_64__) || defined(_M_X64)
      if (level == 2)
        tile_avx512(k, ap, bp, c + i * ldc + j, ldc, rows, cols, alpha, beta);
      else
        tile_avx2(k, ap, bp, c + i * ldc + j, ldc, rows, cols, alpha, beta);
#else
      (void)ap;
      (void)rows;
      (void)cols;
#endif
    }
  }
}
