#!/usr/bin/env python3
"""Fits the rational functions behind the double vector GELU_ERF (ActivationKernels, via
generate_activation_kernels.py) and estimates the kernel's error.

Notation as in fit_gelu_erf.py (the float scheme): a = |z|, c = 1/sqrt(2 pi), E = e^(-a^2/2), G(a) = Phi(-a)/E,
W = a G (forward: y = -E W for z < 0, z - E W for z > 0), D = G - c a (backward: f' = E D for z < 0, 1 - E D
for z > 0), a0 the root of D. Double needs relative errors near 1e-17, which polynomials of the float pieces'
size do not reach; rational functions in a do (W is close to one: the Laplace continued fraction of Mills' ratio
is), with one division each and two pieces per direction:
  forward   a in [0, 2):  W = a P(a)/Q(a)            (kind G, P/Q ~ G)
            a in [2, A_MAX]: W = c - v S(v), v = 1/a (kind S, S = P(v)/Q(v) ~ (c - W)/v)
  backward  a in [0, 2):  D = (a0 - a) P(a)/Q(a)     (kind K, with a0 as a double pair)
            a in [2, A_MAX]: D = G - c a, G = v W with W from the forward tail (same coefficients)
Why these forms: a rational in a, evaluated by Horner with fma, loses up to ~n/2 ULP at large a where all its
terms are of one size (a single 12/12 rational over [0, 40] fits to 8e-21 but evaluates to 5.5 ULP at a = 26); in
the tail c - v S and G - c a damp the rational's own rounding by (c - W)/W <= 0.19 resp. G/(c a) <= 0.21 at a = 2,
and shrink with a. In the head P/Q is formed as a pair (one Newton step on the quotient) and carried into E * W.

Fit: values from mpmath (80 digits) at Chebyshev points; linearised least squares for P - f Q weighted by
1/(f Q_previous), with Lawson's reweighting toward minimax relative error (QR in mpmath: double's conditioning is
not enough for 1e-20). Coefficients rounded to double (the denominators' constant term is 1).

Needs python3 with mpmath and numpy. Usage: python3 fit_gelu_erf_double.py [points]  prints the pieces for
generate_activation_kernels.py (ERF64_*), then estimates the kernel's max ULP on `points` (default 6000) random a
in [0, 38] (fma emulated in mpmath, E correctly rounded: VectorExp's double e^x adds up to ~1 ULP more; the Java
tests, DoubleActivationAccuracyTest, measure the real kernel).
"""
import sys
import mpmath as mp
import numpy as np
from fit_gelu_erf import g, d, k, A0, C

mp.mp.dps = 80
SPLIT = 2  # head [0, 2) in a, tail [2, A_MAX] in v = 1/a
A_MAX = 40  # a is clamped here: beyond 38.6 every result is 0 (z < 0) or saturated (z > 0)
FUNCTIONS = {
    'G': g,
    'K': k,
    'S': lambda v: (C - g(1 / mp.mpf(v)) / mp.mpf(v)) / mp.mpf(v),
}
# (kind, lower bound, upper bound of the fitted variable, numerator degree, denominator degree)
FORWARD_HEAD = ('G', 0, SPLIT, 6, 8)
TAIL = ('S', mp.mpf(1) / A_MAX, mp.mpf(1) / SPLIT, 8, 9)
BACKWARD_HEAD = ('K', 0, SPLIT, 7, 6)


def fit(piece, rounds=40):
    """([p0..pm], [1, q1..qn]) as mpf, and the max relative error on the nodes."""
    kind, lo, hi, m, n = piece
    nodes = 4 * (m + n) + 40
    half, mid = (mp.mpf(hi) - lo) / 2, (mp.mpf(hi) + lo) / 2
    xs = [mid + half * mp.cos(mp.pi * (i + mp.mpf(0.5)) / nodes) for i in range(nodes)]
    scale = max(abs(mp.mpf(lo)), abs(mp.mpf(hi)))
    u = [x / scale for x in xs]  # fitted in x/scale for conditioning, converted back below
    f = [FUNCTIONS[kind](x) for x in xs]
    w, q_prev, best = [mp.mpf(1)] * nodes, [mp.mpf(1)] * nodes, None
    for _ in range(rounds):
        A, b = mp.matrix(nodes, m + 1 + n), mp.matrix(nodes, 1)
        for i in range(nodes):
            s = w[i] / (f[i] * q_prev[i])
            for j in range(m + 1):
                A[i, j] = u[i] ** j * s
            for j in range(n):
                A[i, m + 1 + j] = -f[i] * u[i] ** (j + 1) * s
            b[i] = f[i] * s
        sol = mp.qr_solve(A, b)[0]
        P, Q = [sol[j] for j in range(m + 1)], [mp.mpf(1)] + [sol[m + 1 + j] for j in range(n)]
        q_prev = [mp.polyval(Q[::-1], x) for x in u]
        err = [(mp.polyval(P[::-1], x) / q - fi) / fi for x, q, fi in zip(u, q_prev, f)]
        worst = max(abs(e) for e in err)
        if best is None or worst < best[0]:
            best = (worst, P, Q)
        w = [wi * mp.sqrt(abs(e) / worst + mp.mpf('1e-6')) for wi, e in zip(w, err)]
    worst, P, Q = best
    return [float(c / scale ** j) for j, c in enumerate(P)], [float(c / scale ** j) for j, c in enumerate(Q)], worst


