#!/usr/bin/env python3
"""Fits the odd polynomial of the float tanh kernel (TANH_P in generate_activation_kernels.py) and checks both of
its branches in simulated float arithmetic. Needs python3 with numpy (Debian: python3-numpy). Usage:
python3 fit_tanh.py

The kernel: a = |z|; below TANH_SPLIT (a float just above atanh(1/2) = 0.549306, so the other branch has
|tanh| >= 1/2) tanh(z) = z + z^3 * P(z^2); from it on 1 - 2/(e^(2a) + 1) with z's sign (2/(e^(2a) + 1) <= 1/2:
no cancellation). P has degree 4 (relative fit error about 0.02 float ULP; degree 3 would be 1.7), fitted by
least squares on Chebyshev-spaced points, reweighted towards the largest relative errors of tanh. The checks
simulate the kernel's float operations (fma as one rounding) against numpy's double tanh: the polynomial on 4
million random floats below the split plus the 200,000 just under it; the e^x branch on 2 million points from the
split to 9.5, with e^(2a) correctly rounded and one ULP either side (VectorExp is within about 1 ULP).
"""
import numpy as np

SPLIT = float(np.float32(0.5493164))
assert np.tanh(SPLIT) >= 0.5

x = np.cos(np.linspace(0, np.pi, 40001)) * (SPLIT / 2) + SPLIT / 2
x = x[x > 1e-6]
t = x * x
f = (np.tanh(x) - x) / x ** 3
DEGREE = 4
w = x ** 3 / np.tanh(x)
for _ in range(30):
    V = np.vander(t, DEGREE + 1, increasing=True)
    c, *_ = np.linalg.lstsq(V * w[:, None], f * w, rcond=None)
    err = (x + x ** 3 * (V @ c) - np.tanh(x)) / np.tanh(x)
    w = w * (1 + 0.5 * np.abs(err) / np.max(np.abs(err)))
print(f"fit: max relative error {np.max(np.abs(err)) / 2 ** -24:.3f} float ULP (of 1)")
P = [np.float32(v) for v in c]
print("TANH_SPLIT = '%sf'" % repr(float(np.float32(SPLIT))))
print("TANH_P = [" + ", ".join("'%sf'" % np.format_float_positional(v, unique=True) for v in P) + "]")


def ulps(got, ref):
    return np.abs(got.astype(np.float64) - ref) / np.spacing(np.abs(ref).astype(np.float32)).astype(np.float64)


rng = np.random.default_rng(1)
lo, hi = np.float32(1e-30).view(np.int32), np.float32(SPLIT).view(np.int32)
bits = np.concatenate([rng.integers(lo, hi, 4_000_000), np.arange(hi - 200_000, hi)]).astype(np.int32)
z = bits.view(np.float32)
zz = (z * z).astype(np.float32)
q = P[DEGREE]
for k in range(DEGREE - 1, -1, -1):
    q = (q.astype(np.float64) * zz + P[k]).astype(np.float32)
y = ((z * zz).astype(np.float32).astype(np.float64) * q + z).astype(np.float32)
e = ulps(y, np.tanh(z.astype(np.float64)))
print(f"polynomial branch: max {e.max():.3f} ULP at z = {z[np.argmax(e)]}")
a = np.linspace(SPLIT, 9.5, 2_000_001).astype(np.float32)
for shift in (0, 1, -1):
    ex = np.exp(2 * a.astype(np.float64)).astype(np.float32)
    if shift:
        ex = np.nextafter(ex, np.float32(np.inf if shift > 0 else 0))
    yb = (np.float32(1) - (np.float32(2) / (ex + np.float32(1)).astype(np.float32)).astype(np.float32))
    eb = ulps(yb.astype(np.float32), np.tanh(a.astype(np.float64)))
    print(f"e^x branch, e^(2a) {shift:+d} ULP: max {eb.max():.3f} ULP at a = {a[np.argmax(eb)]}")
