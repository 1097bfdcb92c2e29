// Every float with |x| <= 16 (2.2e9 inputs; beyond, GELU is x or -0 and GELU' 1 or -0) through
// the GELU kernels of one path against long double erfcl/expl, as a histogram of ulp distances.
// The XCTest (TranscendentalKernelTests) checks a 4.4e6-input sample; this is the full check:
//   clang -O2 -DPATH=512 -ISources/CLodeKernels -ISources/CLodeKernels/include \
//     scripts/gelu_exhaustive.c -o /tmp/gelu_exhaustive -lm && /tmp/gelu_exhaustive [stride]
// PATH=512, 2 or 0 (portable). About 5 minutes on one core for stride 1.
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if PATH == 512
#pragma clang attribute push(__attribute__((target("avx512f,avx2,fma"))), apply_to = function)
#define LODE_W 16
#define LODE_FMA 1
#elif PATH == 2
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#define LODE_W 8
#define LODE_FMA 1
#else
#define LODE_W 4
#endif
#define LODE_SUFFIX check
#include "KernelBody.h"
#if PATH == 512 || PATH == 2
#pragma clang attribute pop
#endif

static int64_t ordered(float f) { int32_t b; memcpy(&b, &f, 4); return b < 0 ? (int64_t)INT32_MIN - b : b; }
static int64_t ulps(float a, float b) {
    if (isnan(a) || isnan(b)) return isnan(a) && isnan(b) ? 0 : INT64_MAX;
    int64_t d = ordered(a) - ordered(b);
    return d < 0 ? -d : d;
}
static long double gelu(long double x) { return x * 0.5L * erfcl(-x / sqrtl(2.0L)); }
static long double derivative(long double x) {
    return 0.5L * erfcl(-x / sqrtl(2.0L)) + x * expl(-0.5L * x * x) / sqrtl(2 * 3.14159265358979323846264338327950288L);
}

int main(int argc, char **argv) {
    long stride = argc > 1 ? atol(argv[1]) : 1;
    enum { block = 1 << 16, bins = 8 };
    static float x[block], y[block], d[block], ones[block];
    for (int i = 0; i < block; i++) ones[i] = 1;
    long long histogram[2][bins] = {{0}};
    int64_t worst[2] = {0, 0};
    float worstAt[2] = {0, 0};
    uint32_t top;
    float sixteen = 16;
    memcpy(&top, &sixteen, 4);
    for (uint32_t sign = 0; sign < 2; sign++) {
        for (uint64_t u = 0; u <= top;) {
            int n = 0;
            for (; n < block && u <= top; n++, u += (uint64_t)stride) {
                uint32_t bits = (uint32_t)u | (sign ? 0x80000000u : 0);
                memcpy(&x[n], &bits, 4);
            }
            lode_gelu_check(x, y, n);
            lode_gelu_backward_check(x, ones, d, n);
            for (int i = 0; i < n; i++) {
                int64_t e[2] = {ulps(y[i], (float)gelu(x[i])), ulps(d[i], (float)derivative(x[i]))};
                for (int k = 0; k < 2; k++) {
                    histogram[k][e[k] < bins - 1 ? e[k] : bins - 1]++;
                    if (e[k] > worst[k]) { worst[k] = e[k]; worstAt[k] = x[i]; }
                }
            }
        }
    }
    const char *names[2] = {"gelu", "gelu'"};
    for (int k = 0; k < 2; k++) {
        printf("%s: worst %lld ulp at x = %.9g; inputs by ulp distance 0..%d+:", names[k], (long long)worst[k], worstAt[k], bins - 1);
        for (int b = 0; b < bins; b++) printf(" %lld", histogram[k][b]);
        printf("\n");
    }
    return 0;
}
