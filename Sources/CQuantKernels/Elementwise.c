// SwiGLU, RMSNorm and RoPE, forward and backward, Float32: the elementwise layers between a training
// step's matrix products.
//
// Why: TensorCore's Swift versions are compiled for baseline x86-64 (no AVX), read through pointers
// the optimiser must assume alias, so they run one element at a time; RMSNorm's row sums are one
// long chain of dependent Double additions per row. In a SCoRe / multi-turn RL step these loops were
// 40 % of the time outside the matrix products (perf, session 28). Here each loop is written so that
// clang vectorises it (restrict pointers, no cross-element dependence) and compiled twice — plain and
// for AVX2 — while RMSNorm sums four rows' chains at once.
//
// Bits: every element gets exactly the Swift expression, in the Swift order — products and sums left
// to right, the exponential with the bits of libm's expf (Swift's `Float.exp`; rc_expf_array), each
// row's Double sum over j in increasing order from +0 — and no FMA: the pragma forbids contraction
// and the AVX2 copies are not compiled for FMA. ElementwiseKernelTests compares both copies with the
// Swift arithmetic bit for bit.
#pragma STDC FP_CONTRACT OFF
#include "CElementwise.h"
#include "CCPUFeatures.h"
#include "CLibmExp.h"

#include <math.h>

#define RE_INLINE static inline __attribute__((always_inline))

RE_INLINE void swiglu_forward_body(const float *restrict g, const float *restrict u, float *restrict out,
                                   float *restrict den, long n) {
  float e[64];  // a block's exponentials (libm's bits: rc_expf_array), then vector arithmetic
  for (long i0 = 0; i0 < n; i0 += 64) {
    const long m = n - i0 < 64 ? n - i0 : 64;
    const float *gb = g + i0, *ub = u + i0;
    float *ob = out + i0;
    for (long l = 0; l < m; l++) e[l] = -gb[l];
    rc_expf_array(e, m);
    for (long l = 0; l < m; l++) e[l] = 1 + e[l];
    for (long l = 0; l < m; l++) ob[l] = gb[l] / e[l] * ub[l];
    if (den)
      for (long l = 0; l < m; l++) den[i0 + l] = e[l];
  }
}

RE_INLINE void swiglu_backward_body(const float *restrict g, const float *restrict u, const float *restrict den,
                                    const float *restrict d, float *restrict dg, float *restrict du, long n) {
  for (long i = 0; i < n; i++) {
    const float x = g[i], s = 1 / den[i];
    du[i] = d[i] * x * s;
    dg[i] = d[i] * u[i] * s * (1 + x * (1 - s));
  }
}

/// out = row · Float(inv) · w for one row whose Double sum of squares is ss.
RE_INLINE void rms_scale_row(const float *restrict row, const float *restrict w, float *restrict out, double ss,
                             long dim, double eps, double *inv) {
  const double rr = 1 / sqrt(ss / (double)dim + eps);
  *inv = rr;
  const float sr = (float)rr;
  for (long j = 0; j < dim; j++) out[j] = row[j] * sr * w[j];
}

RE_INLINE void rms_forward_body(const float *restrict x, const float *restrict w, float *restrict out,
                                double *restrict inv, long r0, long r1, long dim, double eps) {
  long r = r0;
  for (; r + 4 <= r1; r += 4) {  // four rows' sums side by side: four independent chains
    const float *a = x + r * dim, *b = a + dim, *c = b + dim, *e = c + dim;
    double sa = 0, sb = 0, sc = 0, se = 0;
    for (long j = 0; j < dim; j++) {
      sa += (double)a[j] * (double)a[j];
      sb += (double)b[j] * (double)b[j];
      sc += (double)c[j] * (double)c[j];
      se += (double)e[j] * (double)e[j];
    }
    rms_scale_row(a, w, out + r * dim, sa, dim, eps, inv + r);
    rms_scale_row(b, w, out + (r + 1) * dim, sb, dim, eps, inv + r + 1);
    rms_scale_row(c, w, out + (r + 2) * dim, sc, dim, eps, inv + r + 2);
    rms_scale_row(e, w, out + (r + 3) * dim, se, dim, eps, inv + r + 3);
  }
  for (; r < r1; r++) {
    const float *a = x + r * dim;
    double sa = 0;
    for (long j = 0; j < dim; j++) sa += (double)a[j] * (double)a[j];
    rms_scale_row(a, w, out + r * dim, sa, dim, eps, inv + r);
  }
}

/// dx of one row from its Double dot Σ g·w·x̂.
RE_INLINE void rms_dx_row(const float *restrict row, const float *restrict w, const float *restrict gr,
                          float *restrict dx, float rr, double dot, long dim) {
  const float mean = (float)(dot / (double)dim);
  for (long j = 0; j < dim; j++) dx[j] = rr * (gr[j] * w[j] - row[j] * rr * mean);
}

