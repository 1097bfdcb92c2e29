// GELU and its derivative in float lanes, included by KernelBody.h (which defines VF, VI, splatf,
// selectf). With t = |x|, E = e^(−t²/2), c = 1/√(2π) and F(t) = Φ(−t)·e^(t²/2):
//   Φ(x) = E·F(t) for x < 0 and 1 − E·F(t) for x ≥ 0,
// so the small Φ of negative x comes from the erfc side, never from 1 − (something near 1).
//   GELU'(x) = Φ(x) + x·φ(x) = E·D(t) for x < 0 and 1 − E·D(t) for x ≥ 0, D(t) = F(t) − c·t.
// The fitted parts enter only as corrections, so their rounding is damped (the trick fdlibm's
// erfc uses): F = c/(t + W(t)) with W's share W/(t + W) of the denominator falling from 1 at 0 to
// 1/t² far out, and D = (r − t)·(c + V(t)), r its root (GELU's minimum is at x = −r), V/(c + V) <= 0.4,
// which keeps the derivative's relative accuracy next to that zero. No FMA anywhere: every path
// gives the same bits. Near t = 0 both have a second form (F and D close to 1/2 minus a small
// correction). scripts/fit_gelu.py reproduces every constant; with float coefficients, relative
// to t + W and c + V: W ≤ 3.1e-9, V ≤ 2.4e-8, K ≤ 4.1e-9, exp's polynomial ≤ 3.8e-9. On every
// float with |x| <= 16 (scripts/gelu_exhaustive.c) both are within 4 ulp, 92 and 95 % correctly rounded.

/// e^(−t²/2) for t in [0, 15] (NaN passes through) as mantissa·(*low)·(*high): the caller
/// multiplies its O(1) factor into the mantissa first and the two powers of two after, so a
/// subnormal result is rounded once. t² is split as h² + (t − h)(t + h) with h = t's top 12
/// bits, h² exact, so the square's rounding (relative error ×t²) never reaches the exponent.
static inline __attribute__((always_inline)) VF gaussianScaled(VF t, VF *low, VF *high) {
    VF h = (VF)((VI)t & (int)0xfffff000);
    VF a = h * h * -0.5f;                    // exact
    VF b = (t - h) * (t + h) * -0.5f;        // |b| <= t²·2^-11, rounded
    const float magic = 12582912.0f;         // 1.5·2^23: adding it rounds to an integer kept in the low bits
    VF k = (a + b) * 1.44269504088896341f + magic;
    VF n = k - magic;
    // Cody-Waite: n·0.693359375 and a − n·0.693359375 are exact (|n| <= 163, 9-bit constant);
    // the small rest is added last, so r's only rounding is in the small terms.
    VF rHigh = a - n * 0.693359375f, rLow = b - n * -2.12194440e-4f;
    VF r = rHigh + rLow;
    VF p = splatf(1.3814599952e-03f);
    p = p * r + 8.3687156439e-03f;
    p = p * r + 4.1668388993e-02f;
    p = p * r + 1.6666521132e-01f;
    p = p * r + 4.9999994040e-01f;
    p = 1.0f + (rHigh + (rLow + p * r * r));
    VI ni = (VI)k - (VI)splatf(magic);       // n in [−163, 0]: halves >= −82 are normal powers
    VI n1 = ni >> 1, n2 = ni - n1;
    *low = (VF)((n1 + 127) << 23);
    *high = (VF)((n2 + 127) << 23);
    return p;
}

/// c rounded to float; the fits below absorb its rounding (W(0) = 2c exactly).
#define LODE_NORMAL_DENSITY 3.989422917e-01f
/// Below these t the near-zero forms of F and D are the more accurate ones (measured).
#define LODE_GELU_NEAR 0.6f
#define LODE_GELU_SLOPE_NEAR 0.25f

