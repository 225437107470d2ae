// See CCPUFeatures.h. One copy of the check, so that every kernel choosing its AVX2 path agrees.
#include "CCPUFeatures.h"

int rc_cpu_has_avx2(void) {
#if defined(__x86_64__) || defined(_M_X64)
  static int available = -1;  // a benign race: every thread computes the same value
  if (available < 0) {
    __builtin_cpu_init();
    available = __builtin_cpu_supports("avx2") ? 1 : 0;
  }
  return available;
#else
  return 0;
#endif
}
