// See CCPUFeatures.h. One copy of the check, so that every kernel choosing a SIMD path agrees.
#include "CCPUFeatures.h"

int rc_cpu_features(void) {
#if defined(__x86_64__) || defined(_M_X64)
  static int features = -1;  // a benign race: every thread computes the same value
  if (features < 0) {
    __builtin_cpu_init();
    int bits = 0;
    if (__builtin_cpu_supports("avx2")) bits |= RC_CPU_AVX2;
    if (__builtin_cpu_supports("fma")) bits |= RC_CPU_FMA;
    if (__builtin_cpu_supports("f16c")) bits |= RC_CPU_F16C;
    if (__builtin_cpu_supports("avx512f")) bits |= RC_CPU_AVX512F;
    features = bits;
  }
  return features;
#else
  return 0;
#endif
}

int rc_cpu_has_all(int mask) { return (rc_cpu_features() & mask) == mask ? 1 : 0; }

int rc_cpu_has_avx2(void) { return rc_cpu_has_all(RC_CPU_AVX2); }