def pair(x):
    hi = float(x)
    return hi, float(x - mp.mpf(hi))


C_HI, C_LO = pair(C)
A0_HI, A0_LO = pair(A0)


# ------------------------------------------------------------------------------------------ double simulation
def fma(a, b, c):
    return float(mp.mpf(a) * b + c)


def horner(cs, x):
    r = cs[-1]
    for c in cs[-2::-1]:
        r = fma(r, x, c)
    return r


def horner_pair(cs, x):
    """Horner with the last step c0 + x t exact as a pair (hi, lo): two-product by fma, then two-sum."""
    t = horner(cs[1:], x)
    tx = t * x
    tx_lo = fma(t, x, -tx)
    hi = cs[0] + tx
    bb = hi - cs[0]
    return hi, (cs[0] - (hi - bb)) + (tx - bb) + tx_lo


def kernel(a, fits, backward):
    """p = E * R (R = W or D), the kernel's operation order, as one double."""
    (hp, hq), (tp, tq) = fits
    e = float(mp.exp(-mp.mpf(a) ** 2 / 2))
    if a < SPLIT:
        (num, num_lo), (den, den_lo) = horner_pair(hp, a), horner_pair(hq, a)
        if not backward:
            n2 = a * num
            num_lo, num = fma(a, num, -n2) + a * num_lo, n2
        inv = 1 / den
        r0 = num * inv
        r_lo = (fma(-r0, den, num) + num_lo - r0 * den_lo) * inv
        if backward:
            d0 = A0_HI - a
            hi = d0 * r0
            r_lo = fma(d0, r0, -hi) + fma(d0, r_lo, A0_LO * r0)
            r0 = hi
    else:
        v = 1 / a
        s = horner(tp, v) / horner(tq, v)
        w = fma(-v, s, C_HI)
        if backward:
            ca = a * C_HI
            r0 = v * (w + C_LO) - ca
            r_lo = -(fma(a, C_HI, -ca) + a * C_LO)
        else:
            r0, r_lo = w, C_LO
    return fma(e, r0, e * r_lo)


def simulate(points, fwd, bwd):
    rng = np.random.default_rng(6)
    a = np.concatenate([rng.uniform(0, 8, points // 2), rng.uniform(0, 38, points // 4),
                        np.exp(rng.uniform(np.log(1e-8), np.log(38), points // 4)),
                        float(A0) + rng.uniform(-1e-3, 1e-3, 200)])
    for name, fits, backward in (('forward', fwd, False), ('backward', bwd, True)):
        worst = (0, 0)
        for x in map(float, a):
            ref = mp.mpf(x) * mp.ncdf(-mp.mpf(x)) if not backward else mp.ncdf(-x) - x * mp.npdf(x)
            if ref == 0 or abs(ref) < 2.0 ** -960:
                continue
            err = float(abs(kernel(x, fits, backward) - ref)) / np.spacing(abs(float(ref)))
            worst = max(worst, (err, x))
        print(f'{name} (z < 0, E correctly rounded): max {worst[0]:.3f} ULP at a = {worst[1]!r}')


def java(x):
    return float(x).hex()


if __name__ == '__main__':
    head, tail, bhead = fit(FORWARD_HEAD), fit(TAIL), fit(BACKWARD_HEAD)
    for name, piece, (P, Q, err) in (('ERF64_FORWARD_HEAD', FORWARD_HEAD, head), ('ERF64_TAIL', TAIL, tail),
                                     ('ERF64_BACKWARD_HEAD', BACKWARD_HEAD, bhead)):
        print(f'# kind {piece[0]}, degree {piece[3]}/{piece[4]}: fit max relative error {float(err):.1e}')
        print(f'{name} = ([{", ".join(repr(java(c)) for c in P)}],\n    [{", ".join(repr(java(c)) for c in Q)}])')
    print(f'ERF64_C = ({java(C_HI)!r}, {java(C_LO)!r})\nERF64_A0 = ({java(A0_HI)!r}, {java(A0_LO)!r})')
    simulate(int(sys.argv[1]) if len(sys.argv) > 1 else 6000,
             [head[:2], tail[:2]], [bhead[:2], tail[:2]])
