// e^x for arrays of floats, bit for bit the libm `expf` that Swift's `Float.exp` calls — eight at a
// time where the CPU and the C library allow it (see LibmExp.c).
#ifndef CLIBMEXP_H
#define CLIBMEXP_H

#ifdef __cplusplus
extern "C" {
#endif

/// x_i ← expf(x_i) for i < n, in place; the same bits as calling libm's expf on each element.
void rc_expf_array(float *x, long n);

/// 1 when rc_expf_array runs its 8-wide path (x86-64 with AVX2 and FMA, and this process's libm
/// agreeing with it on a probe set at first use); 0 when it calls libm's expf element by element.
int rc_expf_vector_available(void);

/// The 8-wide path alone on x[0…7] (for tests): y_i = its e^(x_i). Call only when
/// rc_expf_vector_available() returns 1.
void rc_expf8(const float *x, float *y);

#ifdef __cplusplus
}
#endif

#endif
