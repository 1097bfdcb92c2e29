// The packed GEMM's entry points: the path Dispatch.c chose (lode_cpu_path), or a named one.
#include "CLodeKernels.h"
#include "GemmKernels.h"

typedef struct {
    int (*sgemm)(int, int, long, long, long, float, const float *, long, const float *, long, float, float *, long);
    long (*tileRows)(void);
    long (*tileColumns)(void);
} GemmTable;

#define LODE_GEMM_TABLE(suffix) { lode_sgemm_##suffix, lode_sgemm_tile_rows_##suffix, lode_sgemm_tile_columns_##suffix }

static const GemmTable tables[LODE_CPU_PATH_COUNT] = {
    LODE_GEMM_TABLE(portable),
#if defined(__x86_64__)
    LODE_GEMM_TABLE(avx2),
    LODE_GEMM_TABLE(avx512),
#else
    LODE_GEMM_TABLE(portable),
    LODE_GEMM_TABLE(portable),
#endif
};

int lode_sgemm(int transA, int transB, long m, long n, long k, float alpha, const float *a, long lda, const float *b,
               long ldb, float beta, float *c, long ldc) {
    return tables[lode_cpu_path()].sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

int lode_sgemm_on_path(int path, int transA, int transB, long m, long n, long k, float alpha, const float *a, long lda,
                       const float *b, long ldb, float beta, float *c, long ldc) {
    if (!lode_cpu_path_available(path)) return -1;
    return tables[path].sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

long lode_sgemm_tile_rows(int path) { return path >= 0 && path < LODE_CPU_PATH_COUNT ? tables[path].tileRows() : 0; }
long lode_sgemm_tile_columns(int path) {
    return path >= 0 && path < LODE_CPU_PATH_COUNT ? tables[path].tileColumns() : 0;
}
