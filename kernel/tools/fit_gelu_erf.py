#!/usr/bin/env python3
"""Fits the float polynomials behind the vector GELU_ERF (ActivationKernels, via generate_activation_kernels.py)
and simulates the float kernel in numpy over a sample of all floats.

With a = |z|, c = 1/sqrt(2 pi) and E = e^(-a^2/2):
  forward   Phi(-a) = E * G(a), G(a) = erfcx(a/sqrt 2)/2; the kernel needs W(a) = a * G(a) = a * Phi(-a) / E:
            y = -E * W for z < 0, y = z - E * W for z > 0.
  backward  f'(z) = Phi(z) + z phi(z); for z < 0 f'(-a) = E * D(a) with D(a) = G(a) - c a, for z > 0 1 - E * D(a).
D has a root at a0 = 0.7517915... (f' = 0 at z = -a0): near it D is written (a0 - a) * K(a), with a0 - a computed
as (A0_HI - a) exact (Sterbenz) and A0_LO carried by an fma, so the result keeps its relative accuracy.

Pieces of a (selected in the kernel by bit operations, no masks), each a polynomial in s = a - shift (exact by
Sterbenz for a in [shift/2, 2 shift]; elsewhere its rounding costs a fraction of an ULP) or in v = 1/a for a >= 2
(where W and D vary slowly in v, so v's rounding hardly matters):
  kind G  value G (forward: W = a * G)          kind W  value W
  kind M  value W = M(v)                        kind D  value D
  kind K  value K (D = (a0 - a) * K)            kind Na value N = c - G/a (D = -a * N, no cancellation)
  kind Nv value N(v) (D = -a * N)
Each polynomial's constant term is a float pair c0 = hi + lo (the last Horner step adds lo by fma, then hi), so the
rounded constant does not cost half an ULP; the other coefficients are float-rounded. Fit: values from mpmath
(40 digits) at Chebyshev points, weighted least squares in monomials with Lawson's reweighting toward minimax
relative error.

Needs python3 with mpmath, numpy and scipy (Debian: python3-mpmath, python3-numpy, python3-scipy).
Usage: python3 fit_gelu_erf.py [stride]   prints the pieces for generate_activation_kernels.py (ERF_FORWARD,
ERF_BACKWARD, ERF_A0_HI/LO), then simulates the float kernel (its exact operation order, VectorExp emulated, fma by
double arithmetic rounded once) over every stride-th positive float bit pattern below 20, both signs, and prints the
max ULP against scipy's double Phi (default stride 101: ~21 M inputs, ~15 s; stride 1 is possible but slow).
"""
import sys
import mpmath as mp
import numpy as np
from scipy.special import ndtr

mp.mp.dps = 40
f32 = np.float32
C = 1 / mp.sqrt(2 * mp.pi)


def g(a):
    a = mp.mpf(a)
    return mp.erfc(a / mp.sqrt(2)) / 2 * mp.exp(a * a / 2)


def d(a):
    return g(a) - C * mp.mpf(a)


A0 = mp.findroot(d, 0.75)


def k(a):
    a = mp.mpf(a)
    if abs(a - A0) < mp.mpf('1e-15'):
        return -mp.diff(d, A0)
    return d(a) / (A0 - a)


FUNCTIONS = {
    'G': g,
    'W': lambda a: mp.mpf(a) * g(a),
    'M': lambda v: g(1 / mp.mpf(v)) / mp.mpf(v),
    'D': d,
    'K': k,
    'Na': lambda a: C - g(a) / mp.mpf(a),
    'Nv': lambda v: C - mp.mpf(v) * g(1 / mp.mpf(v)),
}
# (lower bound of a, upper bound, kind, shift, degree); the last piece of each list is in v = 1/a.
FORWARD = [(0, 1, 'G', 0.5, 10), (1, 2, 'W', 1.5, 9), (2, 16, 'M', 0, 13)]
BACKWARD = [(0, 1.5, 'K', 0.75, 13), (1.5, 2, 'Na', 1.75, 8), (2, 16, 'Nv', 0, 13)]
# Few pieces on purpose: with 6 forward / 7 backward pieces of degree 8-9 (forward 2.62, backward 3.34 ULP over every
# float) C2 boxed the kernels' loops in some JVMs, a version with 2 pieces in none (kernel/ELEMENTWISE-NOTES.md).
V_FROM = 2  # the last piece's lower bound: v = 1/max(a, V_FROM)
A_MAX = 16  # a is clamped here: beyond, E underflows (see EXP_SCALE) and every result is saturated
EXP_SCALE = 24  # E is computed as e^(-a^2/2) * 2^24 (normal for every a < 16), the 2^-24 applied last
A0_HI = f32(float(A0))
A0_LO = f32(float(A0 - mp.mpf(float(A0_HI))))


