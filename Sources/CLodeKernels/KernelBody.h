// The kernels' body, compiled once per path: the including file defines LODE_W (float lanes),
// LODE_SUFFIX (the entry points' suffix), LODE_FMA (fused multiply-add available) and the
// target attribute. Vectors are clang/GCC vector extensions, so one text serves every width.
#include "Kernels.h"

// The helpers below are always inlined, so their vector arguments never cross an ABI boundary.
#pragma clang diagnostic ignored "-Wpsabi"
#define memcpy __builtin_memcpy

// No contraction into FMA here: every path must round the same way. (IDW fuses explicitly.)
#pragma clang fp contract(off)

#define LODE_PASTE2(a, b) a##_##b
#define LODE_PASTE(a, b) LODE_PASTE2(a, b)
#define LODE_NAME(name) LODE_PASTE(name, LODE_SUFFIX)

typedef float VF __attribute__((vector_size(LODE_W * 4)));
typedef int VI __attribute__((vector_size(LODE_W * 4)));
typedef double VD __attribute__((vector_size(LODE_W * 8)));
typedef long long VL __attribute__((vector_size(LODE_W * 8)));

static inline __attribute__((always_inline)) VF splatf(float v) { VF r = {0}; return r + v; }
static inline __attribute__((always_inline)) VD splatd(double v) { VD r = {0}; return r + v; }
/// *p in every lane, written lane by lane so the compiler emits one broadcast load (splatf's
/// 0 + x would cost an addition and a register shuffle, the latter on a port the FMAs use).
static inline __attribute__((always_inline)) VF splat_load(const float *p) {
    VF v;
    for (int i = 0; i < LODE_W; i++) v[i] = *p;
    return v;
}
static inline __attribute__((always_inline)) VF selectf(VI mask, VF a, VF b) { return (VF)(((VI)a & mask) | ((VI)b & ~mask)); }
static inline __attribute__((always_inline)) VD selectd(VL mask, VD a, VD b) { return (VD)(((VL)a & mask) | ((VL)b & ~mask)); }
/// Limits x to [lo, hi]; NaN stays NaN (both comparisons are false for it).
static inline __attribute__((always_inline)) VF clampf(VF x, float lo, float hi) {
    x = selectf((VI)(x < splatf(lo)), splatf(lo), x);
    return selectf((VI)(x > splatf(hi)), splatf(hi), x);
}
static inline __attribute__((always_inline)) VD clampd(VD x, double lo, double hi) {
    x = selectd((VL)(x < splatd(lo)), splatd(lo), x);
    return selectd((VL)(x > splatd(hi)), splatd(hi), x);
}
static inline __attribute__((always_inline)) VD widened(VF x) { return __builtin_convertvector(x, VD); }
static inline __attribute__((always_inline)) VF narrowed(VD x) { return __builtin_convertvector(x, VF); }

/// exp(a) in double for a in [-700, 700] (callers clamp), relative error ~1e-15:
/// a = n·ln2 + r with |r| <= ln2/2 (Cody-Waite ln2 split, exact n·ln2_hi), exp(r) by its Taylor
/// series to r^11 (remainder < 7e-15), times 2^n built in the exponent bits.
static inline __attribute__((always_inline)) VD expd(VD a) {
    const double magic = 6755399441055744.0; // 1.5·2^52: adding it rounds to an integer kept in the low bits
    VD t = a * 1.4426950408889634 + magic;
    VD n = t - magic;
    VD r = (a - n * 6.93147180369123816490e-01) - n * 1.90821492927058770002e-10;
    VD p = splatd(1.0 / 39916800.0);
    p = p * r + 1.0 / 3628800.0;
    p = p * r + 1.0 / 362880.0;
    p = p * r + 1.0 / 40320.0;
    p = p * r + 1.0 / 5040.0;
    p = p * r + 1.0 / 720.0;
    p = p * r + 1.0 / 120.0;
    p = p * r + 1.0 / 24.0;
    p = p * r + 1.0 / 6.0;
    p = p * r + 0.5;
    p = p * r + 1.0;
    p = p * r + 1.0;
    VL k = (VL)t - (VL)splatd(magic);
    VL scale = (k + 1023) << 52;
    return p * (VD)scale;
}