RE_INLINE void rms_backward_rows_body(const float *restrict x, const float *restrict w, const float *restrict g,
                                      const double *restrict inv, float *restrict dx, long r0, long r1, long dim) {
  long r = r0;
  for (; r + 4 <= r1; r += 4) {
    const float *xa = x + r * dim, *xb = xa + dim, *xc = xb + dim, *xe = xc + dim;
    const float *ga = g + r * dim, *gb = ga + dim, *gc = gb + dim, *ge = gc + dim;
    const float ra = (float)inv[r], rb = (float)inv[r + 1], rc = (float)inv[r + 2], re = (float)inv[r + 3];
    double da = 0, db = 0, dc = 0, de = 0;
    for (long j = 0; j < dim; j++) {
      da += (double)(ga[j] * w[j] * (xa[j] * ra));
      db += (double)(gb[j] * w[j] * (xb[j] * rb));
      dc += (double)(gc[j] * w[j] * (xc[j] * rc));
      de += (double)(ge[j] * w[j] * (xe[j] * re));
    }
    rms_dx_row(xa, w, ga, dx + r * dim, ra, da, dim);
    rms_dx_row(xb, w, gb, dx + (r + 1) * dim, rb, db, dim);
    rms_dx_row(xc, w, gc, dx + (r + 2) * dim, rc, dc, dim);
    rms_dx_row(xe, w, ge, dx + (r + 3) * dim, re, de, dim);
  }
  for (; r < r1; r++) {
    const float *xa = x + r * dim, *ga = g + r * dim, ra = (float)inv[r];
    double da = 0;
    for (long j = 0; j < dim; j++) da += (double)(ga[j] * w[j] * (xa[j] * ra));
    rms_dx_row(xa, w, ga, dx + r * dim, ra, da, dim);
  }
}

RE_INLINE void rms_backward_weight_body(const float *restrict x, const float *restrict g,
                                        const double *restrict inv, float *restrict dw, long rows, long dim, long c0,
                                        long c1) {
  for (long r = 0; r < rows; r++) {
    const float *xr = x + r * dim, *gr = g + r * dim, rr = (float)inv[r];
    for (long j = c0; j < c1; j++) dw[j] += gr[j] * (xr[j] * rr);
  }
}

RE_INLINE void rope_body(const float *restrict x, float *restrict y, const long *restrict slot,
                         const float *restrict cosines, const float *restrict sines, long r0, long r1, long heads,
                         long dim) {
  const long half = dim / 2;
  for (long r = r0; r < r1; r++) {
    const float *c = cosines + slot[r] * half, *s = sines + slot[r] * half;
    for (long h = 0; h < heads; h++) {
      const float *xa = x + (r * heads + h) * dim, *xb = xa + half;
      float *ya = y + (r * heads + h) * dim, *yb = ya + half;
      for (long i = 0; i < half; i++) {
        ya[i] = xa[i] * c[i] - xb[i] * s[i];
        yb[i] = xb[i] * c[i] + xa[i] * s[i];
      }
    }
  }
}

// Each body compiled twice: `name_portable` for any CPU, `name_avx2` with 8-wide registers (no FMA).
#if defined(__x86_64__) || defined(_M_X64)
#define RE_AVX2 __attribute__((target("avx2")))
#define RE_DISPATCH(simd, body, ...)                                 \
  do {                                                               \
    if ((simd) >= 1 && rc_cpu_has_avx2()) body##_avx2(__VA_ARGS__);  \
    else body##_portable(__VA_ARGS__);                               \
  } while (0)
#define RE_COPIES(body, params, args)                      \
  static void body##_portable params { body##_body args; } \
  RE_AVX2 static void body##_avx2 params { body##_body args; }
#else
#define RE_DISPATCH(simd, body, ...) ((void)(simd), body##_portable(__VA_ARGS__))
#define RE_COPIES(body, params, args) static void body##_portable params { body##_body args; }
#endif

RE_COPIES(swiglu_forward, (const float *g, const float *u, float *out, float *den, long n), (g, u, out, den, n))
RE_COPIES(swiglu_backward,
          (const float *g, const float *u, const float *den, const float *d, float *dg, float *du, long n),
          (g, u, den, d, dg, du, n))
RE_COPIES(rms_forward,
          (const float *x, const float *w, float *out, double *inv, long r0, long r1, long dim, double eps),
          (x, w, out, inv, r0, r1, dim, eps))
RE_COPIES(rms_backward_rows,
          (const float *x, const float *w, const float *g, const double *inv, float *dx, long r0, long r1, long dim),
          (x, w, g, inv, dx, r0, r1, dim))
RE_COPIES(rms_backward_weight,
          (const float *x, const float *g, const double *inv, float *dw, long rows, long dim, long c0, long c1),
          (x, g, inv, dw, rows, dim, c0, c1))
RE_COPIES(rope,
          (const float *x, float *y, const long *slot, const float *cosines, const float *sines, long r0, long r1,
           long heads, long dim),
          (x, y, slot, cosines, sines, r0, r1, heads, dim))

void rc_swiglu_forward(const float *g, const float *u, float *out, float *den, long n, int simd) {
  RE_DISPATCH(simd, swiglu_forward, g, u, out, den, n);
}

void rc_swiglu_backward(const float *g, const float *u, const float *den, const float *d, float *dg, float *du,
                        long n, int simd) {
  RE_DISPATCH(simd, swiglu_backward, g, u, den, d, dg, du, n);
}

void rc_rms_norm_forward(const float *x, const float *w, float *out, double *inv, long r0, long r1, long dim,
                         double eps, int simd) {
  RE_DISPATCH(simd, rms_forward, x, w, out, inv, r0, r1, dim, eps);
}

void rc_rms_norm_backward_rows(const float *x, const float *w, const float *g, const double *inv, float *dx,
                               long r0, long r1, long dim, int simd) {
  RE_DISPATCH(simd, rms_backward_rows, x, w, g, inv, dx, r0, r1, dim);
}

void rc_rms_norm_backward_weight(const float *x, const float *g, const double *inv, float *dw, long rows, long dim,
                                 long c0, long c1, int simd) {
  RE_DISPATCH(simd, rms_backward_weight, x, g, inv, dw, rows, dim, c0, c1);
}

void rc_rope_rotate(const float *x, float *y, const long *slot, const float *cosines, const float *sines, long r0,
                    long r1, long heads, long dim, int simd) {
  RE_DISPATCH(simd, rope, x, y, slot, cosines, sines, r0, r1, heads, dim);
}