def in_v(kind):
    return kind in ('M', 'Nv')


def fit(piece, nodes=300, rounds=50):
    """[c0 hi, c0 lo, c1, ..., cn] as float32, and the double fit's max relative error."""
    lo, hi, kind, shift, degree = piece
    if in_v(kind):
        lo, hi = 1 / hi, 1 / lo
    x = np.cos(np.pi * (np.arange(nodes) + 0.5) / nodes)
    t = lo + (hi - lo) * (x + 1) / 2
    h = np.array([float(FUNCTIONS[kind](ti)) for ti in t])
    w = 1 / np.abs(h)
    basis = np.vstack([(t - shift) ** j for j in range(degree + 1)]).T
    for _ in range(rounds):
        coef = np.linalg.lstsq(basis * w[:, None], h * w, rcond=None)[0]
        err = (basis @ coef - h) / h
        w = w * np.sqrt(np.abs(err) / np.abs(err).max() + 1e-6)
    c0 = f32(coef[0])
    return [c0, f32(coef[0] - float(c0))] + [f32(c) for c in coef[1:]], np.abs(err).max()


def java_float(x):
    """Shortest exact Java hex literal of a float32."""
    m = float(x).hex()
    mant, exp = m.split('p')
    mant = mant.rstrip('0').rstrip('.') if '.' in mant else mant
    return f'{mant}p{exp}f'


# ------------------------------------------------------------------------------------------ float simulation
def fma(a, b, c):
    return (np.asarray(a, np.float64) * np.float64(b) + np.asarray(c, np.float64)).astype(f32)


def horner(cs, s):
    r = fma(s, cs[-1], cs[-2])
    for c in cs[-3:1:-1]:
        r = fma(r, s, c)
    return (fma(r, s, cs[1]) + cs[0]).astype(f32)


EXP = {n: f32(float.fromhex(v)) for n, v in (
    ('LOG2E', '0x1.715476p0'), ('LN2_HI', '0x1.62e4p-1'), ('LN2_LO', '0x1.7f7d1cp-20'), ('MAGIC', '0x1.8p23'))}
EXP_Q = [f32(float.fromhex(v)) for v in ('0x1.0p-1', '0x1.5554dcp-3', '0x1.55551ap-5', '0x1.120b6ep-7',
                                         '0x1.6d110ap-10')]
EXP_MIN = -120  # e^-120 * 2^24 rounds to 0 after the 2^-24: the clamp changes no result


def vector_exp(x, xlo):
    """VectorExp's float formula (generate_activation_kernels.exp_lines) with the argument x + xlo, scaled."""
    x = np.clip(x, f32(EXP_MIN), f32(89)).astype(f32)
    t = fma(x, EXP['LOG2E'], EXP['MAGIC'])
    n = (t - EXP['MAGIC']).astype(f32)
    r = fma(n, -EXP['LN2_LO'], (fma(n, -EXP['LN2_HI'], x) + xlo).astype(f32))
    q = np.full(x.shape, EXP_Q[4], f32)
    for c in EXP_Q[3::-1]:
        q = fma(q, r, c)
    p = (fma((r * r).astype(f32), q, r) + f32(1)).astype(f32)
    u = t.view(np.int32) - (EXP['MAGIC'].view(np.int32) - 256)
    h = u >> 1
    return ((p.view(np.int32) + ((h - 128) << 23)).view(f32) * ((u - h - 1 + EXP_SCALE) << 23).view(f32)).astype(f32)