/// 1/(2n+1) for n = 1...61, the erf series' divisors.
static const double inverseOdd[61] = {
    0.33333333333333331,
    0.20000000000000001,
    0.14285714285714285,
    0.1111111111111111,
    0.090909090909090912,
    0.076923076923076927,
    0.066666666666666666,
    0.058823529411764705,
    0.052631578947368418,
    0.047619047619047616,
    0.043478260869565216,
    0.040000000000000001,
    0.037037037037037035,
    0.034482758620689655,
    0.032258064516129031,
    0.030303030303030304,
    0.028571428571428571,
    0.027027027027027029,
    0.02564102564102564,
    0.024390243902439025,
    0.023255813953488372,
    0.022222222222222223,
    0.021276595744680851,
    0.020408163265306121,
    0.019607843137254902,
    0.018867924528301886,
    0.018181818181818181,
    0.017543859649122806,
    0.016949152542372881,
    0.016393442622950821,
    0.015873015873015872,
    0.015384615384615385,
    0.014925373134328358,
    0.014492753623188406,
    0.014084507042253521,
    0.013698630136986301,
    0.013333333333333334,
    0.012987012987012988,
    0.012658227848101266,
    0.012345679012345678,
    0.012048192771084338,
    0.011764705882352941,
    0.011494252873563218,
    0.011235955056179775,
    0.01098901098901099,
    0.010752688172043012,
    0.010526315789473684,
    0.010309278350515464,
    0.010101010101010102,
    0.0099009900990099011,
    0.0097087378640776691,
    0.0095238095238095247,
    0.0093457943925233638,
    0.0091743119266055051,
    0.0090090090090090089,
    0.0088495575221238937,
    0.0086956521739130436,
    0.0085470085470085479,
    0.0084033613445378148,
    0.0082644628099173556,
    0.008130081300813009,
};

/// erf(z) in double for |z| <= 3.95 (callers clamp; erf rounds to ±1 in float beyond 3.92):
/// erf z = 2/√π · e^(−z²) · Σ (2z²)^n z / (1·3···(2n+1)), all terms of one sign so no cancellation;
/// 61 terms leave a remainder below 1e-17 of the sum at |z| = 3.95.
static inline __attribute__((always_inline)) VD erfd(VD z) {
    VD z2 = z * z, twoZ2 = z2 + z2;
    VD term = z, sum = z;
    for (int k = 0; k < 61; k++) {
        term = term * twoZ2 * inverseOdd[k];
        sum = sum + term;
    }
    return sum * expd(-z2) * 1.1283791670955126;
}

static inline __attribute__((always_inline)) VF exp_f(VF x) {
    // exp(-104) rounds to 0 and exp(89) overflows in float, so clamping changes no result.
    VF c = clampf(x, -104.0f, 89.0f);
    return narrowed(expd(widened(c)));
}

static inline __attribute__((always_inline)) VF sigmoid_f(VF x) {
    VD d = widened(clampf(x, -120.0f, 120.0f));
    return narrowed(1.0 / (1.0 + expd(-d)));
}

static inline __attribute__((always_inline)) VF tanh_f(VF x) {
    // tanh(10) rounds to 1 in float. Below |x| = 2^-10, x − x³/3 is exact to 2^-41 relative and
    // avoids exp(2x) − 1 losing digits.
    VD d = widened(clampf(x, -10.0f, 10.0f));
    VD e = expd(d + d) - 1.0;
    VD large = e / (e + 2.0);
    VD small = d - d * d * d * (1.0 / 3.0);
    VD magnitude = selectd((VL)(d < 0.0), -d, d);
    return narrowed(selectd((VL)(magnitude < splatd(0x1p-10)), small, large));
}

static inline __attribute__((always_inline)) VF erf_f(VF x) {
    VD z = widened(clampf(x, -3.95f, 3.95f));
    return narrowed(erfd(z));
}

// GELU and its derivative: in float lanes, unlike the kernels above.
#include "GELU.h"

// Whole vectors straight from memory; the tail through a zero-padded buffer.
#define LODE_MAP(name, kernel) \
    void LODE_NAME(name)(const float *x, float *y, long n) { \
        long i = 0; \
        for (; i + LODE_W <= n; i += LODE_W) { \
            VF v; memcpy(&v, x + i, sizeof v); v = kernel(v); memcpy(y + i, &v, sizeof v); \
        } \
        if (i < n) { \
            float buffer[LODE_W] = {0}; \
            memcpy(buffer, x + i, (unsigned long)(n - i) * sizeof(float)); \
            VF v; memcpy(&v, buffer, sizeof v); v = kernel(v); memcpy(buffer, &v, sizeof v); \
            memcpy(y + i, buffer, (unsigned long)(n - i) * sizeof(float)); \
        } \
    }

