// Private: the per-path entry points Dispatch.c chooses among.
#ifndef LODE_KERNELS_PRIVATE_H
#define LODE_KERNELS_PRIVATE_H

#define LODE_DECLARE_PATH(suffix) \
    void lode_exp_##suffix(const float *x, float *y, long n); \
    void lode_exp_shifted_##suffix(const float *x, float *y, long n, float shift); \
    void lode_sigmoid_##suffix(const float *x, float *y, long n); \
    void lode_tanh_##suffix(const float *x, float *y, long n); \
    void lode_erf_##suffix(const float *x, float *y, long n); \
    void lode_gelu_##suffix(const float *x, float *y, long n); \
    void lode_gelu_backward_##suffix(const float *x, const float *g, float *out, long n); \
    void lode_idw_accumulate_##suffix(const float *whole, const float *fraction, const float *dy2, \
        const float *packed, long start, long end, float firstColumn, float *totals, float nearZero); \
    float lode_fma_loop_##suffix(long iterations, double *flops);

LODE_DECLARE_PATH(portable)
#if defined(__x86_64__)
LODE_DECLARE_PATH(avx2)
LODE_DECLARE_PATH(avx512)
#endif

#endif
