#!/usr/bin/env python3
"""Fits the polynomial of the float SOFTPLUS kernel's log1p (SOFTPLUS_Q in generate_activation_kernels.py) and
checks it in simulated float arithmetic. Needs python3 with mpmath and numpy (Debian: python3-mpmath,
python3-numpy). Usage: python3 fit_softplus.py

The kernel: softplus(z) = max(z, 0) + log1p(u), u = e^-|z| in (0, 1] (VectorExp's formula). log1p(u) is written
u + u^2 * Q(t), t = u - 1/2, with Q(u) = (log1p(u) - u) / u^2 in [-1/2, -0.3069] on [0, 1]:
- the leading u is exact, so for small u (large |z|, where softplus(z) = log1p(u) ~ u for z < 0) the result is as
  accurate as u; Q's error reaches the result scaled by u^2 |Q| / log1p(u) <= 0.44;
- Q in t = u - 1/2 (t exact for u >= 1/4, elsewhere its rounding moves Q by < 2^-27): its nearest singularity,
  u = -1, is 1.5 away from the centre, so the monomial coefficients shrink about 3x per degree and Horner's sum
  does not cancel (in u itself they alternate near 1/k, and the float evaluation lost 0.5 ULP more near u = 1).
Degree 8: the fit's max error, weighted as it reaches log1p, is 0.09 float ULP (degree 7: 0.56, degree 9: 0.013);
the float evaluation's roundings (u^2, Horner, the last fma) dominate at about 1 ULP.

Fit: values from mpmath (40 digits) at Chebyshev points of [0, 1], weighted least squares in monomials of t with
Lawson's reweighting toward the minimax error of u^2 * Q / log1p(u); coefficients rounded to float.

Checks (numpy float32, fma as float64 arithmetic rounded once): log1p over 4 million random float u in [2^-30, 1]
plus the 100,000 floats just below 1, against numpy's double log1p; softplus(0) = log(2) rounded (u = 1 exactly);
the clamp: Q runs on max(u, 2^-24), so no subnormal u enters the polynomial, and no result changes, because below
2^-24 both forms round to u itself: |u^2 * Q| <= u^2 / 2 < u * 2^-25, below half an ULP of u, whatever Q's argument
(checked on 2 million random u below 2^-24 and every u in [2^-25, 2^-24)); and softplus itself over z in [-30, 30]
with e^-|z| correctly rounded and one ULP either side (VectorExp is within about 1 ULP).
"""
import re

import mpmath as mp
import numpy as np

mp.mp.dps = 40
f32 = np.float32
DEGREE = 8
SHIFT = 0.5
CLAMP = 2.0 ** -24


def q_exact(u):
    u = mp.mpf(u)
    return mp.mpf(-0.5) if u == 0 else (mp.log1p(u) - u) / (u * u)


n = 4000
us = [(1 - mp.cos(mp.pi * (k + mp.mpf(0.5)) / n)) / 2 for k in range(n)]
u = np.array([float(v) for v in us])
qv = np.array([float(q_exact(v)) for v in us])
lv = np.array([float(mp.log1p(v)) for v in us])
V = np.vander(u - SHIFT, DEGREE + 1, increasing=True)
scale = u * u / lv  # how an error of Q reaches log1p, relative
w = scale.copy()
for _ in range(60):
    c, *_ = np.linalg.lstsq(V * w[:, None], qv * w, rcond=None)
    err = (V @ c - qv) * scale
    w = w * (1 + 0.5 * np.abs(err) / np.max(np.abs(err)))
print(f"fit: max error {np.max(np.abs(err)) / 2 ** -24:.4f} float ULP of log1p(u) (degree {DEGREE})")
Q = [f32(v) for v in c]
print("SOFTPLUS_Q = [" + ", ".join("'%sf'" % re.sub(r'0+p', 'p', float(v).hex()) for v in Q) + "]")


def log1p_kernel(x, clamp=True):
    """The kernel's float operations on float u (array): Q on max(u, 2^-24), the rest on u."""
    uc = np.maximum(x, f32(CLAMP)) if clamp else x
    t = (uc - f32(SHIFT)).astype(f32)
    q = np.full_like(x, Q[DEGREE])
    for k in range(DEGREE - 1, -1, -1):
        q = (q.astype(np.float64) * t + Q[k]).astype(f32)
    return ((x * x).astype(f32).astype(np.float64) * q + x).astype(f32)


def ulps(got, ref):
    return np.abs(got.astype(np.float64) - ref) / np.spacing(np.abs(ref).astype(f32)).astype(np.float64)


rng = np.random.default_rng(1)
one = f32(1).view(np.int32)
x = np.concatenate([rng.integers(f32(2 ** -30).view(np.int32), one, 4_000_000),
                    np.arange(one - 100_000, one + 1)]).astype(np.int32).view(f32)
L = log1p_kernel(x)
e = ulps(L, np.log1p(x.astype(np.float64)))
print(f"log1p(u): max {e.max():.3f} ULP at u = {x[np.argmax(e)]!r}")
l1 = log1p_kernel(np.array([f32(1)]))[0]
assert l1 == f32(np.log(2)), l1
print(f"softplus(0) = {l1!r} = (float) log(2)")

# The clamp changes no result: below 2^-24 both the clamped and the unclamped formula round to u. (numpy's float32
# products of subnormals flush nothing: it computes x * x in IEEE single, as the kernel does.)
lo = np.concatenate([rng.integers(1, f32(CLAMP).view(np.int32), 2_000_000),
                     np.arange(f32(CLAMP / 2).view(np.int32), f32(CLAMP).view(np.int32))]).astype(np.int32).view(f32)
assert np.array_equal(log1p_kernel(lo), lo) and np.array_equal(log1p_kernel(lo, clamp=False), lo), \
    "the clamp would change a result"
print(f"clamp at 2^-24: clamped and unclamped formula both return u for all {lo.size:,} checked u below it")

# softplus(z) over z in [-30, 30] with u = e^-|z| rounded correctly and one ULP off either way.
z = np.linspace(-30, 30, 6_000_001).astype(f32)
ref = np.logaddexp(0, z.astype(np.float64))
for shift in (0, 1, -1):
    ue = np.exp(-np.abs(z.astype(np.float64))).astype(f32)
    if shift:
        ue = np.nextafter(ue, f32(np.inf if shift > 0 else 0))
    ue = np.minimum(ue, f32(1))
    y = (np.maximum(z, f32(0)) + log1p_kernel(ue)).astype(f32)
    ey = ulps(y, ref)
    print(f"softplus, e^-|z| {shift:+d} ULP: max {ey.max():.3f} ULP at z = {z[np.argmax(ey)]!r}")