LODE_MAP(lode_exp, exp_f)
LODE_MAP(lode_sigmoid, sigmoid_f)
LODE_MAP(lode_tanh, tanh_f)
LODE_MAP(lode_erf, erf_f)
LODE_MAP(lode_gelu, gelu_f)

void LODE_NAME(lode_exp_shifted)(const float *x, float *y, long n, float shift) {
    long i = 0;
    for (; i + LODE_W <= n; i += LODE_W) {
        VF v; memcpy(&v, x + i, sizeof v); v = exp_f(v - shift); memcpy(y + i, &v, sizeof v);
    }
    for (; i < n; i++) {
        float buffer[LODE_W] = {0};
        buffer[0] = x[i] - shift;
        VF v; memcpy(&v, buffer, sizeof v); v = exp_f(v); y[i] = v[0];
    }
}

void LODE_NAME(lode_gelu_backward)(const float *x, const float *g, float *out, long n) {
    long i = 0;
    for (; i + LODE_W <= n; i += LODE_W) {
        VF v, w; memcpy(&v, x + i, sizeof v); memcpy(&w, g + i, sizeof w);
        v = w * gelu_derivative_f(v);
        memcpy(out + i, &v, sizeof v);
    }
    for (; i < n; i++) {
        float buffer[LODE_W] = {0};
        buffer[0] = x[i];
        VF v; memcpy(&v, buffer, sizeof v); v = gelu_derivative_f(v); out[i] = g[i] * v[0];
    }
}

typedef float V8 __attribute__((vector_size(32)));
typedef int VI8 __attribute__((vector_size(32)));

void LODE_NAME(lode_idw_accumulate)(const float *whole, const float *fraction, const float *dy2, const float *packed,
                                    long start, long end, float firstColumn, float *totals, float nearZero) {
    V8 cx = {0, 1, 2, 3, 4, 5, 6, 7};
    cx = cx + firstColumn;
    V8 zero = {0};
    V8 floor = zero + nearZero;
    V8 a[16];
    for (int k = 0; k < 16; k++) a[k] = zero;
    for (long p = start; p < end; p++) {
        V8 dx = (cx - whole[p]) - fraction[p];
        V8 d2 = dx * dx + dy2[p];
        d2 = (V8)(((VI8)(d2 < floor) & (VI8)floor) | (~(VI8)(d2 < floor) & (VI8)d2));
        V8 w = 1.0f / d2;
        const float *s = packed + p * 16;
        for (int k = 0; k < 16; k++) {
#if defined(LODE_FMA)
            a[k] = __builtin_elementwise_fma(w, zero + s[k], a[k]);
#else
            a[k] = a[k] + w * s[k];
#endif
        }
    }
    for (int k = 0; k < 16; k++) {
        V8 t; memcpy(&t, totals + k * 8, sizeof t);
        t = t + a[k];
        memcpy(totals + k * 8, &t, sizeof t);
    }
}

/// The FMA peak probe: 12 independent chains acc = acc·m + a (enough to cover the FMA latency
/// on two ports), so the loop runs at the core's multiply-add throughput. The FMA paths fuse;
/// the portable path issues a multiply and an add (the same two flops). Returns a sum of the
/// accumulators so the work cannot be dropped; *flops gets the flops done.
float LODE_NAME(lode_fma_loop)(long iterations, double *flops) {
    enum { chains = 12 };
    VF acc[chains];
    for (int k = 0; k < chains; k++) acc[k] = splatf(0.001f * (float)k);
    const VF m = splatf(0.9999999f), a = splatf(1e-7f);
    for (long i = 0; i < iterations; i++) {
        for (int k = 0; k < chains; k++) {
#if defined(LODE_FMA)
            acc[k] = __builtin_elementwise_fma(acc[k], m, a);
#else
            acc[k] = acc[k] * m + a;
#endif
        }
    }
    VF total = splatf(0);
    for (int k = 0; k < chains; k++) total = total + acc[k];
    float sum = 0;
    for (int j = 0; j < LODE_W; j++) sum += total[j];
    *flops = 2.0 * LODE_W * chains * (double)iterations;
    return sum;
}
