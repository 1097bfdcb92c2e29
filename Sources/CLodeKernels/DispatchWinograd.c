// The Winograd transforms' entry points: the path Dispatch.c chose (lode_cpu_path).
#include "CLodeKernels.h"
#include "WinogradKernels.h"

typedef struct {
    void (*input2)(const float *, long, long, long, long, float *, long, float *);
    void (*input4)(const float *, long, long, long, long, float *, long, float *);  // (x, channels, count, h, w, v, positionStride, pad)
    void (*output2)(const float *, long, long, long, long, const float *, float *, long, float *, int);
    void (*output4)(const float *, long, long, long, long, const float *, float *, long, float *, int);
    void (*outputGradient2)(const float *, long, long, long, long, float *, long, float *);
    void (*outputGradient4)(const float *, long, long, long, long, float *, long, float *);
    void (*gradientProduct)(const float *, long, const float *, long, long, long, long, float *, long);
    void (*product)(const float *, long, const float *, long, long, long, long, float *, long);
    void (*kernel2)(const float *, long, long, long, long, float *, long, int);
    void (*kernel4)(const float *, long, long, long, long, float *, long, int);
    void (*kernelGradient2)(const float *, long, long, long, float *);
    void (*kernelGradient4)(const float *, long, long, long, float *);
} WinogradTable;

#define LODE_WINOGRAD_TABLE(suffix) { lode_winograd2_input_##suffix, lode_winograd4_input_##suffix, \
    lode_winograd2_output_##suffix, lode_winograd4_output_##suffix, lode_winograd2_output_gradient_##suffix, \
    lode_winograd4_output_gradient_##suffix, lode_winograd_gradient_product_##suffix, \
    lode_winograd_product_##suffix, lode_winograd2_kernel_##suffix, lode_winograd4_kernel_##suffix, \
    lode_winograd2_kernel_gradient_##suffix, lode_winograd4_kernel_gradient_##suffix }

static const WinogradTable tables[LODE_CPU_PATH_COUNT] = {
    LODE_WINOGRAD_TABLE(portable),
#if defined(__x86_64__)
    LODE_WINOGRAD_TABLE(avx2),
    LODE_WINOGRAD_TABLE(avx512),
#else
    LODE_WINOGRAD_TABLE(portable),
    LODE_WINOGRAD_TABLE(portable),
#endif
};

static inline const WinogradTable *table(void) { return &tables[lode_cpu_path()]; }

void lode_winograd_input(int m, const float *x, long channels, long count, long h, long w, float *v, long positionStride,
                         float *pad) {
    (m == 4 ? table()->input4 : table()->input2)(x, channels, count, h, w, v, positionStride, pad);
}

void lode_winograd_output(int m, const float *mm, long channels, long count, long h, long w, const float *bias, float *out,
                          long positionStride, float *pad, int relu) {
    (m == 4 ? table()->output4 : table()->output2)(mm, channels, count, h, w, bias, out, positionStride, pad, relu);
}

void lode_winograd_output_gradient(int m, const float *gy, long channels, long count, long h, long w, float *dm,
                                   long positionStride, float *pad) {
    (m == 4 ? table()->outputGradient4 : table()->outputGradient2)(gy, channels, count, h, w, dm, positionStride, pad);
}

void lode_winograd_gradient_product(const float *a, long lda, const float *b, long ldb, long rows, long columns, long depth,
                                    float *out, long ldo) {
    table()->gradientProduct(a, lda, b, ldb, rows, columns, depth, out, ldo);
}

void lode_winograd_product(const float *a, long lda, const float *b, long ldb, long rows, long columns, long depth,
                           float *out, long ldo) {
    table()->product(a, lda, b, ldb, rows, columns, depth, out, ldo);
}

void lode_winograd_kernel(int m, const float *g, long o, long c, long ci0, long ci1, float *u, long positionStride,
                          int flip) {
    (m == 4 ? table()->kernel4 : table()->kernel2)(g, o, c, ci0, ci1, u, positionStride, flip);
}

void lode_winograd_kernel_gradient(int m, const float *du, long positionStride, long pair0, long pair1, float *dg) {
    (m == 4 ? table()->kernelGradient4 : table()->kernelGradient2)(du, positionStride, pair0, pair1, dg);
}
