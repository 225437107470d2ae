// Run-time CPU checks shared by the kernels that keep a plain and an AVX2 copy of the same arithmetic.
#ifndef CCPUFEATURES_H
#define CCPUFEATURES_H

#ifdef __cplusplus
extern "C" {
#endif

/// 1 when this CPU runs AVX2 code (x86-64 only), else 0; computed once.
int rc_cpu_has_avx2(void);

#ifdef __cplusplus
}
#endif

#endif
