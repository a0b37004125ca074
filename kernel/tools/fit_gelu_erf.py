#!/usr/bin/env python3
"""Fits the polynomial behind the float vector GELU_ERF (ActivationKernels, via generate_activation_kernels.py).

Phi(-a) = e^(-a^2/2) * G(a) for a >= 0, with G(a) = erfcx(a/sqrt 2)/2, written as G(a) = H(t)/(L + a) where
t = (L - a)/(L + a) maps a in [0, inf) onto t in (-1, 1]. H is smooth on [-1, 1] (G ~ 1/(a sqrt(2 pi)) at infinity),
so a polynomial of modest degree fits it far below a float ULP. Needs python3 with mpmath and numpy (Debian:
python3-mpmath, python3-numpy). Usage: python3 fit_gelu_erf.py [degree]   (default 12)

Method: H at 400 Chebyshev points from mpmath (40 digits), weighted least squares in the Chebyshev basis with the
weights reshaped by Lawson's iteration towards the minimax relative error, then monomial coefficients for Horner's
rule. Prints them (hex literals, as ERF_POLY in generate_activation_kernels.py wants them) and the fit's maximum
relative error on 20,000 points of [-1, 1] against mpmath.
"""
import sys
import mpmath as mp
import numpy as np
from numpy.polynomial import chebyshev as C

mp.mp.dps = 40
L = 3.0
DEGREE = 12


def h_at(z):
    a = mp.mpf(L) * (1 - z) / (1 + z) if z > -1 else mp.inf
    if a == mp.inf:
        return 1 / mp.sqrt(2 * mp.pi)
    x = a / mp.sqrt(2)
    return mp.erfc(x) * mp.exp(x * x) / 2 * (L + a)


def fit(degree, nodes=400, rounds=60):
    k = np.arange(nodes)
    z = np.cos(np.pi * (k + 0.5) / nodes)
    h = np.array([float(h_at(mp.mpf(float(t)))) for t in z])
    w = 1 / np.abs(h)
    for _ in range(rounds):
        c = C.chebfit(z, h, degree, w=w)
        err = (C.chebval(z, c) - h) / h
        w = w * np.sqrt(np.abs(err) / np.abs(err).max() + 1e-6)
    return C.cheb2poly(c)


def max_error(coef, samples=20000):
    worst = 0
    for t in np.linspace(-1, 1, samples):
        ref = h_at(mp.mpf(t))
        worst = max(worst, abs(float((mp.polyval(list(map(mp.mpf, coef[::-1])), mp.mpf(t)) - ref) / ref)))
    return worst


if __name__ == '__main__':
    degree = int(sys.argv[1]) if len(sys.argv) > 1 else DEGREE
    coef = fit(degree)
    print(f'L = {L}, degree {degree}: max relative error {max_error(coef):.2e}, sum |c_k| = {np.abs(coef).sum():.3f}')
    print('coefficients c_0 ... c_n of H(Z) = sum c_k Z^k:')
    print(', '.join(repr(float(c).hex()) for c in coef))
