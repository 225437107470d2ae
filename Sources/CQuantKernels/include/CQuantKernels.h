// Integer block dot products for the quantized matmul (TensorCore/QuantizedKernels.swift), written
// with x86 AVX2 intrinsics. Swift cannot compile one function for a wider instruction set than the
// rest of the module, and building the whole package with -mavx2 would make the binary crash on
// CPUs without it; C's per-function `target` attribute plus a run-time CPU check gives AVX2 speed
// where available and leaves the portable Swift kernels everywhere else (and on non-x86 hosts).
#ifndef CQUANTKERNELS_H
#define CQUANTKERNELS_H

#include <stdint.h>

#include "CCausalAttention.h"
#include "CCPUFeatures.h"
#include "CDecodeAttention.h"
#include "CElementwise.h"
#include "CLibmExp.h"
#include "CLlamaCppArithmetic.h"
#include "CPackedGemm.h"
#include "CThreadPool.h"

#ifdef __cplusplus
extern "C" {
#endif

/// 1 when this CPU runs the AVX2 kernels below (x86-64 with AVX2 and FMA), else 0; the kernels
/// must not be called when it returns 0.
int rq_avx2_available(void);

/// The weight and activation planes of one quantized matmul, as `QuantizedMatrix` and
/// `QuantizedActivations` lay them out: per block of 32 values a Float scale d (and for Q4_1 a
/// minimum m / for Q8_1 a block sum s), packed integers contiguous per row.
typedef struct {
  const float *wd;      ///< (rows · nb) weight scales
  const float *wm;      ///< (rows · nb) weight minimums (Q4_1) — unused otherwise
  const uint8_t *wq;    ///< rows · nb · (16 or 32) packed weight integers
  const float *xd;      ///< (m · nb) activation scales
  const float *xs;      ///< (m · nb) activation block sums d·Σq (Q8_1) — unused otherwise
  const int8_t *xq;     ///< m · nb · 32 int8 activations
  float *y;             ///< (m, n) outputs, row stride n
  long nb;              ///< blocks per row (cols / 32)
  long m;               ///< activation rows
  long n;               ///< weight rows (output columns of y)
} rq_matmul_args;

/// y[i, r] = Σ_b d_w·d_x·Σ_j q_w·q_x (+ m_w·s_x for Q4_1) for weight rows r in [r0, r1) and every
/// activation row i. format: 0 = Q4_1×Q8_1, 1 = Q4_0×Q8_0, 2 = Q8_0×Q8_0.
void rq_matmul_avx2(const rq_matmul_args *args, int format, long r0, long r1);

/// Quantises `blocks` blocks of 32 Floats at x to int8 (q = round-half-even(x·127/amax), 0 when
/// amax = 0), writing each block's amax = max|x| and integer sum Σq; the caller derives the
/// binary16 scale and Q8_1 sum from them (TensorCore's `QuantizedActivations`).
void rq_quantize_avx2(const float *x, long blocks, float *amax, int8_t *q, int32_t *qsum);

#ifdef __cplusplus
}
#endif

#endif
