#!/usr/bin/env python3
"""Fits the polynomials behind the vector exp (dev.lanewise.kernel.vector.math.VectorExp, written by
generate_activation_kernels.py) and prints its Cody-Waite constants.

exp(x) = 2^n * e^r with n = rint(x * log2 e) and r = x - n * ln 2 in [-ln2/2, ln2/2] (plus a hair for the rounded
log2 e). e^r = 1 + r + r^2 * Q(r); Q is fitted here, degree 4 for float (p of degree 6: 2e-9 relative, float's
eps is 6e-8) and 9 for double (p of degree 11: 3e-18 relative). Needs python3 with mpmath and numpy (Debian:
python3-mpmath, python3-numpy). Usage: python3 fit_exp.py

Method: mpmath's Chebyshev fit of Q (40 digits; near minimax, and Q's error is damped by r^2 <= 0.12 in p);
monomial coefficients rounded to the target precision (float ones through numpy.float32); the max relative error
of the rounded 1 + r + r^2 Q on 20,000 points against mpmath.
"""
import mpmath as mp
import numpy as np

mp.mp.dps = 40
HALF = float(mp.log(2) / 2) * 1.0001


def q_exact(r):
    r = mp.mpf(r)
    if abs(r) < mp.mpf('1e-10'):
        return mp.mpf(1) / 2 + r / 6
    return (mp.exp(r) - 1 - r) / (r * r)


def fit(degree, dtype):
    """Chebyshev fit of Q in 40-digit arithmetic (a double fit needs more than double's precision), rounded."""
    poly = mp.chebyfit(q_exact, [-HALF, HALF], degree + 1)  # highest power first
    return [dtype(float(c)) for c in reversed(poly)]


def max_rel_error(coeffs):
    worst = 0
    for r in np.linspace(-HALF, HALF, 20001):
        r = mp.mpf(float(r))
        qv = mp.mpf(0)
        for c in reversed(coeffs):
            qv = qv * r + mp.mpf(float(c))
        worst = max(worst, abs((1 + r + r * r * qv) / mp.exp(r) - 1))
    return worst


def hexf(c, single):
    return (float(c).hex() + 'f') if single else float(c).hex()


def cody_waite(bits):
    """ln 2 = hi + lo, hi with `bits` significant bits (n * hi exact for the n the clamp allows)."""
    ln2 = mp.log(2)
    e = mp.floor(mp.log(ln2, 2))
    hi = mp.floor(ln2 / mp.mpf(2) ** (e - bits + 1)) * mp.mpf(2) ** (e - bits + 1)
    return float(hi), ln2 - hi


for name, degree, dtype, single, hibits in (('float', 4, np.float32, True, 16), ('double', 9, np.float64, False, 42)):
    coeffs = fit(degree, dtype)
    hi, lo = cody_waite(hibits)
    lo = float(np.float32(float(lo))) if single else float(lo)
    print(f'{name}: Q = {[hexf(c, single) for c in coeffs]}  max rel error {mp.nstr(max_rel_error(coeffs), 3)}')
    print(f'  LN2_HI = {hexf(hi, single)}, LN2_LO = {hexf(lo, single)}, LOG2E = {hexf(dtype(float(1 / mp.log(2))), single)}')
