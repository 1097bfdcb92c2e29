// Private: the per-path GEMMs DispatchGemm.c chooses among.
#ifndef LODE_GEMM_KERNELS_PRIVATE_H
#define LODE_GEMM_KERNELS_PRIVATE_H
#include <stdlib.h>
#include "CLodeGemm.h"

/// The calling thread's packing buffer, at least `floats` long (64-byte aligned), grown on demand
/// and freed when the thread ends; NULL when it cannot be had.
float *lode_gemm_scratch(long floats);

#define LODE_DECLARE_GEMM_PATH(suffix) \
    int lode_sgemm_##suffix(int transA, int transB, long m, long n, long k, float alpha, const float *a, long lda, \
        const float *b, long ldb, float beta, float *c, long ldc); \
    long lode_sgemm_tile_rows_##suffix(void); \
    long lode_sgemm_tile_columns_##suffix(void);

LODE_DECLARE_GEMM_PATH(portable)
#if defined(__x86_64__)
LODE_DECLARE_GEMM_PATH(avx2)
LODE_DECLARE_GEMM_PATH(avx512)
#endif

#endif