/// F(t) = c/(t + Pw/Qw): W = Pw/Qw of degrees 4/5 with positive coefficients, whose error
/// reaches F only through W's share W/(t + W). That share is 1 at t = 0, so below
/// LODE_GELU_NEAR F = 1/2 − t·(Qw + Rw)/(2(t·Qw + Pw)) instead, Rw = (Pw − 2c·Qw)/t (Pw(0) = 2c
/// exactly): the correction is ≈ c·t, small, and carries the rounding.
static inline __attribute__((always_inline)) VF normalTail(VF t) {
    VF p = splatf(2.416843083e-03f);
    p = p * t + 2.915003896e-02f;
    p = p * t + 1.634617895e-01f;
    p = p * t + 4.975189269e-01f;
    p = p * t + 7.978845835e-01f;
    VF q = splatf(2.416468458e-03f);
    q = q * t + 2.916564234e-02f;
    q = q * t + 1.679812372e-01f;
    q = q * t + 5.596464276e-01f;
    q = q * t + 1.078977108e+00f;
    q = q * t + 1.0f;
    VF rw = splatf(-1.928062877e-03f);
    rw = rw * t + -2.085397393e-02f;
    rw = rw * t + -1.048796028e-01f;
    rw = rw * t + -2.830714583e-01f;
    rw = rw * t + -3.633802831e-01f;
    VI near = (VI)(t < splatf(LODE_GELU_NEAR));
    VF numerator = selectf(near, t * (q + rw) * 0.5f, splatf(LODE_NORMAL_DENSITY));
    VF quotient = numerator / selectf(near, t * q + p, t + p / q);
    return selectf(near, 0.5f - quotient, quotient);
}

/// D(t) = (r − t)·(c + Pv/Qv), V = Pv/Qv of degrees 3/4, r = 0.75179152469356 split in two floats
/// (0.7517915368 − t is exact near r).
static inline __attribute__((always_inline)) VF normalTailSlope(VF t) {
    VF p = splatf(8.977907710e-03f);
    p = p * t + 6.694711745e-02f;
    p = p * t + 2.050055563e-01f;
    p = p * t + 2.661356926e-01f;
    VF q = splatf(2.993616462e-02f);
    q = q * t + 2.404523641e-01f;
    q = q * t + 8.368884921e-01f;
    q = q * t + 1.434073806e+00f;
    q = q * t + 1.0f;
    VF distance = (7.517915368e-01f - t) + -1.211444989e-08f;
    VF far = distance * (LODE_NORMAL_DENSITY + p / q);
    // Near 0, D = 1/2 − t·K(t), K a polynomial (K(0) = 2c), so K's rounding is damped by t·K/D.
    VF k = splatf(1.997901499e-02f);
    k = k * t + -6.075217947e-02f;
    k = k * t + 1.327640116e-01f;
    k = k * t + -2.499880493e-01f;
    k = k * t + 7.978843451e-01f;
    return selectf((VI)(t < splatf(LODE_GELU_SLOPE_NEAR)), 0.5f - t * k, far);
}

/// −0 in every lane (splatf(-0.0f) would give +0: it adds to a zero vector).
static inline __attribute__((always_inline)) VF negativeZero(void) { return -splatf(0.0f); }

/// |x| limited to 15 (NaN stays NaN): beyond it Φ rounds to 1 and GELU and GELU' of −x to −0.
static inline __attribute__((always_inline)) VF gaussianArgument(VF x) {
    VF t = (VF)((VI)x & 0x7fffffff);
    return selectf((VI)(t > splatf(15.0f)), splatf(15.0f), t);
}

/// x·Φ(x). −∞ gives −0, +∞ gives +∞, NaN stays NaN, −0 stays −0.
static inline __attribute__((always_inline)) VF gelu_f(VF x) {
    VF t = gaussianArgument(x), low, high;
    VF mantissa = gaussianScaled(t, &low, &high);
    VF f = normalTail(t);
    VF negative = x * f * mantissa * low * high;
    VF positive = x * (1.0f - f * mantissa * low * high);
    VF y = selectf((VI)(x < splatf(0.0f)), negative, positive);
    return selectf((VI)(x < splatf(-15.0f)), negativeZero(), y);
}

/// Φ(x) + x·φ(x), finite for every input (−∞ gives −0, +∞ gives 1).
static inline __attribute__((always_inline)) VF gelu_derivative_f(VF x) {
    VF t = gaussianArgument(x), low, high;
    VF mantissa = gaussianScaled(t, &low, &high);
    VF e = normalTailSlope(t) * mantissa * low * high;
    VF y = selectf((VI)(x < splatf(0.0f)), e, 1.0f - e);
    return selectf((VI)(x < splatf(-15.0f)), negativeZero(), y);
}
