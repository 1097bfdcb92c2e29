// Private: the per-path im2col / col2im DispatchIm2col.c chooses among.
#ifndef LODE_IM2COL_KERNELS_PRIVATE_H
#define LODE_IM2COL_KERNELS_PRIVATE_H
#include "CLodeIm2col.h"

#define LODE_DECLARE_IM2COL_PATH(suffix) \
    void lode_im2col_##suffix(const LodeConvShape *shape, const float *x, long first, long count, float *col, \
        long columns); \
    void lode_col2im_##suffix(const LodeConvShape *shape, const float *col, long first, long count, float *dx, \
        long columns);

LODE_DECLARE_IM2COL_PATH(portable)
#if defined(__x86_64__)
LODE_DECLARE_IM2COL_PATH(avx2)
LODE_DECLARE_IM2COL_PATH(avx512)
#endif

#endif