def kernel(z, pieces, coefs, backward):
    a = np.minimum(np.abs(z), f32(A_MAX)).astype(f32)
    v = (f32(1) / np.maximum(a, f32(V_FROM))).astype(f32)
    r = None
    for (lo, hi, kind, shift, _), cs in reversed(list(zip(pieces, coefs))):
        x = horner(cs, v if in_v(kind) else (a - f32(shift)).astype(f32))
        if kind == 'G':
            x = (a * x).astype(f32)
        elif kind == 'K':
            x = fma((A0_HI - a).astype(f32), x, (x * A0_LO).astype(f32))
        elif kind in ('Na', 'Nv'):
            x = (-(a * x)).astype(f32)
        r = x if r is None else np.where(a < f32(hi), x, r)
    h = (a * a).astype(f32)
    e = vector_exp((h * f32(-0.5)).astype(f32), (fma(a, a, -h) * f32(-0.5)).astype(f32))
    p = ((e * r).astype(f32) * f32(2.0 ** -EXP_SCALE)).astype(f32)
    if backward:
        return np.where(z > 0, (f32(1) - p).astype(f32), p)
    s = np.where(np.signbit(z), -p, p).astype(f32)
    return np.where(z > 0, (z - s).astype(f32), s)


def simulate(stride, fwd, bwd):
    bits = np.arange(1, 0x7f800000, stride, dtype=np.int64).astype(np.int32)
    pos = bits.view(f32)
    pos = pos[pos < 20]
    for sign in (-1, 1):
        z = (pos * sign).astype(f32)
        zd = z.astype(np.float64)
        for name, got, ref in (('forward', kernel(z, FORWARD, fwd, False), zd * ndtr(zd)),
                               ('backward', kernel(z, BACKWARD, bwd, True),
                                ndtr(zd) + zd * np.exp(-zd * zd / 2) / np.sqrt(2 * np.pi))):
            # Near f'(z) = 0 the double reference cancels: checked separately against mpmath below.
            ok = (np.abs(ref) >= 1.1754944e-38) & (np.abs(zd + float(A0)) > 1e-3)
            ulp = np.abs(got - ref) / np.spacing(np.abs(ref).astype(f32)).astype(np.float64)
            ulp = np.where(ok, ulp, 0)
            i = ulp.argmax()
            print(f'{name} z {"<" if sign < 0 else ">"} 0: max {ulp[i]:.3f} ULP at z = {z[i]!r}, {ok.sum()} inputs')
    a = np.arange(f32(float(A0) - 1e-3).view(np.int32), f32(float(A0) + 1e-3).view(np.int32), dtype=np.int32)
    z = (-a.view(f32)).astype(f32)
    got = kernel(z, BACKWARD, bwd, True)
    worst = max(float(abs(mp.mpf(float(y)) - (mp.ncdf(x) + x * mp.npdf(x))) /
                      float(np.spacing(f32(abs(float(mp.ncdf(x) + x * mp.npdf(x)))))))
                for x, y in zip(map(lambda t: mp.mpf(float(t)), z), got))
    print(f'backward within 1e-3 of the root z = -{float(A0):.7f}: max {worst:.3f} ULP (mpmath), {len(z)} inputs')


if __name__ == '__main__':
    fwd = [fit(p) for p in FORWARD]
    bwd = [fit(p) for p in BACKWARD]
    for name, pieces, fits in (('ERF_FORWARD', FORWARD, fwd), ('ERF_BACKWARD', BACKWARD, bwd)):
        print(f'{name} = [')
        for p, (cs, err) in zip(pieces, fits):
            print(f'    # a in [{p[0]}, {p[1]}): fit max relative error {err:.1e}')
            print(f'    ({p[1]}, {p[2]!r}, {p[3]}, [{", ".join(repr(java_float(c)) for c in cs)}]),')
        print(']')
    print(f'ERF_A0_HI = {java_float(A0_HI)!r}\nERF_A0_LO = {java_float(A0_LO)!r}')
    simulate(int(sys.argv[1]) if len(sys.argv) > 1 else 101, [c for c, _ in fwd], [c for c, _ in bwd])
