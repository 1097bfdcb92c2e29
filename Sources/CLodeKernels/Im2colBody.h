// im2col / col2im, compiled once per path after KernelBody.h (same LODE_W, LODE_NAME and no FMA
// contraction). Rows are short (tens of floats), so whole vectors move by fixed-size copies (one
// load or store each, never a libc call) and the tail element by element.
#include "Im2colKernels.h"

static inline __attribute__((always_inline)) void cols_zero(float *d, long n) {
    long i = 0;
    VF z = splatf(0);
    for (; i + LODE_W <= n; i += LODE_W) memcpy(d + i, &z, sizeof z);
    for (; i < n; i++) d[i] = 0;
}

static inline __attribute__((always_inline)) void cols_copy(float *d, const float *s, long n) {
    long i = 0;
    for (; i + LODE_W <= n; i += LODE_W) { VF v; memcpy(&v, s + i, sizeof v); memcpy(d + i, &v, sizeof v); }
    for (; i < n; i++) d[i] = s[i];
}

/// d[i] += s[i]: each element gets one rounded sum, as in the scalar loop.
static inline __attribute__((always_inline)) void cols_add(float *d, const float *s, long n) {
    long i = 0;
    for (; i + LODE_W <= n; i += LODE_W) {
        VF a, b;
        memcpy(&a, d + i, sizeof a); memcpy(&b, s + i, sizeof b);
        a = a + b;
        memcpy(d + i, &a, sizeof a);
    }
    for (; i < n; i++) d[i] += s[i];
}

/// The output columns [*lo, *hi) whose input column xo·stride − padding + kj lies in 0..<w.
static inline __attribute__((always_inline)) void cols_valid(const LodeConvShape *g, long kj, long *lo, long *hi) {
    long first = g->padding - kj;                        // xo·stride must be at least this
    long l = first > 0 ? (first + g->stride - 1) / g->stride : 0;
    if (l > g->ow) l = g->ow;
    long last = g->w - 1 + g->padding - kj;              // and at most this
    long h = last < 0 ? 0 : last / g->stride + 1;
    if (h > g->ow) h = g->ow;
    *lo = l;
    *hi = h > l ? h : l;
}

void LODE_NAME(lode_im2col)(const LodeConvShape *g, const float *x, long first, long count, float *col, long columns) {
    const long c = g->c, h = g->h, w = g->w, kh = g->kh, kw = g->kw, stride = g->stride, padding = g->padding;
    const long oh = g->oh, ow = g->ow, l = oh * ow;
    for (long ci = 0; ci < c; ci++) for (long ki = 0; ki < kh; ki++) for (long kj = 0; kj < kw; kj++) {
        float *row = col + ((ci * kh + ki) * kw + kj) * columns;
        long lo, hi;
        cols_valid(g, kj, &lo, &hi);
        for (long s = 0; s < count; s++) {
            const float *plane = x + ((first + s) * c + ci) * h * w;
            float *dst = row + s * l;
            for (long y = 0; y < oh; y++) {
                long iy = y * stride - padding + ki;
                float *d = dst + y * ow;
                if (iy < 0 || iy >= h) { cols_zero(d, ow); continue; }
                const float *s0 = plane + iy * w - padding + kj;
                for (long xo = 0; xo < lo; xo++) d[xo] = 0;
                if (stride == 1) {
                    cols_copy(d + lo, s0 + lo, hi - lo);
                } else {
                    for (long xo = lo; xo < hi; xo++) d[xo] = s0[xo * stride];
                }
                for (long xo = hi; xo < ow; xo++) d[xo] = 0;
            }
        }
    }
}

void LODE_NAME(lode_col2im)(const LodeConvShape *g, const float *col, long first, long count, float *dx, long columns) {
    const long c = g->c, h = g->h, w = g->w, kh = g->kh, kw = g->kw, stride = g->stride, padding = g->padding;
    const long oh = g->oh, ow = g->ow, l = oh * ow;
    for (long ci = 0; ci < c; ci++) for (long ki = 0; ki < kh; ki++) for (long kj = 0; kj < kw; kj++) {
        const float *row = col + ((ci * kh + ki) * kw + kj) * columns;
        long lo, hi;
        cols_valid(g, kj, &lo, &hi);
        for (long s = 0; s < count; s++) {
            float *plane = dx + ((first + s) * c + ci) * h * w;
            const float *src = row + s * l;
            for (long y = 0; y < oh; y++) {
                long iy = y * stride - padding + ki;
                if (iy < 0 || iy >= h) continue;
                float *d = plane + iy * w - padding + kj;
                const float *sr = src + y * ow;
                if (stride == 1) {
                    cols_add(d + lo, sr + lo, hi - lo);
                } else {
                    for (long xo = lo; xo < hi; xo++) d[xo * stride] += sr[xo];
                }
            }
        }
    }
}
