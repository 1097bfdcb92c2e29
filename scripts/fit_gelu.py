"""Reproduces the fitted constants of Sources/CLodeKernels/GELU.h (float GELU and its derivative).

With t = |x|, c = 1/sqrt(2 pi) rounded to float, F(t) = Phi(-t) e^(t^2/2) and D(t) = F(t) - c t:
  W(t) = c/F(t) - t           rational 4/5, error weighted by 1/(t + W) (its share in F = c/(t + W))
  V(t) = -D(t)/(t - r) - c    rational 3/4, weighted by 1/(c + V), r = D's root
  K(t) = (1/2 - D(t))/t       polynomial of degree 4 on [0, 0.25] (the derivative near 0)
  e^r = 1 + r + r^2 P(r)      P of degree 4 on |r| <= ln2/2
Rationals: Lawson-weighted linearised least squares on Chebyshev points, then each coefficient
rounded to float in turn with the rest refitted. Needs numpy only: `python scripts/fit_gelu.py`.
"""
import math

import numpy as np

C = float(np.float32(1 / math.sqrt(2 * math.pi)))


def tail(t):
    return np.array([0.5 * math.erfc(v / math.sqrt(2)) * math.exp(v * v / 2) for v in t])


def root():
    r = 0.75
    for _ in range(50):
        f = tail([r])[0]
        r -= (f - r / math.sqrt(2 * math.pi)) / (r * f - 2 / math.sqrt(2 * math.pi))
    return r


def weighted_rational(t, f, scale, n, m, fixed, iterations=120):
    """p0..pn, q1..qm (q0 = 1) minimising max |P/Q - f|/scale; `fixed` pins some of them."""
    columns = np.vstack([t**k for k in range(n + 1)] + [-(f * t**k) for k in range(1, m + 1)]).T
    free = [i for i in range(n + 1 + m) if i not in fixed]
    weights, q_values, best = np.ones_like(t), np.ones_like(t), None
    for _ in range(iterations):
        rhs = f - sum(columns[:, i] * v for i, v in fixed.items())
        s = weights / (np.abs(scale) * np.abs(q_values))
        solution, *_ = np.linalg.lstsq(columns[:, free] * s[:, None], rhs * s, rcond=None)
        x = np.zeros(n + 1 + m)
        for i, v in fixed.items():
            x[i] = v
        x[free] = solution
        p, q = x[: n + 1], np.concatenate([[1.0], x[n + 1:]])
        q_values = np.polyval(q[::-1], t)
        error = (np.polyval(p[::-1], t) / q_values - f) / scale
        if best is None or np.max(np.abs(error)) < best[0]:
            best = (np.max(np.abs(error)), x.copy())
        weights = weights * np.abs(error) ** 0.5
        weights /= weights.mean()
    return best


def float_rational(name, t, f, scale, n, m):
    fixed = {}
    for i in range(n + 1 + m):
        _, x = weighted_rational(t, f, scale, n, m, fixed)
        fixed[i] = float(np.float32(x[i]))
    error, x = weighted_rational(t, f, scale, n, m, fixed, iterations=1)
    print(f"{name}: weighted error {error:.2e}")
    print("  P (t^0 first):", ", ".join(f"{v:.9e}f" for v in x[: n + 1]))
    print("  Q (t^0 first): 1.0f,", ", ".join(f"{v:.9e}f" for v in x[n + 1:]))
    return x[: n + 1], np.concatenate([[1.0], x[n + 1:]])


def float_polynomial(name, x, f, scale, degree, prefix=lambda c, x: c):
    weights = np.ones_like(x)
    for _ in range(60):
        a = np.vstack([x**k for k in range(degree + 1)]).T
        s = weights / scale
        coefficients, *_ = np.linalg.lstsq(a * s[:, None], f * s, rcond=None)
        error = (a @ coefficients - f) / scale
        weights = weights * np.abs(error) ** 0.5
        weights /= weights.mean()
    rounded = coefficients.astype(np.float32).astype(float)
    error = np.max(np.abs((np.vstack([x**k for k in range(degree + 1)]).T @ rounded - f) / scale))
    print(f"{name}: weighted error {error:.2e}")
    print("  (x^0 first):", ", ".join(f"{v:.10e}f" for v in rounded))


r = root()
r_high = np.float32(r)
print(f"r = {r!r} = {r_high:.9e}f + {np.float32(r - float(r_high)):.9e}f; c = {C:.9e}f")
t = 7.5 + 7.5 * np.cos(np.linspace(0, np.pi, 20000))
w = C / tail(t) - t
pw, qw = float_rational("W", t, w, t + w, 4, 5)
# F's near-zero form: Rw = (Pw − 2c·Qw)/t, whose constant term cancels exactly (Pw(0) = 2c).
rw = [np.float32(pw[k + 1] - 2 * C * qw[k + 1]) if k + 1 < len(pw) else np.float32(-2 * C * qw[k + 1]) for k in range(5)]
print("  Rw (t^0 first):", ", ".join(f"{v:.9e}f" for v in rw))
t2 = t[np.abs(t - r) > 2e-3]
v = -(tail(t2) - t2 / math.sqrt(2 * math.pi)) / (t2 - r) - C
float_rational("V", t2, v, C + v, 3, 4)
near = 0.125 + 0.125 * np.cos(np.linspace(0, np.pi, 3000))
near = near[near > 1e-6]
d = tail(near) - near / math.sqrt(2 * math.pi)
float_polynomial("K", near, (0.5 - d) / near, d / near, 4)
half_ln2 = 0.3466
x = half_ln2 * np.cos(np.linspace(0, np.pi, 4000))
x = x[np.abs(x) > 1e-6]
float_polynomial("exp's P", x, (np.expm1(x) - x) / x**2, np.exp(x) / x**2, 4)
