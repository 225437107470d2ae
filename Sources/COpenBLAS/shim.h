// The few CBLAS entry points Recheck uses, declared here (rather than including <cblas.h>) so the
// build does not depend on where a distribution puts the header. Signatures follow the reference
// CBLAS interface (netlib), which OpenBLAS implements. Layout/transpose enums are plain ints:
// RowMajor = 101, NoTrans = 111, Trans = 112.
#pragma once
void cblas_sgemm(int layout, int transA, int transB, int m, int n, int k, float alpha,
                 const float *a, int lda, const float *b, int ldb, float beta, float *c, int ldc);
void cblas_dgemm(int layout, int transA, int transB, int m, int n, int k, double alpha,
                 const double *a, int lda, const double *b, int ldb, double beta, double *c, int ldc);
void cblas_sgemv(int layout, int trans, int m, int n, float alpha, const float *a, int lda,
                 const float *x, int incx, float beta, float *y, int incy);
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
