// im2col / col2im entry points: the path Dispatch.c chose (lode_cpu_path).
#include "CLodeKernels.h"
#include "Im2colKernels.h"

typedef struct {
    void (*im2col)(const LodeConvShape *, const float *, long, long, float *, long);
    void (*col2im)(const LodeConvShape *, const float *, long, long, float *, long);
} Im2colTable;

#define LODE_IM2COL_TABLE(suffix) { lode_im2col_##suffix, lode_col2im_##suffix }

static const Im2colTable tables[LODE_CPU_PATH_COUNT] = {
    LODE_IM2COL_TABLE(portable),
#if defined(__x86_64__)
    LODE_IM2COL_TABLE(avx2),
    LODE_IM2COL_TABLE(avx512),
#else
    LODE_IM2COL_TABLE(portable),
    LODE_IM2COL_TABLE(portable),
#endif
};

void lode_im2col(const LodeConvShape *shape, const float *x, long first, long count, float *col, long columns) {
    tables[lode_cpu_path()].im2col(shape, x, first, count, col, columns);
}

void lode_col2im(const LodeConvShape *shape, const float *col, long first, long count, float *dx, long columns) {
    tables[lode_cpu_path()].col2im(shape, col, first, count, dx, columns);
}
