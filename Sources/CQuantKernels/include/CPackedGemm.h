// Register-blocked micro-kernels for TensorCore's portable matrix product (PortableGemm.swift),
// which packs the operands and calls these over one packed block; see PackedGemm.c for the why.
#ifndef CPACKEDGEMM_H
#define CPACKEDGEMM_H

#ifdef __cplusplus
extern "C" {
#endif

/// The widest kernel this CPU runs: 2 = AVX-512F (8 rows × 32 columns), 1 = AVX2 + FMA
/// (6 × 16), 0 = none (the caller then uses its own portable kernel).
int rc_gemm_level(void);

/// Rows and columns of C one micro-kernel call covers at `level` (1 or 2): the panel heights of
/// packed A and the panel widths of packed B.
int rc_gemm_mr(int level);
int rc_gemm_nr(int level);

/// One packed block: C[i·ldc + j] = alpha·Σ_{p<k} Â[i][p]·B̂[p][j] + beta·C[i·ldc + j] for i < m,
/// j < n, where Â is `a` packed as ⌈m/MR⌉ panels of k×MR values ([p·MR + r], zero-padded rows) and
/// B̂ is `b` packed as ⌈n/NR⌉ panels of k×NR values ([p·NR + c], zero-padded columns). beta = 0
/// writes C without reading it (NaN there is ignored). `level` must be 1 or 2 and ≤ rc_gemm_level().
void rc_gemm_block(int level, long m, long n, long k, const float *a, const float *b, float *c, long ldc,
                   float alpha, float beta);

/// Few rows without packing (packing B would cost as much as the product): for i < m, j < n,
/// C[i·ldc + j] = alpha·Σ_{p<k} x_i[p]·op(B)[p][j] + beta·C[i·ldc + j], where x_i[p] = a[i·ars + p·aks]
/// and op(B)[p][j] = trans_b ? b[j·ldb + p] : b[p·ldb + j]. beta = 0 does not read C. Needs
/// rc_gemm_level() ≥ 1.
void rc_gemm_rows(long m, long n, long k, const float *a, long ars, long aks, const float *b, long ldb,
                  int trans_b, float *c, long ldc, float alpha, float beta);

#ifdef __cplusplus
}
#endif

#endif
