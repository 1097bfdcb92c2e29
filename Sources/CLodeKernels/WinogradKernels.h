// Private: the per-path Winograd transforms DispatchWinograd.c chooses among.
#ifndef LODE_WINOGRAD_KERNELS_PRIVATE_H
#define LODE_WINOGRAD_KERNELS_PRIVATE_H
#include "CLodeWinograd.h"

#define LODE_DECLARE_WINOGRAD_PATH(suffix) \
    void lode_winograd2_input_##suffix(const float *x, long channels, long count, long h, long w, float *v, \
        long positionStride, float *pad); \
    void lode_winograd4_input_##suffix(const float *x, long channels, long count, long h, long w, float *v, \
        long positionStride, float *pad); \
    void lode_winograd2_output_##suffix(const float *m, long channels, long count, long h, long w, \
        const float *bias, float *out, long positionStride, float *pad, int relu); \
    void lode_winograd4_output_##suffix(const float *m, long channels, long count, long h, long w, \
        const float *bias, float *out, long positionStride, float *pad, int relu); \
    void lode_winograd2_output_gradient_##suffix(const float *gy, long channels, long count, long h, long w, \
        float *dm, long positionStride, float *pad); \
    void lode_winograd4_output_gradient_##suffix(const float *gy, long channels, long count, long h, long w, \
        float *dm, long positionStride, float *pad); \
    void lode_winograd_gradient_product_##suffix(const float *a, long lda, const float *b, long ldb, long rows, \
        long columns, long depth, float *out, long ldo); \
    void lode_winograd2_kernel_##suffix(const float *g, long o, long c, long ci0, long ci1, float *u, \
        long positionStride, int flip); \
    void lode_winograd4_kernel_##suffix(const float *g, long o, long c, long ci0, long ci1, float *u, \
        long positionStride, int flip); \
    void lode_winograd2_kernel_gradient_##suffix(const float *du, long positionStride, long pair0, long pair1, \
        float *dg); \
    void lode_winograd4_kernel_gradient_##suffix(const float *du, long positionStride, long pair0, long pair1, \
        float *dg); \
    void lode_winograd_product_##suffix(const float *a, long lda, const float *b, long ldb, long rows, \
        long columns, long depth, float *out, long ldo);

LODE_DECLARE_WINOGRAD_PATH(portable)
#if defined(__x86_64__)
LODE_DECLARE_WINOGRAD_PATH(avx2)
LODE_DECLARE_WINOGRAD_PATH(avx512)
#endif

#endif
