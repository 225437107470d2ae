// Run-time CPU checks shared by every kernel that keeps a plain and a SIMD copy of the same arithmetic:
// one place asks the CPU, so the kernels that pick a path (matrix products, attention, elementwise
// layers, e^x, quantized dots) agree on what this machine has.
#ifndef CCPUFEATURES_H
#define CCPUFEATURES_H

#ifdef __cplusplus
extern "C" {
#endif

/// Bits of `rc_cpu_features`.
enum {
  RC_CPU_AVX2 = 1,
  RC_CPU_FMA = 2,
  RC_CPU_F16C = 4,
  RC_CPU_AVX512F = 8,
};

/// The instruction sets this CPU runs (x86-64 only; 0 elsewhere), as `RC_CPU_*` bits; computed once.
int rc_cpu_features(void);

/// 1 when this CPU runs AVX2 code (x86-64 only), else 0.
int rc_cpu_has_avx2(void);

/// 1 when every bit of `mask` is in `rc_cpu_features()`, else 0.
int rc_cpu_has_all(int mask);

#ifdef __cplusplus
}
#endif

#endif
