// Lode's packed single-precision GEMM on the path lode_cpu_path() names (GemmBody.h says how and
// why). LodeTensor's GEMM chooses it over OpenBLAS where it is the faster of the two.
#ifndef CLODEGEMM_H
#define CLODEGEMM_H

/// C = alpha·op(A)·op(B) + beta·C, row-major, op(A) m×k and op(B) k×n (transposed when
/// transA / transB is non-zero), on the calling thread. beta 0 never reads C. Each entry is summed
/// in order of depth, so a caller may split C among threads without changing a float. Returns
/// 0, or -1 when its packing buffers could not be allocated (C is then untouched).
int lode_sgemm(int transA, int transB, long m, long n, long k, float alpha, const float *a, long lda, const float *b,
               long ldb, float beta, float *c, long ldc);
/// The same on a given path (tests compare the paths); -1 also when the CPU cannot run it.
int lode_sgemm_on_path(int path, int transA, int transB, long m, long n, long k, float alpha, const float *a, long lda,
                       const float *b, long ldb, float beta, float *c, long ldc);
/// The register tile's rows and columns on `path` (a product narrower than a few tiles is
/// better left to a GEMM made for small matrices).
long lode_sgemm_tile_rows(int path);
long lode_sgemm_tile_columns(int path);

#endif
