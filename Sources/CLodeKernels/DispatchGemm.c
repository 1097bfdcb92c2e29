// The packed GEMM's entry points: the path Dispatch.c chose (lode_cpu_path), or a named one.
#include <pthread.h>
#include "CLodeKernels.h"
#include "GemmKernels.h"

// Each thread's packing buffer (1 MB on AVX-512), kept between products and freed by
// the thread-specific key's destructor when the thread ends, so threads that come and go (GCD's,
// a kernel's) leave nothing behind.
typedef struct {
    float *data;
    long floats;
} GemmScratch;

static pthread_key_t scratchKey;
static pthread_once_t scratchOnce = PTHREAD_ONCE_INIT;

static void scratch_free(void *p) {
    GemmScratch *scratch = p;
    free(scratch->data);
    free(scratch);
}

static void scratch_key_make(void) { pthread_key_create(&scratchKey, scratch_free); }

float *lode_gemm_scratch(long floats) {
    pthread_once(&scratchOnce, scratch_key_make);
    GemmScratch *scratch = pthread_getspecific(scratchKey);
    if (!scratch) {
        scratch = calloc(1, sizeof(GemmScratch));
        if (!scratch || pthread_setspecific(scratchKey, scratch) != 0) {
            free(scratch);
            return NULL;
        }
    }
    if (scratch->floats < floats) {
        free(scratch->data);
        scratch->data = aligned_alloc(64, (size_t)((floats * (long)sizeof(float) + 63) / 64 * 64));
        scratch->floats = scratch->data ? floats : 0;
    }
    return scratch->data;
}

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
