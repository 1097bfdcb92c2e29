// GELU and its derivative in float lanes, included by KernelBody.h (which defines VF, VI, splatf,
// selectf). With t = |x|, E = e^(−t²/2) and F(t) = Φ(−t)·e^(t²/2), a smooth function fitted once:
//   Φ(x) = E·F(t) for x < 0 and 1 − E·F(t) for x ≥ 0,
// so the small Φ of negative x comes from the erfc side and never from 1 − (something near 1).
// GELU'(x) = Φ(x) + x·φ(x) = E·D(t) for x < 0 and 1 − E·D(t) for x ≥ 0, with D(t) = F(t) − t/√(2π)
// written as (t − r)·H(t): r is D's root (GELU's minimum at x = −r), so the derivative keeps its
// relative accuracy next to that zero. No FMA anywhere: every path gives the same bits.
// Fits (coefficients as floats, relative error on [0, 15]): F ≤ 2.1e-8, H ≤ 2.2e-8, exp ≤ 3.6e-9.

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
    // Cody-Waite: n·0.693359375 and a − n·0.693359375 are exact (|n| <= 163, 9-bit constant).
    VF r = ((a - n * 0.693359375f) - n * -2.12194440e-4f) + b;
    VF p = splatf(1.3815497514e-03f);
    p = p * r + 8.3687240258e-03f;
    p = p * r + 4.1668370366e-02f;
    p = p * r + 1.6666521132e-01f;
    p = p * r + 4.9999994040e-01f;
    p = p * r * r + r + 1.0f;
    VI ni = (VI)k - (VI)splatf(magic);       // n in [−163, 0]: halves >= −82 are normal powers
    VI n1 = ni >> 1, n2 = ni - n1;
    *low = (VF)((n1 + 127) << 23);
    *high = (VF)((n2 + 127) << 23);
    return p;
}

/// Σ c[k]·v^k by Horner, lanes in `far` taking farC. For t <= 1 the rationals below are
/// evaluated in v = t, for t > 1 in v = 1/t (the same rational with its coefficients reversed),
/// so the constant term dominates and Horner's early roundings are damped, not amplified.
static inline __attribute__((always_inline)) VF hornerSelected(VF v, VI far, const float *nearC, const float *farC, int degree) {
    VF s = selectf(far, splatf(farC[degree]), splatf(nearC[degree]));
    for (int k = degree - 1; k >= 0; k--) s = s * v + selectf(far, splatf(farC[k]), splatf(nearC[k]));
    return s;
}

/// F(t) = Φ(−t)·e^(t²/2) on [0, 15] is the rational P(t)/Q(t), degrees 4/5, all coefficients
/// positive (no cancellation); in 1/t, t·F(t) = P̃(1/t)/Q̃(1/t) with the coefficients reversed.
static const float tailP[5] = {0.5f, 4.392855465e-01f, 1.839706749e-01f, 4.088163376e-02f, 4.153300542e-03f};
static const float tailQ[6] = {1.0f, 1.676456094e+00f, 1.205554724e+00f, 4.714127481e-01f, 1.024811789e-01f, 1.041066833e-02f};
static const float tailPReversed[5] = {4.153300542e-03f, 4.088163376e-02f, 1.839706749e-01f, 4.392855465e-01f, 0.5f};
static const float tailQReversed[6] = {1.041066833e-02f, 1.024811789e-01f, 4.714127481e-01f, 1.205554724e+00f, 1.676456094e+00f, 1.0f};
/// D(t) = F(t) − t/√(2π) = (t − r)·H(t), H = P(t)/Q(t) of degrees 4/4 (reversed in 1/t likewise).
static const float slopeP[5] = {-6.650779843e-01f, -7.541878223e-01f, -3.784933984e-01f, -9.587882459e-02f, -1.047073025e-02f};
static const float slopeQ[5] = {1.0f, 1.399596572e+00f, 7.941594124e-01f, 2.206080109e-01f, 2.624608390e-02f};
static const float slopePReversed[5] = {-1.047073025e-02f, -9.587882459e-02f, -3.784933984e-01f, -7.541878223e-01f, -6.650779843e-01f};
static const float slopeQReversed[5] = {2.624608390e-02f, 2.206080109e-01f, 7.941594124e-01f, 1.399596572e+00f, 1.0f};

/// The rationals' argument: t, or 1/t in the lanes where t > 1 (`far`).
static inline __attribute__((always_inline)) VF rationalArgument(VF t, VI far) {
    return selectf(far, 1.0f / t, t);
}

/// F(t) where t <= 1, t·F(t) where t > 1.
static inline __attribute__((always_inline)) VF normalTailRatio(VF v, VI far) {
    return hornerSelected(v, far, tailP, tailPReversed, 4) / hornerSelected(v, far, tailQ, tailQReversed, 5);
}

/// D(t), r = 0.75179152469356 split in two floats (t − 0.7517915368 is exact near r).
static inline __attribute__((always_inline)) VF normalTailSlope(VF t, VF v, VI far) {
    VF h = hornerSelected(v, far, slopeP, slopePReversed, 4) / hornerSelected(v, far, slopeQ, slopeQReversed, 4);
    VF distance = (t - 7.517915368e-01f) - -1.211444989e-08f;
    return distance * h;
}

/// |x| limited to 15 (NaN stays NaN): beyond it Φ rounds to 1 and GELU and GELU' of −x to −0.
static inline __attribute__((always_inline)) VF gaussianArgument(VF x) {
    VF t = (VF)((VI)x & 0x7fffffff);
    return selectf((VI)(t > splatf(15.0f)), splatf(15.0f), t);
}

/// x·Φ(x). −∞ gives −0, +∞ gives +∞, NaN stays NaN, −0 stays −0.
static inline __attribute__((always_inline)) VF gelu_f(VF x) {
    VF t = gaussianArgument(x), low, high;
    VF mantissa = gaussianScaled(t, &low, &high);
    VI far = (VI)(t > splatf(1.0f));
    VF v = rationalArgument(t, far);
    VF ratio = normalTailRatio(v, far);
    // x·F(t) is −t·F(t) = −ratio where t > 1; F itself is ratio·(1/t) there.
    VF negative = selectf(far, -ratio, x * ratio) * mantissa * low * high;
    VF positive = x * (1.0f - selectf(far, ratio * v, ratio) * mantissa * low * high);
    VF y = selectf((VI)(x < splatf(0.0f)), negative, positive);
    return selectf((VI)(x < splatf(-15.0f)), splatf(-0.0f), y);
}

/// Φ(x) + x·φ(x), finite for every input (−∞ gives −0, +∞ gives 1).
static inline __attribute__((always_inline)) VF gelu_derivative_f(VF x) {
    VF t = gaussianArgument(x), low, high;
    VF mantissa = gaussianScaled(t, &low, &high);
    VI far = (VI)(t > splatf(1.0f));
    VF e = normalTailSlope(t, rationalArgument(t, far), far) * mantissa * low * high;
    VF y = selectf((VI)(x < splatf(0.0f)), e, 1.0f - e);
    return selectf((VI)(x < splatf(-15.0f)), splatf(-0.0f), y);
}
