#!/usr/bin/env python3
"""Writes kernel/src/main/java/dev/lanewise/kernel/vector/elementwise/ActivationKernels.java.

Why generated: every activation needs its formula written out inside its own loop (see the class comment in the
output for the allocation this avoids), four times over (forward and backward, float and double). The formulas are
written once here, in float; the double code is derived from the same text by renaming types, literals and
constants. The snippets take the precision for formulas that would differ by it (none does at present).

Edit the formulas here, run `python3 kernel/tools/generate_activation_kernels.py`, commit both files.
"""
import os
import re

SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'src', 'main', 'java', 'dev', 'lanewise',
                   'kernel', 'vector')
OUT = os.path.join(SRC, 'elementwise', 'ActivationKernels.java')
EXP_OUT = os.path.join(SRC, 'math', 'VectorExp.java')

# ------------------------------------------------------------------------------------------------ exp
# Per precision, 'polynomial': e^x is VectorExp's formula below, written out in each loop; 'svml':
# lanewise(VectorOperators.EXP). Chosen by measurement (TranscendentalBenchmark), see kernel/ELEMENTWISE-NOTES.md.
# VectorExp itself is always the polynomial. Softmax (VectorProvider) uses lanewise(EXP) either way.
EXP_IMPL = {'float': 'polynomial', 'double': 'svml'}

# VectorExp's constants: (name, 'real' (float/double) or 'bits' (int/long), float literal, double literal; None
# where that precision has none). Q: e^r = 1 + r + r²·Q(r) on [−ln2/2, ln2/2], from `python3 kernel/tools/fit_exp.py` (max relative error 1.1e-8 float, 1.6e-17 double); ln 2 = LN2_HI + LN2_LO
# with LN2_HI of 16 (float) / 42 (double) bits, so n·LN2_HI is exact for every n the clamp allows.
EXP_CONSTANTS = [
    ('LOG2E', 'real', '0x1.715476p0f', '0x1.71547652b82fep0'),
    ('LN2_HI', 'real', '0x1.62e4p-1f', '0x1.62e42fefa38p-1'),
    ('LN2_LO', 'real', '0x1.7f7d1cp-20f', '0x1.ef35793c7673p-45'),
    ('Q0', 'real', '0x1.0p-1f', '0x1.0000000000001p-1'),
    ('Q1', 'real', '0x1.5554dcp-3f', '0x1.5555555555556p-3'),
    ('Q2', 'real', '0x1.55551ap-5f', '0x1.5555555553d63p-5'),
    ('Q3', 'real', '0x1.120b6ep-7f', '0x1.11111111109b3p-7'),
    ('Q4', 'real', '0x1.6d110ap-10f', '0x1.6c16c1788bd90p-10'),
    ('Q5', 'real', None, '0x1.a01a01a7c41d5p-13'),
    ('Q6', 'real', None, '0x1.a019b90d2ae7ap-16'),
    ('Q7', 'real', None, '0x1.71de0dae63bb3p-19'),
    ('Q8', 'real', None, '0x1.289185613a3d6p-22'),
    ('Q9', 'real', None, '0x1.af38a9b0ec855p-26'),
    # x is clamped to [MIN, MAX] (e^MIN rounds to 0, below half the least subnormal; e^MAX overflows). In float by
    # integer min on its bits (double: Java's max/min, see exp_lines): signed min with MAX's bits clamps positive x
    # (negative x are negative integers and pass), unsigned min with MIN's bits clamps negative x (positive x are
    # below 2^31 and pass). Java's float min/max (NaN, −0 semantics) cost C2 several instructions each; these are
    # one. The clamp turns NaN into a number, so a mask, all ones where x is NaN (|bits| − INF_BITS − 1 ≥ 0), is
    # or-ed into the result's bits.
    ('MIN', 'real', '-104f', '-746.0'),
    ('MAX', 'real', '89f', '710.0'),
    ('MIN_BITS', 'bits', 'Float.floatToRawIntBits(EXP_MIN_F)', None),
    ('MAX_BITS', 'bits', 'Float.floatToRawIntBits(EXP_MAX_F)', None),
    ('ABS_MASK', 'bits', 'Integer.MAX_VALUE', None),
    ('INF_BITS', 'bits', 'Float.floatToRawIntBits(Float.POSITIVE_INFINITY)', None),
    ('SIGN_SHIFT', 'bits', 'Integer.SIZE - 1', None),
    # t = x·log2e + MAGIC rounds x·log2e to the integer n in t's last bits (|x·log2e| < 2^22 resp. 2^51).
    ('MAGIC', 'real', '0x1.8p23f', '0x1.8p52'),
    # u = bits(t) − U_BIAS = n + OFFSET ≥ 0, so that u >>> 1 = ⌊n/2⌋ + OFFSET/2 needs no arithmetic shift (none
    # for longs before AVX-512).
    ('U_BIAS', 'bits', 'Float.floatToRawIntBits(EXP_MAGIC_F) - 256', 'Double.doubleToRawLongBits(EXP_MAGIC) - 4096'),
    ('HALF_OFFSET', 'bits', '128', '2048'),
    # n2 + exponent bias = u − h − SCALE_BIAS (h = u >>> 1, n2 = n − ⌊n/2⌋): 128 − 127 and 2048 − 1023.
    ('SCALE_BIAS', 'bits', '1', '1025'),
    ('MANTISSA_BITS', 'bits', '23', '52'),
]


def exp_degree(precision):
    return max(int(name[1:]) for name, kind, f, d in EXP_CONSTANTS
               if name.startswith('Q') and (f if precision == 'float' else d) is not None)


def exp_lines(out, x, precision, impl=None, lo=None, scale=None, min_bits='EXP_MIN_BITS_F', clamped=True):
    """out = e^x (float syntax; `precision` picks the polynomial's degree): VectorExp's formula, see its Javadoc,
    or lanewise(EXP); `impl` defaults to EXP_IMPL. Polynomial only (GELU_ERF): `lo` a small low part of the
    argument (e^(x + lo), added to the reduced argument r), `scale` an int constant K (the result is e^x·2^K, added
    to the exponent of the last factor, so results that would be subnormal stay normal), `min_bits` the float
    clamp's lower bound to go with it; in double `clamped=False` (with lo and scale) drops the clamp, for a caller
    whose x is already within the formula's range (both factors' exponents normal)."""
    if (impl or EXP_IMPL[precision]) == 'svml':
        assert lo is None and scale is None
        return [f'FloatVector {out} = {x}.lanewise(VectorOperators.EXP);']
    o = out + 'Exp'
    deg = exp_degree(precision)
    horner = [f'FloatVector {o}Q = FloatVector.broadcast(F, EXP_Q{deg}_F)']
    for k in range(deg - 1, -1, -1):
        horner.append(f'        .fma({o}R, FloatVector.broadcast(F, EXP_Q{k}_F))')
    horner[-1] += ';'
    if precision == 'float':
        clamp = [
            f'IntVector {o}B = {x}.viewAsIntegralLanes();',
            f'FloatVector {o}X = {o}B.min(EXP_MAX_BITS_F).lanewise(VectorOperators.UMIN, {min_bits})',
            '        .viewAsFloatingLanes();',
            f'IntVector {o}Nan = {o}B.and(EXP_ABS_MASK_F).sub(EXP_INF_BITS_F + 1)',
            '        .lanewise(VectorOperators.LSHR, EXP_SIGN_SHIFT_F).sub(1);',
        ]
        nan = f'.or({o}Nan)'
    else:
        # Long min/umin made the double e^x 4x slower (TranscendentalBenchmark): Java's min/max here, which keep NaN.
        clamp = [f'FloatVector {o}X = {x}.max(EXP_MIN_F).min(EXP_MAX_F);' if clamped else f'FloatVector {o}X = {x};']
        nan = ''
        assert clamped or (lo is not None and scale is not None)
    reduced = f'{o}N.fma(FloatVector.broadcast(F, -EXP_LN2_HI_F), {o}X)' + (f'.add({lo})' if lo else '')
    scale_bias = f'EXP_SCALE_BIAS_F - {scale}' if scale else 'EXP_SCALE_BIAS_F'
    return clamp + [
        f'FloatVector {o}T = {o}X.fma(EXP_LOG2E_F, EXP_MAGIC_F);',
        f'FloatVector {o}N = {o}T.sub(EXP_MAGIC_F);',
        f'FloatVector {o}R = {o}N.fma(FloatVector.broadcast(F, -EXP_LN2_LO_F),',
        f'        {reduced});',
    ] + horner + [
        f'IntVector {o}P = {o}R.mul({o}R).fma({o}Q, {o}R).add(1f).viewAsIntegralLanes();',
        f'IntVector {o}U = {o}T.viewAsIntegralLanes().sub(EXP_U_BIAS_F);',
        f'IntVector {o}H = {o}U.lanewise(VectorOperators.LSHR, 1);',
        f'FloatVector {out} = {o}P.add({o}H.sub(EXP_HALF_OFFSET_F).lanewise(VectorOperators.LSHL, EXP_MANTISSA_BITS_F))',
        f'        {nan}.viewAsFloatingLanes().mul({o}U.sub({o}H).sub({scale_bias})',
        f'                .lanewise(VectorOperators.LSHL, EXP_MANTISSA_BITS_F).viewAsFloatingLanes());',
    ]


# ------------------------------------------------------------------------------------------------ formula snippets
# Each snippet returns Java lines in float syntax. `out` names the vector it defines.


def sigmoid(out, w, precision):
    """1/(1 + e^−w): the form main's accuracy table (ActivationAccuracyTest) was measured with. The float e^−w is
    clamped at e^−20 (SIGMOID_EXP_MIN_BITS_F): every result is the same, and it is never subnormal."""
    return exp_lines(out + 'E', f'{w}.neg()', precision, min_bits='SIGMOID_EXP_MIN_BITS_F') + [
        f'FloatVector {out} = FloatVector.broadcast(F, 1f).div({out}E.add(1f));']


def gelu_tanh_sigmoid(out, zc, precision):
    """sigmoid(w) for GELU's w = K1·zc + K2·zc³ (K1 = 2c, K2 = 2c·a), zc the clamped input; the same pair
    arithmetic in both precisions (`precision` picks e^x, see exp_lines)."""
    return [
        '// sigmoid(w) has condition number |w|·(1 − s) in w (|w| up to ~700): w rounded once cost 14 ULP at z = −3.4',
        '// in single precision, 1,435 ULP at z = −20.6 in 64 bits. So w is an unevaluated pair wh + wl (error-free',
        '// products and sums via fma, constants as hi + lo), and s = s0 + s0·(1 − s0)·wl to first order in wl, with',
        '// s0 = 1/(1 + e^−wh).',
        f'FloatVector zc2 = {zc}.mul({zc});',
        f'FloatVector zc2Lo = {zc}.fma({zc}, zc2.neg());',
        'FloatVector a = zc2.mul(K2_HI_F);',
        'FloatVector aLo = zc2.fma(FloatVector.broadcast(F, K2_HI_F), a.neg())',
        '        .add(zc2Lo.mul(K2_HI_F)).add(zc2.mul(K2_LO_F));',
        'FloatVector t = a.add(K1_HI_F);',
        'FloatVector bb = t.sub(K1_HI_F);',
        'FloatVector tLo = t.sub(bb).neg().add(K1_HI_F).add(a.sub(bb)).add(aLo).add(K1_LO_F);',
        f'FloatVector w = {zc}.mul(t);',
        f'FloatVector wLo = {zc}.fma(t, w.neg()).add({zc}.mul(tLo));',
    ] + sigmoid('s0', 'w', precision) + [
        f'FloatVector {out} = s0.mul(s0.neg().add(1f)).fma(wLo, s0);',
    ]


def gelu_tanh_clamp(z):
    return ['// Beyond ±GELU_CLAMP s is exactly 0 or 1 and s′ = 0: the clamp changes no result there and keeps every',
            '// product finite (z = ±∞ would give ∞·0 = NaN).',
            f'FloatVector zc = {z}.max(-GELU_CLAMP_F).min(GELU_CLAMP_F);']


def select_positive(out, z, if_positive, otherwise=None, tag=''):
    """out = z > 0 ? if_positive : otherwise (0 when None), by bit operations (see the class comment)."""
    b, mask = 'b' + tag, 'notPositive' + tag
    lines = [
        f'IntVector {b} = {z}.viewAsIntegralLanes();',
        f'IntVector {mask} = {b}.sub(1).or({b}.neg().add(INF_BITS_F)).lanewise(VectorOperators.ASHR, SIGN_SHIFT_F);',
    ]
    pick = f'{if_positive}.viewAsIntegralLanes().lanewise(VectorOperators.AND_NOT, {mask})'
    if otherwise is None:
        return lines + [f'FloatVector {out} = {pick}', '        .viewAsFloatingLanes();']
    return lines + [f'FloatVector {out} = {pick}',
                    f'        .or({otherwise}.viewAsIntegralLanes().and({mask})).viewAsFloatingLanes();']


def relu_forward(p):
    """max(z, 0) as the twin's Math.max(0, z) (NaN stays NaN, −0 and negative z give +0).

    Float: y = (z <= 0 ? +0 : z), one ordered compare and a blend (NaN <= 0 is false, so NaN stays; −0 <= 0 is
    true): on the Xeon (AVX-512, session 12) 1.4 x the integer form below, which keeps 2 ALU ports busy with 6
    operations per vector (JMH, ELEMENTWISE-NOTES.md). A float mask has at least 4 lanes, which C2 compiles at every
    width (the 128-bit test run's AllocationTest covers it). Double keeps the integer form, because a 2-lane double
    mask boxes (see the class comment): with d = b xor SIGN on the bits b, the lanes to zero are exactly those with
    0 ≤ d ≤ INF_BITS (negative, not NaN), so keep = ((INF_BITS − d) | d) >> 31 (arithmetic) and y = b & keep, where
    C2 compiles the Java semantics of z.max(0.0) (NaN and signed-zero rules) to a longer masked sequence."""
    if p == 'float':
        return [], 'z.blend(0f, z.compare(VectorOperators.LE, 0f))'
    return ['IntVector b = z.viewAsIntegralLanes();',
            'IntVector d = b.lanewise(VectorOperators.XOR, SIGN_BIT_F);',
            'IntVector keep = d.neg().add(INF_BITS_F).or(d).lanewise(VectorOperators.ASHR, SIGN_SHIFT_F);'], \
        'b.and(keep).viewAsFloatingLanes()'


# Lane-wise float GELU_ERF in float lanes of F (scheme: kernel/tools/fit_gelu_erf.py and ERF_DOC below).
# Version 1 (6 forward / 7 backward polynomial pieces) was boxed by C2 in 2 of 24 fresh JVMs of the kernel
# AllocationTest (4 of 10 with -XX:+PrintInlining), a cut-down with 2 pieces in none: the loops' size. Version 2, these
# 3 pieces each (exhaustive 512-bit: forward 3.16, backward 3.40 ULP), allocated in 1 of 30 JVMs, a 128-bit one under
# heavy load in which main's GELU_TANH (on since session 2) allocated too: the general compile-pressure accident that
# AllocationTest's second JVM is there for, not this kernel's. On since session 5 (kernel/ELEMENTWISE-NOTES.md has the
# JVM counts). False makes float GELU_ERF run the scalar twin (double: LANEWISE_GELU_ERF_DOUBLE).
LANEWISE_GELU_ERF = True

# The pieces of a = |z| (upper bound, kind, shift, coefficients [c0 hi, c0 lo, c1, ...]), printed by
# `python3 kernel/tools/fit_gelu_erf.py` (its docstring defines the kinds; fit errors 5e-14 .. 1e-10 relative).
# Forward values W(a) = a·Φ(−a)·e^(a²/2), backward D(a) = W(a)/a − a/√(2π); the last piece is in v = 1/a.
ERF_FORWARD = [
    # a in [0, 1): fit max relative error 1.0e-11
    (1, 'G', 0.5, ['0x1.66027ap-2f', '0x1.a98aa6p-27f', '-0x1.cb062cp-3f', '0x1.e681ep-4f', '-0x1.c1dcecp-5f', '0x1.760aa6p-6f', '-0x1.1d163cp-7f', '0x1.93b16ep-9f', '-0x1.0bca72p-10f', '0x1.5089c2p-12f', '-0x1.a7f716p-14f', '0x1.db4884p-16f']),
    # a in [1, 2): fit max relative error 2.9e-11
    (2, 'W', 1.5, ['0x1.3c144p-2f', '0x1.8606ap-29f', '0x1.204038p-4f', '-0x1.332042p-5f', '0x1.0d602cp-6f', '-0x1.9ef158p-8f', '0x1.21cb2ap-9f', '-0x1.75cb22p-11f', '0x1.c37234p-13f', '-0x1.0daae2p-14f', '0x1.286516p-16f']),
    # a in [2, 16): fit max relative error 8.3e-11
    (16, 'M', 0, ['0x1.988438p-2f', '0x1.73e8b2p-29f', '0x1.04981ap-15f', '-0x1.999896p-2f', '0x1.54f606p-6f', '0x1.dc8e42p-1f', '0x1.276ac4p+1f', '-0x1.3b673ap+4f', '0x1.b1b9d4p+5f', '-0x1.489044p+6f', '0x1.011f76p+6f', '-0x1.bb789ap+0f', '-0x1.6df23ep+5f', '0x1.36c184p+5f', '-0x1.602da2p+3f']),
]
ERF_BACKWARD = [
    # a in [0, 1.5): fit max relative error 5.0e-14
    (1.5, 'K', 0.75, ['0x1.252658p-1f', '-0x1.eddcc6p-26f', '-0x1.5bb314p-4f', '0x1.2c4eb4p-5f', '-0x1.d63e96p-7f', '0x1.5375ap-8f', '-0x1.c94e62p-10f', '0x1.21fb24p-11f', '-0x1.5c959cp-13f', '0x1.8f699ap-15f', '-0x1.b604dap-17f', '0x1.cadc0cp-19f', '-0x1.d2084p-21f', '0x1.003604p-22f', '-0x1.e62e4ap-25f']),
    # a in [1.5, 2): fit max relative error 1.0e-10
    (2, 'Na', 1.75, ['0x1.2c2142p-2f', '-0x1.f1d8d2p-29f', '0x1.a6c922p-4f', '-0x1.3133c8p-4f', '0x1.8749cap-5f', '-0x1.d9a0dap-6f', '0x1.162c2ep-6f', '-0x1.41f88ap-7f', '0x1.846cbep-8f', '-0x1.c4ae28p-9f']),
    # a in [2, 16): fit max relative error 1.9e-11
    (16, 'Nv', 0, ['0x1.98844ep-2f', '0x1.7ed5a8p-27f', '0x1.4e5b0ap-18f', '-0x1.98aeeap-2f', '0x1.91df34p-9f', '0x1.72682ap-2f', '0x1.377226p-2f', '-0x1.711d66p+1f', '0x1.86b4f8p+2f', '-0x1.8ce9fep+2f', '0x1.a6a32ap+0f', '0x1.504ee6p+1f', '-0x1.b508d2p+0f', '-0x1.1149e4p+0f', '0x1.fb569p-1f']),
]
# a0 = A0_HI + A0_LO, the root of D (f′(−a0) = 0).
ERF_A0_HI = '0x1.80ead2p-1f'
ERF_A0_LO = '-0x1.a03fd4p-27f'


def erf_pieces(pieces, tag):
    """r = the piece's value at a, each piece's polynomial computed and selected by bit operations (a < its upper
    bound: the sign of a − bound), last piece first."""
    lines = []
    for i in reversed(range(len(pieces))):
        bound, kind, shift, cs = pieces[i]
        c = lambda j: f'ERF_{tag}{i}_{j}_F'
        var = 'v' if kind in ('M', 'Nv') else f's{i}'
        if var != 'v':
            lines.append(f'FloatVector {var} = a.sub({shift}f);')
        n = len(cs) - 1
        poly = [f'FloatVector g{i} = {var}.fma({c(n)}, {c(n - 1)})']
        for j in range(n - 2, 0, -1):
            poly.append(f'        .fma({var}, FloatVector.broadcast(F, {c(j)}))')
        poly.append(f'        .add({c(0)});')
        lines += poly
        if kind == 'G':
            lines.append(f'g{i} = a.mul(g{i});')
        elif kind == 'K':
            lines.append(f'g{i} = FloatVector.broadcast(F, ERF_A0_HI_F).sub(a).fma(g{i}, g{i}.mul(ERF_A0_LO_F));')
        elif kind in ('Na', 'Nv'):
            lines.append(f'g{i} = a.mul(g{i}).neg();')
        if i == len(pieces) - 1:
            lines.append(f'FloatVector r = g{i};')
        else:
            lines += [f'IntVector m{i} = a.sub({bound}f).viewAsIntegralLanes().lanewise(VectorOperators.ASHR, SIGN_SHIFT_F);',
                      f'r = g{i}.viewAsIntegralLanes().and(m{i}).or(r.viewAsIntegralLanes()'
                      f'.lanewise(VectorOperators.AND_NOT, m{i}))',
                      '        .viewAsFloatingLanes();']
    return lines


def gelu_erf_float(backward):
    """Float GELU_ERF (see the class comment): p = e^(−a²/2)·R(a), R = W (forward) or D (backward); forward y = z − p
    for z > 0, ∓p otherwise (p with z's sign); backward dy·(1 − p) for z > 0, dy·p otherwise."""
    pieces = ERF_BACKWARD if backward else ERF_FORWARD
    lines = [
        '// a = |z|, clamped where every result is saturated (z = ±∞ must not meet ∞·0).',
        'FloatVector a = z.abs().min(ERF_A_MAX_F);',
        f'FloatVector v = FloatVector.broadcast(F, 1f).div(a.max({pieces[-2][0]}f));',
        '// e^(−a²/2)·2^24 from the exact square a² = h + hLo (the 2^24 keeps it normal up to a = 16).',
        'FloatVector h = a.mul(a);',
        'FloatVector hLo = a.fma(a, h.neg());',
    ] + exp_lines('e', 'h.mul(-0.5f)', 'float', lo='hLo.mul(-0.5f)', scale='ERF_EXP_SCALE_F',
                  min_bits='ERF_EXP_MIN_BITS_F') + erf_pieces(pieces, 'B' if backward else 'F') + [
        'FloatVector p = e.mul(r).mul(ERF_UNSCALE_F);',
    ]
    return gelu_erf_result(lines, backward)


def gelu_erf_result(lines, backward, zero_fix=None):
    """`lines` (which end with p = e^(−a²/2)·R(a)) and GELU_ERF's last lines, and the result: forward y = z − p for z > 0, else p with z's
    sign; backward dy·(1 − p) for z > 0, else dy·p. `zero_fix` (double): comments and a signed zero added to the
    z <= 0 results (forward: a vector of zeros' bits, backward: a literal)."""
    comment, fix = zero_fix or ([], None)
    if backward:
        negative = f'p.add({fix})' if fix else 'p'
        return lines + comment + select_positive('fp', 'z', 'p.neg().add(1f)', negative), 'dy.mul(fp)'
    sign = 'z.viewAsIntegralLanes().and(SIGN_BIT_F)'
    signed = (['FloatVector sp = p.viewAsIntegralLanes()',
               f'        .lanewise(VectorOperators.XOR, {sign}).viewAsFloatingLanes()',
               f'        .add({fix});'] if fix else
              [f'FloatVector sp = p.viewAsIntegralLanes().lanewise(VectorOperators.XOR, {sign})',
               '        .viewAsFloatingLanes();'])
    return lines + comment + signed + select_positive('y', 'z', 'z.sub(sp)', 'sp'), 'y'


# Lane-wise double GELU_ERF in double lanes of D (scheme: kernel/tools/fit_gelu_erf_double.py and ERF_DOC below): two
# rational pieces per direction, one division each (plus v = 1/a), no masks. False makes double GELU_ERF run the
# scalar twin again (the float kernel is LANEWISE_GELU_ERF's).
LANEWISE_GELU_ERF_DOUBLE = True
# Printed by `python3 kernel/tools/fit_gelu_erf_double.py`: (numerator [p0, ...], denominator [1, q1, ...]).
# Forward head, a in [0, 2): W = a·P(a)/Q(a) (kind G, degree 6/8, fit max relative error 1.4e-19).
ERF64_FORWARD_HEAD = (['0x1.0000000000000p-1', '0x1.dba9895497161p-2', '0x1.c84f8111ed80dp-3', '0x1.03a690fa14c42p-4', '0x1.6e301b0863e97p-7', '0x1.2b01685e2a1bfp-10', '0x1.bacbed21ca27bp-15'], ['0x1.0000000000000p+0', '0x1.ba16ee48ed3d9p+0', '0x1.52d067efa4c74p+0', '0x1.2baa18fadb3f9p-1', '0x1.4b89c753fa483p-3', '0x1.cce6a7039df88p-6', '0x1.76e1bf070bb41p-9', '0x1.155eb3f3009d6p-13', '0x1.8082417358172p-30'])
# Both tails, a in [2, 40]: S(v) = P(v)/Q(v), v = 1/a, W = c − v·S (kind S, degree 8/9, fit 1.4e-16, damped by
# v·S/W <= 0.19).
ERF64_TAIL = (['0x1.22177edd47d32p-42', '0x1.9884533c3aabfp-2', '0x1.8af36ec1e4d86p+2', '0x1.a7fecc3d2477cp+5', '0x1.2646ff31a1576p+8', '0x1.190493ef79c34p+10', '0x1.6def3e6aefde9p+11', '0x1.2eb2d3d920a7bp+12', '0x1.f6337a7bbfe89p+11'], ['0x1.0000000000000p+0', '0x1.eeff5fe54993cp+3', '0x1.0fb31cad2ac8fp+7', '0x1.880661b709664p+9', '0x1.9145c5122be55p+11', '0x1.279177d762efcp+13', '0x1.35f98956df6dep+14', '0x1.ba34ac364c8f0p+14', '0x1.82e7caf3015d8p+14', '0x1.3ab4de22a4d7dp+13'])
# Backward head, a in [0, 2): D = (a0 − a)·P(a)/Q(a) (kind K, degree 7/6, fit 6.9e-19).
ERF64_BACKWARD_HEAD = (['0x1.54851a5cc1ec8p-1', '0x1.aa3fb2538f268p-1', '0x1.f74eea4f81ab4p-2', '0x1.546751f8469fap-3', '0x1.140419b5d4ffbp-5', '0x1.fad6d5f488fd1p-9', '0x1.9ce4edf404fddp-13', '-0x1.12ebb39f6adeep-31'], ['0x1.0000000000000p+0', '0x1.84727c392af13p+0', '0x1.fda11ed1272a5p-1', '0x1.733f7245890ffp-2', '0x1.3e11f35eb58a8p-4', '0x1.317b85960dd6fp-7', '0x1.02b8720d68c97p-11'])
# c = 1/√(2π) and a0 (D(a0) = 0) as double pairs hi + lo.
ERF64_C = ('0x1.9884533d43651p-2', '-0x1.cbc0d30ebfd15p-56')
ERF64_A0 = ('0x1.80ead197f00b4p-1', '-0x1.13e74c58cada8p-56')


def float_horner(var, coeff, count, arg):
    """Lines declaring float vector `var` = the polynomial with constants {coeff}0_F .. {coeff}{count-1}_F at `arg`,
    by Horner's rule (one fma per degree, highest coefficient first)."""
    lines = [f'FloatVector {var} = FloatVector.broadcast(F, {coeff}{count - 1}_F)']
    for k in range(count - 2, -1, -1):
        lines.append(f'        .fma({arg}, FloatVector.broadcast(F, {coeff}{k}_F))')
    lines[-1] += ';'
    return lines


def erf64_horner(out, cs, var, tag, pair=False):
    """out = the polynomial cs (constant first) at var, Horner by fma; with `pair` the last step cs[0] + var·t is
    exact as out + outLo (two-product by fma, then two-sum): the head's P and Q would otherwise round there once each,
    up to 1 ULP of the result together."""
    c = lambda j: f'ERFD_{tag}{j}_F'
    n = len(cs) - 1
    last = 1 if pair else 0
    lines = [f'FloatVector {out}{"T" if pair else ""} = {var}.fma({c(n)}, {c(n - 1)})']
    lines += [f'        .fma({var}, FloatVector.broadcast(F, {c(j)}))' for j in range(n - 2, last - 1, -1)]
    lines[-1] += ';'
    if pair:
        lines += [f'FloatVector {out}Tx = {out}T.mul({var});',
                  f'FloatVector {out}TxLo = {out}T.fma({var}, {out}Tx.neg());',
                  f'FloatVector {out} = {out}Tx.add({c(0)});',
                  f'FloatVector {out}Bb = {out}.sub({c(0)});',
                  f'FloatVector {out}Lo = {out}.sub({out}Bb).neg().add({c(0)}).add({out}Tx.sub({out}Bb)).add({out}TxLo);']
    return lines


def gelu_erf_double(backward):
    """Double GELU_ERF (see the class comment), in float syntax for to_double: p = e^(−a²/2)·R(a) with R = W
    (forward) or D (backward) as a pair r + rLo, then the same sign handling as gelu_erf_float."""
    head = ERF64_BACKWARD_HEAD if backward else ERF64_FORWARD_HEAD
    tag = 'B' if backward else 'F'
    lines = [
        '// a = |z|, clamped where every result is saturated (z = ±∞ must not meet ∞·0).',
        'FloatVector a = z.abs().min(ERFD_A_MAX_F);',
        '// e^(−a²/2)·2^64 from the exact square a² = h + hLo (the 2^64 keeps it normal wherever the result is not',
        '// 0); a <= 40 keeps the argument within the formula\'s range, so no clamp.',
        'FloatVector h = a.mul(a);',
        'FloatVector hLo = a.fma(a, h.neg());',
    ] + exp_lines('e', 'h.mul(-0.5f)', 'double', impl='polynomial', lo='hLo.mul(-0.5f)', scale='ERFD_EXP_SCALE_F',
                  clamped=False) + [
        '// Head, a < 2: P/Q as a pair (one Newton step on the quotient, P\'s and Q\'s last rounding carried).',
    ] + erf64_horner('hp', head[0], 'a', tag + 'P', True) + erf64_horner('hq', head[1], 'a', tag + 'Q', True)
    if backward:
        lines += [
            'FloatVector inv = FloatVector.broadcast(F, 1f).div(hq);',
            'FloatVector k0 = hp.mul(inv);',
            'FloatVector kLo = k0.neg().fma(hq, hp).add(hpLo).sub(k0.mul(hqLo)).mul(inv);',
            '// D = (a0 − a)·K, a0 − a exact near the root (Sterbenz), a0\'s low part and K\'s carried.',
            'FloatVector d0 = FloatVector.broadcast(F, ERFD_A0_HI_F).sub(a);',
            'FloatVector headR = d0.mul(k0);',
            'FloatVector headLo = d0.fma(k0, headR.neg()).add(d0.fma(kLo, k0.mul(ERFD_A0_LO_F)));',
        ]
    else:
        lines += [
            'FloatVector num = a.mul(hp);',
            'FloatVector numLo = a.fma(hpLo, a.fma(hp, num.neg()));',
            'FloatVector inv = FloatVector.broadcast(F, 1f).div(hq);',
            'FloatVector headR = num.mul(inv);',
            'FloatVector headLo = headR.neg().fma(hq, num).add(numLo).sub(headR.mul(hqLo)).mul(inv);',
        ]
    lines += [
        '// Tail, a >= 2: W = c − v·S(v), v = 1/a (the rational\'s error damped by v·S/W).',
        f'FloatVector v = FloatVector.broadcast(F, 1f).div(a.max(ERFD_SPLIT_F));',
    ] + erf64_horner('tp', ERF64_TAIL[0], 'v', 'TP') + erf64_horner('tq', ERF64_TAIL[1], 'v', 'TQ') + [
        'FloatVector w = v.neg().fma(tp.div(tq), FloatVector.broadcast(F, ERFD_C_HI_F));',
    ]
    if backward:
        lines += [
            '// D = G − c·a with G = v·W: G <= 0.21·c·a, so c·a (a pair) carries the accuracy.',
            'FloatVector ca = a.mul(ERFD_C_HI_F);',
            'FloatVector tailR = v.mul(w.add(ERFD_C_LO_F)).sub(ca);',
            'FloatVector tailLo = a.fma(FloatVector.broadcast(F, ERFD_C_HI_F), ca.neg()).add(a.mul(ERFD_C_LO_F)).neg();',
        ]
    else:
        lines += ['FloatVector tailR = w;', 'FloatVector tailLo = FloatVector.broadcast(F, ERFD_C_LO_F);']
    lines += [
        'IntVector inHead = a.sub(ERFD_SPLIT_F).viewAsIntegralLanes().lanewise(VectorOperators.ASHR, SIGN_SHIFT_F);',
        'FloatVector r = headR.viewAsIntegralLanes().and(inHead)',
        '        .or(tailR.viewAsIntegralLanes().lanewise(VectorOperators.AND_NOT, inHead)).viewAsFloatingLanes();',
        'FloatVector rLo = headLo.viewAsIntegralLanes().and(inHead)',
        '        .or(tailLo.viewAsIntegralLanes().lanewise(VectorOperators.AND_NOT, inHead)).viewAsFloatingLanes();',
        'FloatVector p = e.fma(r, e.mul(rLo)).mul(ERFD_UNSCALE_F);',
    ]
    if backward:
        fix = (['// + 0: f′ = +0 where E·D underflows (z < −38.6), as the twin\'s (its φ = 0 there gives f′ = Φ = 0).'],
               '0f')
    else:
        # y = p with z's sign for z <= 0: −0 where p underflows (z < −38.6), as the twin's saturation.
        fix = None
    return gelu_erf_result(lines, backward, fix)


def erf64_constants():
    """The double GELU_ERF constants (declared in double: the header is not renamed)."""
    out = ['    /** Double GELU_ERF: a = |z| is clamped here (from 38.6 on every result is 0, 1 or z). */\n',
           '    private static final double ERFD_A_MAX = 40;\n',
           '    /** Its e^(−a²/2) is computed times 2^ERFD_EXP_SCALE (normal for every a where a result is not 0) ... */\n',
           '    private static final int ERFD_EXP_SCALE = 64;\n',
           '    /** ... and multiplied by 2^−64 last. */\n',
           '    private static final double ERFD_UNSCALE = 0x1p-64;\n',
           '    /** The head pieces below this a, the tails (in v = 1/a) from it on. */\n',
           '    private static final double ERFD_SPLIT = 2;\n',
           '    private static final long SIGN_BIT = Long.MIN_VALUE;\n']
    named = [('C_HI', ERF64_C[0]), ('C_LO', ERF64_C[1]), ('A0_HI', ERF64_A0[0]), ('A0_LO', ERF64_A0[1])]
    for tag, cs in (('FP', ERF64_FORWARD_HEAD[0]), ('FQ', ERF64_FORWARD_HEAD[1]), ('BP', ERF64_BACKWARD_HEAD[0]),
                    ('BQ', ERF64_BACKWARD_HEAD[1]), ('TP', ERF64_TAIL[0]), ('TQ', ERF64_TAIL[1])):
        named += [(f'{tag}{j}', c) for j, c in enumerate(cs)]
    return out + [f'    private static final double ERFD_{n} = {c};\n' for n, c in named]


# Float tanh: 'polynomial' (tanh_float below: the own e^x and an odd polynomial, same bits in every JIT tier) or
# 'svml' (lanewise(TANH)). Double keeps SVML. Chosen by measurement, see kernel/ELEMENTWISE-NOTES.md "Own float tanh".
TANH_IMPL_FLOAT = 'polynomial'
# tanh(z) = z + z³·P(z²) for |z| < TANH_SPLIT (a float just above atanh(1/2)), from `python3 kernel/tools/fit_tanh.py`:
# P's relative fit error 0.02 ULP; evaluated in float lanes at most 0.78 ULP over a dense sample.
TANH_SPLIT = '0.5493164f'
TANH_P = ['-0.33333316f', '0.13332593f', '-0.053853087f', '0.02107511f', '-0.006279406f']


def tanh_float(precision):
    """tanh: where |tanh| ≥ 1/2 (a = |z| ≥ atanh(1/2)), 1 − 2/(e^(2a) + 1) with z's sign, from the own e^x (no
    cancellation: 2/(e^(2a) + 1) ≤ 1/2; at most 1.9 ULP with e^x 1 ULP off, fit_tanh.py); below, the odd polynomial
    z + z³·P(z²), which also returns ±0 (with the sign put on last) and subnormal z exactly. NaN takes the e^x branch
    and stays NaN; ±∞ gives ±1.
    The select is bit operations (see the class comment): the branch mask from a's bits against the split's."""
    if precision != 'float' or TANH_IMPL_FLOAT == 'svml':
        return [], 'z.lanewise(VectorOperators.TANH)'
    lines = ['FloatVector a = z.abs();'] + exp_lines('e', 'a.add(a)', precision) + [
        'FloatVector big = FloatVector.broadcast(F, 1f).sub(FloatVector.broadcast(F, 2f).div(e.add(1f)));',
        'FloatVector t = z.mul(z);',
    ] + float_horner('q', 'TANH_P', len(TANH_P), 't')
    lines += [
        'FloatVector small = z.mul(t).fma(q, z);',
        'IntVector inSmall = a.viewAsIntegralLanes().sub(TANH_SPLIT_BITS_F)',
        '        .lanewise(VectorOperators.ASHR, SIGN_SHIFT_F);',
        '// z\'s sign goes on after the select: big is |tanh|, and small(−0) is +0 (−0·t·q + −0 rounds to +0), so',
        '// tanh(−0) = −0 as Math.tanh; for every other z small already has z\'s sign.',
        'FloatVector y = small.viewAsIntegralLanes().and(inSmall)',
        '        .or(big.viewAsIntegralLanes().lanewise(VectorOperators.AND_NOT, inSmall))',
        '        .or(z.viewAsIntegralLanes().and(SIGN_BIT_F)).viewAsFloatingLanes();',
    ]
    return lines, 'y'


# Float softplus's log1p(e^−|z|): 'polynomial' (softplus_float below: add/mul/fma/bit operations only, same bits in
# every JIT tier) or 'svml' (lanewise(LOG1P)). Double keeps SVML (a polynomial would need about twice the degree).
# Chosen by measurement, see kernel/ELEMENTWISE-NOTES.md "Own float softplus log1p".
SOFTPLUS_LOG1P_FLOAT = 'polynomial'
# log1p(u) = u + u²·Q(u − 1/2) for u = e^−|z| in (0, 1], Q of degree 8 from `python3 kernel/tools/fit_softplus.py`
# (fit error 0.09 ULP of log1p; simulated float evaluation 1.02 ULP).
SOFTPLUS_Q = ['-0x1.833704p-2f', '0x1.6f0d76p-3f', '-0x1.7de0bp-4f', '0x1.a28586p-5f', '-0x1.d99458p-6f',
              '0x1.10e884p-6f', '-0x1.4d81p-7f', '0x1.c63512p-8f', '-0x1.b2f2aep-9f']


def softplus_exp(lines):
    """exp_lines' float e^x, less two guards softplus does not need (6 vector operations): the upper clamp
    (the argument −|z| is never positive) and the NaN mask (z = NaN makes z.max(0f), and so the result, NaN; e^x
    of the clamped NaN is a number, 0). Edits exp_lines' text, so it asserts each edit applied."""
    text = '\n'.join(lines)
    clamp = 'eExpB.min(EXP_MAX_BITS_F).lanewise(VectorOperators.UMIN, EXP_MIN_BITS_F)'
    assert text.count(clamp) == 1 and text.count('.or(eExpNan)') == 1, 'exp_lines changed: update softplus_exp'
    text = text.replace(clamp, 'eExpB.lanewise(VectorOperators.UMIN, EXP_MIN_BITS_F)').replace('.or(eExpNan)', '')
    out = text.split('\n')
    nan = [i for i, line in enumerate(out) if line.startswith('IntVector eExpNan =')]
    assert len(nan) == 1 and out[nan[0] + 1].lstrip().startswith('.lanewise(VectorOperators.LSHR'), out
    return out[:nan[0]] + out[nan[0] + 2:]


def softplus_float(precision):
    """max(z, 0) + log1p(u), u = e^−|z| in [0, 1] from the own e^x (never NaN here, see softplus_exp); log1p(u) =
    u + u²·Q(u − 1/2) (fit_softplus.py says why this form). u is computed for min(z, 20), so it is never subnormal
    for z > 0 (see the comment emitted below). Q runs on uc = max(u, 2^−24) (a signed integer max on the bits), so
    no subnormal u (z < −87.3) enters the polynomial; it changes no result, because below 2^−24 the u²·Q term is
    under half an ULP of u whatever Q is, and u + u²·Q rounds to u. There subnormal u still meets three instructions
    (u·u, the last fma, the final add) besides the exp's own last multiplication: taking u by a bit select in those
    lanes instead (5 more integer operations) made the kernel 13% slower in cache on Zen 5. Both clamps change no
    result over all 2^32 inputs (kernel/tools/SoftplusBitCompare.java, kernel/ELEMENTWISE-NOTES.md)."""
    if precision != 'float' or SOFTPLUS_LOG1P_FLOAT == 'svml':
        return exp_lines('e', 'z.abs().neg()', precision) + log1p_small('log1pExp', 'e', precision), \
            'z.max(0f).add(log1pExp)'
    lines = [
        '// z > 20 counts as 20 in e^−|z| (signed integer min on the bits: negative z and NaN with the sign bit pass):',
        '// z + log1p(e^−20) rounds to z as z + log1p(e^−z) does, so no result changes, and u is not subnormal for',
        '// any z > 0 (subnormal lanes ran 3x slower even on Zen 5; z < −87.3 keeps them: the result is subnormal).',
        'FloatVector zc = z.viewAsIntegralLanes().min(SOFTPLUS_Z_MAX_BITS_F).viewAsFloatingLanes();',
    ] + softplus_exp(exp_lines('e', 'zc.abs().neg()', precision))
    return lines + log1p_small('log1pExp', 'e', precision), 'z.max(0f).add(log1pExp)'


def log1p_small(out, u, precision):
    """out = log1p(u) for u in [0, 1]: in float the own u + u²·Q(u − 1/2), Q on max(u, 2^−24) (softplus_float says
    why), unless SOFTPLUS_LOG1P_FLOAT says 'svml'; in double (and then) lanewise(LOG1P)."""
    if precision != 'float' or SOFTPLUS_LOG1P_FLOAT == 'svml':
        return [f'FloatVector {out} = {u}.lanewise(VectorOperators.LOG1P);']
    return [
        f'FloatVector {out}C = {u}.viewAsIntegralLanes().max(SOFTPLUS_CLAMP_BITS_F).viewAsFloatingLanes();',
        f'FloatVector {out}T = {out}C.sub(0.5f);',
    ] + float_horner(f'{out}Q', 'SOFTPLUS_Q', len(SOFTPLUS_Q), f'{out}T') + [
        f'FloatVector {out} = {u}.mul({u}).fma({out}Q, {u});',
    ]


def bce_float():
    """The float BCE-with-logits loop (loss summed, gradient optional): one own e^−|z| per element serves both
    log1p(e^−|z|) and σ(z) = (z < 0 ? u : 1)/(1 + u), where the former kernel (VectorMath) took SVML's EXP twice
    and LOG1P once, with results that differed between JIT tiers. exp_lines keeps its NaN mask here (u = NaN for
    z = NaN, so σ and the gradient are NaN); u is not clamped above 2^−24 except inside log1p's polynomial, so
    log1p(e^−z) for a large z is e^−z itself (softplus's min(z, 20) would be wrong here, where z·(1 − t) can be 0)."""
    lines = exp_lines('u', 'z.abs().neg()', 'float') + log1p_small('log1pU', 'u', 'float') + [
        '// max(z, 0) − z·t = coef·z, coef = (z < 0 ? −t : 1 − t), 0 where coef is (±∞·0 is not NaN), as the twin.',
        'VectorMask<Float> negative = z.compare(VectorOperators.LT, 0f);',
        'FloatVector coef = t.neg().add(1f).blend(t.neg(), negative);',
        'FloatVector linear = coef.mul(z).blend(0f, coef.eq(0f));',
    ]
    grad = ['FloatVector.broadcast(F, 1f).blend(u, negative).div(u.add(1f)).sub(t).mul(gradScale)',
            '        .intoArray(grad, gOff + i);']
    return f'''
    /**
     * Binary cross-entropy from logits over [0, n), summed: max(z, 0) − z·t + log1p(e^−|z|) per element (the twin's
     * {{@link ScalarMath#bceWithLogits}}, whose guards it keeps), and grad[gOff + i] = gradScale·(σ(z) − t) unless
     * grad is null. Each vector's terms are reduced in float and added to a double sum; the last n mod lanes
     * elements by the twin's formulas. One own e^−|z| per element serves the log1p and σ; only add, mul, fma, div,
     * compares and bit operations, so the same bits in every JIT tier.
     */
    public static double bceWithLogits(int n, float[] zs, int zOff, float[] ts, int tOff, float gradScale,
                                       float[] grad, int gOff) {{
        double loss = 0.0;
        int bound = F.loopBound(n);
        for (int i = 0; i < bound; i += F.length()) {{
            FloatVector z = FloatVector.fromArray(F, zs, zOff + i);
            FloatVector t = FloatVector.fromArray(F, ts, tOff + i);
{body(lines)}            loss += linear.add(log1pU).reduceLanes(VectorOperators.ADD);
            if (grad != null) {{
{''.join(IND + '    ' + g + chr(10) for g in grad)}            }}
        }}
        // Fewer than one vector left: a masked vector went through the generic switch, which C2 does not inline,
        // and was boxed on every call; the scalar twin's formulas serve the last lanes.
        for (int i = bound; i < n; i++) {{
            double zi = zs[zOff + i], ti = ts[tOff + i];
            loss += ScalarMath.bceWithLogits(zi, ti);
            if (grad != null) {{
                grad[gOff + i] = (float) (gradScale * (ScalarMath.sigmoid(zi) - ti));
            }}
        }}
        return loss;
    }}
'''


class Fn:
    """An activation: forward lines + result expression of z; backward lines + result expression of the operand
    (named `y` or `z` after Activation.backwardOperand()) and the incoming gradient `dy`. The lambdas take the
    precision, for snippets that differ by it. `slope` marks the one with a parameter (LEAKY_RELU); `vector` lists the
    precisions with a lane-wise loop (the others run the scalar twin)."""

    def __init__(self, enum, name, operand, fwd, bwd, slope=False, vector=('float', 'double'), exact_tail=False):
        self.enum, self.name, self.operand, self.fwd, self.bwd, self.slope = enum, name, operand, fwd, bwd, slope
        self.vector = vector
        # The lanes compute what the scalar twin does, bit for bit (selects and one multiply): its tail may stay
        # scalar, which is cheaper for a few elements than the padded vector.
        self.exact_tail = exact_tail


FUNCTIONS = [
    Fn('RELU', 'relu', 'z',
       lambda p: relu_forward(p),
       lambda p: (select_positive('r', 'z', 'dy'), 'r'), exact_tail=True),
    Fn('LEAKY_RELU', 'leakyRelu', 'z',
       lambda p: (select_positive('r', 'z', 'z', 'z.mul(slope)'), 'r'),
       lambda p: (select_positive('r', 'z', 'dy', 'dy.mul(slope)'), 'r'), slope=True, exact_tail=True),
    Fn('SIGMOID', 'sigmoid', 'y',
       lambda p: (sigmoid('s', 'z', p), 's'),
       lambda p: ([], 'dy.mul(y.mul(y.neg().add(1f)))')),
    Fn('TANH', 'tanh', 'y',
       tanh_float,
       lambda p: ([], 'dy.mul(y.mul(y).neg().add(1f))')),
    Fn('GELU_TANH', 'geluTanh', 'z',
       lambda p: (gelu_tanh_clamp('z') + gelu_tanh_sigmoid('s', 'zc', p), 'z.max(-GELU_CLAMP_F).mul(s)'),
       lambda p: (gelu_tanh_clamp('z') + gelu_tanh_sigmoid('s', 'zc', p) + [
           'FloatVector ds = s.mul(s.neg().add(1f));',
           'FloatVector inner = zc.mul(zc).fma(GELU_3A_F, 1f).mul(GELU_2C_F);',
       ], 'dy.mul(zc.mul(ds).fma(inner, s))')),
    Fn('GELU_ERF', 'geluErf', 'z',
       lambda p: gelu_erf_float(False) if p == 'float' else gelu_erf_double(False),
       lambda p: gelu_erf_float(True) if p == 'float' else gelu_erf_double(True),
       vector=(('float',) if LANEWISE_GELU_ERF else ()) + (('double',) if LANEWISE_GELU_ERF_DOUBLE else ())),
    Fn('SILU', 'silu', 'z',
       lambda p: (sigmoid('s', 'z', p), 'z.max(-SILU_CLAMP_F).mul(s)'),
       lambda p: (sigmoid('s', 'z', p) + [
           'FloatVector ds = s.mul(s.neg().add(1f));',
           '// Beyond ±SILU_CLAMP s is exactly 0 or 1 and s′ = 0: as for GELU, the clamp only keeps z·s′ finite.',
           'FloatVector zc = z.max(-SILU_CLAMP_F).min(SILU_CLAMP_F);',
       ], 'dy.mul(zc.fma(ds, s))')),
    Fn('SOFTPLUS', 'softplus', 'z',
       softplus_float,
       lambda p: (sigmoid('s', 'z', p), 'dy.mul(s)')),
]

# ------------------------------------------------------------------------------------------------ code shapes
IND = ' ' * 12


def body(lines):
    return ''.join(IND + line + '\n' for line in lines)


def forward_loop(fn, precision):
    lines, result = fn.fwd(precision)
    slope = ', float slope' if fn.slope else ''
    return f'''
    private static void {fn.name}(int bound, float[] in, int inOff, float[] out, int outOff{slope}) {{
        for (int i = 0; i < bound; i += F.length()) {{
            FloatVector z = FloatVector.fromArray(F, in, inOff + i);
{body(lines)}            {result}.intoArray(out, outOff + i);
        }}
    }}
'''


def backward_loop(fn, precision):
    lines, result = fn.bwd(precision)
    slope = ', float slope' if fn.slope else ''
    return f'''
    private static void {fn.name}Backward(int bound, float[] operand, int operandOff, float[] grad, int gradOff,
            float[] out, int outOff{slope}) {{
        for (int i = 0; i < bound; i += F.length()) {{
            FloatVector {fn.operand} = FloatVector.fromArray(F, operand, operandOff + i);
            FloatVector dy = FloatVector.fromArray(F, grad, gradOff + i);
{body(lines)}            {result}.intoArray(out, outOff + i);
        }}
    }}
'''


SCALAR_HELPERS = '''    private static void scalarForward(Activation.Function f, float slope, int from, int n, float[] z, int zOff,
                                      float[] y, int yOff) {
        for (int i = from; i < n; i++) {
            y[yOff + i] = (float) ScalarMath.forward(f, slope, z[zOff + i]);
        }
    }

    private static void scalarBackward(Activation.Function f, float slope, int from, int n, float[] operand,
                                       int operandOff, float[] dy, int dyOff, float[] dz, int dzOff) {
        for (int i = from; i < n; i++) {
            dz[dzOff + i] = (float) ScalarMath.backward(f, slope, operand[operandOff + i], dy[dyOff + i]);
        }
    }

'''


def section(precision):
    fwd_cases, bwd_cases, fwd_tail, bwd_tail, exact = [], [], [], [], []
    for fn in FUNCTIONS:
        slope = ', slope' if fn.slope else ''
        if precision in fn.vector:
            fwd_cases.append(f'case {fn.enum} -> {fn.name}(bound, z, zOff, y, yOff{slope});')
            bwd_cases.append(f'case {fn.enum} -> {fn.name}Backward(bound, operand, operandOff, dy, dyOff, dz, dzOff{slope});')
            if fn.exact_tail:
                exact.append(fn.enum)
            else:
                fwd_tail.append(f'case {fn.enum} -> {fn.name}(t.length, t, 0, t, 0{slope});')
                bwd_tail.append(f'case {fn.enum} -> {fn.name}Backward(t.length, o, 0, t, 0, t, 0{slope});')
        else:
            # No lane-wise formula: the scalar twin computes every element.
            fwd_cases.append(f'case {fn.enum} -> {{ // no lane-wise formula: the scalar twin does all\n'
                             f'                scalarForward(f, slope, 0, n, z, zOff, y, yOff);\n'
                             f'                return;\n'
                             f'            }}')
            bwd_cases.append(f'case {fn.enum} -> {{\n'
                             f'                scalarBackward(f, slope, 0, n, operand, operandOff, dy, dyOff, dz, dzOff);\n'
                             f'                return;\n'
                             f'            }}')
    cases = lambda cs, ind=12: ''.join(' ' * ind + c + '\n' for c in cs)
    # The functions whose tail stays scalar (their lanes give the twin's bits).
    exact_tail = ' || '.join('f == Activation.Function.' + e for e in exact) or 'false'
    text = f'''
    /** y[yOff + i] = f(z[zOff + i]) for i in [0, n). */
    public static void forward(Activation.Function f, float slope, int n, float[] z, int zOff, float[] y, int yOff) {{
        int bound = F.loopBound(n);
        switch (f) {{
            case IDENTITY -> {{
                System.arraycopy(z, zOff, y, yOff, n);
                return;
            }}
{cases(fwd_cases)}        }}
        if (bound < n && ({exact_tail})) {{
            // The lanes of these compute the scalar twin's bits: a scalar tail is the same and cheaper.
            scalarForward(f, slope, bound, n, z, zOff, y, yOff);
        }} else if (bound < n) {{
            // The last n − bound elements (fewer than one vector) through the same lane-wise formula, on a zero-padded
            // copy, so an element's result does not depend on where it sits in the array (see the class comment).
            float[] t = TAIL_F.get()[0];
            int rest = n - bound;
            System.arraycopy(z, zOff + bound, t, 0, rest);
            java.util.Arrays.fill(t, rest, t.length, 0f);
            switch (f) {{
{cases(fwd_tail, 16)}                default -> throw new AssertionError(f);
            }}
            System.arraycopy(t, 0, y, yOff + bound, rest);
        }}
    }}

    /** dz[dzOff + i] = dy[dyOff + i]·f′ for i in [0, n), f′ from operand z or y (Activation.backwardOperand()). */
    public static void backward(Activation.Function f, float slope, int n, float[] operand, int operandOff,
                                float[] dy, int dyOff, float[] dz, int dzOff) {{
        int bound = F.loopBound(n);
        switch (f) {{
            case IDENTITY -> {{
                System.arraycopy(dy, dyOff, dz, dzOff, n);
                return;
            }}
{cases(bwd_cases)}        }}
        if (bound < n && ({exact_tail})) {{
            scalarBackward(f, slope, bound, n, operand, operandOff, dy, dyOff, dz, dzOff);
        }} else if (bound < n) {{
            // The last elements through the same lane-wise formula on zero-padded copies, as in forward.
            float[][] tail = TAIL_F.get();
            float[] o = tail[0], t = tail[1];
            int rest = n - bound;
            System.arraycopy(operand, operandOff + bound, o, 0, rest);
            System.arraycopy(dy, dyOff + bound, t, 0, rest);
            java.util.Arrays.fill(o, rest, o.length, 0f);
            java.util.Arrays.fill(t, rest, t.length, 0f);
            switch (f) {{
{cases(bwd_tail, 16)}                default -> throw new AssertionError(f);
            }}
            System.arraycopy(t, 0, dz, dzOff + bound, rest);
        }}
    }}

{SCALAR_HELPERS}    /**
     * {{@link #backward}} over a contiguous m x n batch, fused with the bias gradient biasGrad[c] = Σ_r dz[r][c] +
     * beta·biasGrad[c] (beta = 0 never reads biasGrad). Row by row, so each row of dz is added to the bias gradient
     * while it is still in L1: dy, operand and dz stream through memory once.
     */
    public static void backwardBiasGradient(Activation.Function f, float slope, int m, int n, float[] operand,
                                            int operandOff, float[] dy, int dyOff, float[] dz, int dzOff, float beta,
                                            float[] biasGrad, int biasOff) {{
        for (int c = 0; c < n; c++) {{
            biasGrad[biasOff + c] = beta == 0 ? 0f : beta * biasGrad[biasOff + c];
        }}
        int bound = F.loopBound(n);
        for (int r = 0; r < m; r++) {{
            int row = r * n;
            backward(f, slope, n, operand, operandOff + row, dy, dyOff + row, dz, dzOff + row);
            int c = 0;
            for (; c < bound; c += F.length()) {{
                FloatVector.fromArray(F, biasGrad, biasOff + c).add(FloatVector.fromArray(F, dz, dzOff + row + c))
                        .intoArray(biasGrad, biasOff + c);
            }}
            for (; c < n; c++) {{
                biasGrad[biasOff + c] += dz[dzOff + row + c];
            }}
        }}
    }}
'''
    for fn in FUNCTIONS:
        if precision in fn.vector:
            text += forward_loop(fn, precision)
    for fn in FUNCTIONS:
        if precision in fn.vector:
            text += backward_loop(fn, precision)
    if precision == 'float':
        text += bce_float()
    return text


def to_double(text):
    """The float code, renamed to double: types, species, literals and the _F constants."""
    text = text.replace('FloatVector', 'DoubleVector').replace('IntVector', 'LongVector')
    text = text.replace('(float) ', '').replace('float', 'double')
    text = re.sub(r'\bF\.', 'D.', text).replace('(F, ', '(D, ')
    text = re.sub(r'\b(\d+\.\d+)f\b', r'\1', text)
    text = re.sub(r'\b(\d+)f\b', r'\1.0', text)
    text = re.sub(r'\b([A-Z0-9_]+)_F\b', r'\1', text)
    return text


HEADER = '''package dev.lanewise.kernel.vector.elementwise;

${EXP_IMPORTS}import dev.lanewise.kernel.Activation;
import dev.lanewise.kernel.scalar.ScalarMath;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

// GENERATED by kernel/tools/generate_activation_kernels.py from its float formulas: edit them there, then run it.

/**
 * The vector activation kernels, forward and backward, float and double: lane-wise twins of
 * {@link ScalarMath#forward} and {@link ScalarMath#backward} with the same guards at infinities.
 *
 * <p>Why this shape: the function is chosen once per call, outside any loop, and each function has its own loop in
 * its own method, with its whole formula written out in the loop body and nothing called but the Vector API (whose
 * methods are all force-inlined). C2 keeps vectors in registers only if every method that passes one is inlined.
 * Formulas in small helper methods were inlined in some JVMs and not in others: once C2 had compiled a helper on
 * its own, it stopped inlining it ("already compiled into a big method"), and a method holding all functions'
 * loops went past the inlining budget; either way each vector crossing the call was boxed, 2-40 KB per call
 * depending on the JVM's compilation order (the kernel AllocationTest measures every function).
 *
 * <p>No masks: C2 (JDK 25, x86) compiles no mask of a 2-lane double vector (128-bit vectors: SSE-only machines,
 * {@code -XX:MaxVectorSize=16}), so there every {@code compare} and {@code blend} boxes its vectors. Selects are bit
 * operations instead (ReLU family; float ReLU forward alone is a compare and a blend, its generator's docstring says
 * why): {@code notPositive} is all ones in the lanes where z is not &gt; 0 (±0,
 * negative, NaN), from z's bits b as a signed integer: b − 1 &lt; 0 for +0 and every negative but −0 (b =
 * MIN_VALUE wraps), and INF − b &lt; 0 for NaN and (wrapping) −0; an arithmetic shift spreads the sign. The guards
 * against ∞·0 = NaN are clamps at a point beyond which the function is saturated (the clamp changes no result).
 * Float code has the same shape because the double code is generated from it.
 *
${ERF_DOC}${ERF64_DOC} * <p>The last n mod L elements (fewer than one vector) are copied into a zero-padded per-thread vector, run through
 * the same loop and copied back (no masks, see above; a masked tail would repeat every formula once more). So an
 * element's result does not depend on its position: a fused GEMM epilogue gives the same bits whatever its panels
 * or thread split, and a 10-wide row is one vector's work, not ten scalar evaluations (until session 17 the tail ran
 * the scalar twin's formula, element by element).
 *
${EXP_DOC}
 */
public final class ActivationKernels {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** Per thread, two vectors' worth of elements: the zero-padded copies the tails run on (see forward). */
    private static final ThreadLocal<float[][]> TAIL_F = ThreadLocal.withInitial(() -> new float[2][F.length()]);
    private static final ThreadLocal<double[][]> TAIL = ThreadLocal.withInitial(() -> new double[2][D.length()]);

    private static final float GELU_2C_F = (float) (2 * ScalarMath.GELU_C);
    private static final float GELU_3A_F = (float) (3 * ScalarMath.GELU_A);
    // GELU's sigmoid argument w = K1·z + K2·z³ with K1 = 2c, K2 = 2c·a (c = √(2/π), a = 0.044715 exactly) as
    // hi + lo pairs: ScalarMath's double pairs, and float pairs split from them.
    private static final double K1_HI = ScalarMath.GELU_K1_HI;
    private static final double K1_LO = ScalarMath.GELU_K1_LO;
    private static final double K2_HI = ScalarMath.GELU_K2_HI;
    private static final double K2_LO = ScalarMath.GELU_K2_LO;
    private static final float K1_HI_F = (float) K1_HI;
    private static final float K1_LO_F = (float) (K1_HI - K1_HI_F + K1_LO);
    private static final float K2_HI_F = (float) K2_HI;
    private static final float K2_LO_F = (float) (K2_HI - K2_HI_F + K2_LO);

    /** |z| from which GELU's s is exactly 0 or 1 in float (from 11 on; at −20, w ≈ −600 and e^−w overflows). */
    private static final float GELU_CLAMP_F = 20f;
    /** |z| from which SiLU's s is exactly 0 or 1 in float (e^−z overflows below −88.8, 1 + e^−z = 1 above 17). */
    private static final float SILU_CLAMP_F = 100f;
    private static final int INF_BITS_F = Float.floatToRawIntBits(Float.POSITIVE_INFINITY);
${SOFTPLUS_CONSTANTS}    /**
     * The sigmoids' (SIGMOID, SiLU, GELU tanh form) float e^−w is clamped below at e^−20: 1 + e^−20 rounds to 1, as 1
     * plus anything smaller does, so no result changes, and e^−w never turns subnormal. Subnormal operands cost Intel
     * cores a microcode assist per instruction: sigmoid of z = 95 ran 9 x slower than of z = 5, and as slow with one
     * such lane in 16 (Xeon, AVX-512, session 7).
     */
    private static final int SIGMOID_EXP_MIN_BITS_F = Float.floatToRawIntBits(-20f);
${ERF_CONSTANTS}${TANH_CONSTANTS}    private static final int SIGN_BIT_F = Integer.MIN_VALUE;
    private static final int SIGN_SHIFT_F = Integer.SIZE - 1;

    private static final double GELU_2C = 2 * ScalarMath.GELU_C;
    private static final double GELU_3A = 3 * ScalarMath.GELU_A;
    /** As GELU_CLAMP_F in double: s = 1 from z = 8 (w &gt; 37), 0 below −22 (w &lt; −745). */
    private static final double GELU_CLAMP = 30;
    /** As SILU_CLAMP_F in double: s = 1 from z = 37.5, 0 below −709.8. */
    private static final double SILU_CLAMP = 800;
    private static final long INF_BITS = Double.doubleToRawLongBits(Double.POSITIVE_INFINITY);
    private static final int SIGN_SHIFT = Long.SIZE - 1;
${ERF64_CONSTANTS}
    private ActivationKernels() {
    }

    // ---------------------------------------------------------------- float
'''


ERF_DOC = """ * <p>Float GELU_ERF is computed in float lanes of F, without masks or conversions. With a = |z|
 * and E = e^(−a²/2): the forward kernel evaluates W(a) = a·Φ(−a)/E and gives y = −E·W for z &lt; 0, y = z − E·W
 * for z &gt; 0 (Φ(z) = 1 − Φ(−z)); the backward one D(a) = W(a)/a − a/√(2π) and f′ = E·D for z &lt; 0, 1 − E·D
 * for z &gt; 0. W and D are piecewise polynomials (kernel/tools/fit_gelu_erf.py), three pieces each: in
 * s = a − shift on [0, 2), in v = 1/a on [2, 16]; every piece is computed and the lane's piece selected by bit
 * operations (few pieces: with six or seven C2 boxed the loops in some JVMs). Near D's root a0 (f′(−0.7518) = 0)
 * D = (a0 − a)·K(a) with a0 as a float pair, so f′ keeps its relative accuracy through zero. E = e^(−h/2 − hLo/2)
 * from the exact square a² = h + hLo, both parts fed to VectorExp's formula (the low part into the reduced
 * argument), scaled by 2^24 so that it stays normal wherever the result is; the 2^−24 is the last multiplication,
 * which rounds into the subnormals. Each polynomial's constant term is a float pair, added last. Max error
 * (ActivationAccuracyTest): see kernel/ELEMENTWISE-NOTES.md, within 4 ULP forward and backward.
 *
"""
ERF64_DOC = """ * <p>Double GELU_ERF has the same shape in double lanes of D, with rational pieces (polynomials of that
 * size do not reach 1e-17; kernel/tools/fit_gelu_erf_double.py): for a &lt; 2, W = a·P/Q resp. D = (a0 − a)·P/Q,
 * P and Q by Horner with the last step exact as a pair and one Newton step on the quotient; for a &gt;= 2, in
 * v = 1/a, W = c − v·S(v) and D = v·W − c·a (c = 1/√(2π) a pair, S = P/Q), whose forms damp the rational's rounding.
 * E is VectorExp's double formula (not lanewise(EXP): it takes hLo and a scale 2^64), so the double kernel too gives
 * the same bits in every JIT tier. Max error (DoubleActivationAccuracyTest): see kernel/ELEMENTWISE-NOTES.md.
 *
"""
ERF_DOC_OFF = """ * <p>GELU_ERF runs the scalar twin in both precisions: the generator's lane-wise float version
 * (LANEWISE_GELU_ERF) is accurate and fast, but C2 boxed its loops in some JVMs (kernel/ELEMENTWISE-NOTES.md).
 *
"""
ERF_CONSTANTS = """    /** GELU_ERF: a = |z| is clamped here (beyond, every result is 0, 1 or z; e^(−a²/2)·2^24 &lt; e^−120). */
    private static final float ERF_A_MAX_F = 16f;
    /** GELU_ERF's e^(−a²/2) is computed times 2^ERF_EXP_SCALE_F (normal for every a &lt; 16) ... */
    private static final int ERF_EXP_SCALE_F = 24;
    /** ... and multiplied by 2^−24 last. */
    private static final float ERF_UNSCALE_F = 0x1p-24f;
    /** The scaled exp's lower clamp: e^−120·2^24 times anything GELU_ERF multiplies it by rounds to 0 at 2^−24. */
    private static final int ERF_EXP_MIN_BITS_F = Float.floatToRawIntBits(-120f);
${ERF_COEFFICIENTS}
"""
EXP_DOC_POLY = ''' * <p>Float e^x is {@link dev.lanewise.kernel.vector.math.VectorExp}'s formula, written out in each loop (a call
 * would risk the boxing described above); it uses only add, mul, fma and bit operations, so the float SIGMOID, TANH,
 * SILU, GELU_TANH and SOFTPLUS loops (float log1p: a polynomial, kernel/tools/fit_softplus.py) give the same bits in
 * the interpreter, C1 and C2. Double e^x, {@code TANH} and {@code LOG1P} are the Vector API's: on JDK 25 x86 C2
 * compiles them to SVML intrinsics, the interpreter and C1 fall back to per-lane {@code Math} calls, so those may
 * differ in the last bit between JIT tiers. Both choices are measured (EXP_IMPL in
 * kernel/tools/generate_activation_kernels.py, kernel/ELEMENTWISE-NOTES.md): in float VectorExp was as fast as SVML's
 * exp or faster, in double SVML was 1.4x faster. Arguments are trusted (the facade validated them); in place (same
 * array, same offset) is fine.'''
EXP_DOC_SVML = ''' * <p>Transcendentals use the Vector API's {@code EXP}, {@code TANH} and {@code LOG1P}: on JDK 25 x86 C2 compiles
 * them to SVML intrinsics; the interpreter and C1 fall back to per-lane {@code Math} calls, so results may differ in
 * the last bit between JIT tiers. That is the measured choice: an own polynomial e^x without those differences,
 * {@link dev.lanewise.kernel.vector.math.VectorExp}, was 1.25-1.7x slower in cache on AVX-512 (kernel/tools/
 * generate_activation_kernels.py, EXP_IMPL, and kernel/ELEMENTWISE-NOTES.md). Arguments are trusted (the facade
 * validated them); in place (same array, same offset) is fine.'''


def exp_constant_names():
    """The VectorExp constants the kernels use: those of the precisions with EXP_IMPL 'polynomial', and double's
    for the double GELU_ERF (its e^x takes a low part and a scale, which lanewise(EXP) cannot)."""
    names = []
    for name, kind, f, d in EXP_CONSTANTS:
        if f is not None and EXP_IMPL['float'] == 'polynomial':
            names.append(f'EXP_{name}_F')
        if d is not None and (EXP_IMPL['double'] == 'polynomial'
                              or LANEWISE_GELU_ERF_DOUBLE and name not in ('MIN', 'MAX')):
            names.append(f'EXP_{name}')
    return names


VECTOR_EXP = '''package dev.lanewise.kernel.vector.math;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

// GENERATED by kernel/tools/generate_activation_kernels.py (the activation kernels inline the same formula).

/**
 * e^x lane-wise in float and double, from add, mul, fma, min/max and bit operations only: no SVML call, no mask, no
 * species conversion, so the same bits in every JIT tier (the interpreter's and C1's Vector API fallbacks compute
 * the same IEEE operations per lane). Vectors must be of the preferred species ({@link #F}, {@link #D}).
 *
 * <p>Method (Cody-Waite, as in Cephes and SLEEF): x is clamped to [MIN, MAX]; in float by integer min on its bits
 * (signed for the upper bound, unsigned for the lower one), because Java's float min/max, with their NaN and −0
 * rules, cost C2 several instructions each (with them float e^x ran about 1.35x slower); in double by max/min,
 * because long min/umin made it 4x slower (TranscendentalBenchmark, kernel/ELEMENTWISE-NOTES.md). n = rint(x·log2 e) by adding 1.5·2^23 (2^52 in
 * double) so that n lands in the last bits of t = x·log2 e + MAGIC; r = x − n·LN2_HI − n·LN2_LO (n·LN2_HI and the
 * first subtraction are exact), |r| ≤ ln2/2 + 1e-6; e^r = 1 + r + r²·Q(r) with Q of degree 4 (float) or 9 (double)
 * fitted by kernel/tools/fit_exp.py (1.1e-8 resp. 1.6e-17 relative). Then e^x = (e^r·2^⌊n/2⌋)·2^(n − ⌊n/2⌋): the
 * first factor by an integer add into the exponent bits of e^r (always a normal number), the second as a float
 * built from its exponent bits and one IEEE multiplication, which rounds correctly into the subnormal range and
 * overflows to +∞. So, like {@link Math#exp}: +∞ for x above ln(MAX_VALUE), subnormal results down to the least
 * subnormal (not flushed), 0 for x below ln(MIN_VALUE/2), exp(±0) = 1 exactly, exp(+∞) = +∞, exp(−∞) = +0. The
 * float clamp turns NaN into a number, so a mask that is all ones where x is NaN is or-ed into the result's bits:
 * NaN in, NaN out (with all bits set; Java leaves a NaN's bits open); max/min keep NaN in double.
 *
 * <p>Accuracy (VectorExpTest, asserted): float max 1.05 ULP over every 61st float bit pattern (bound 1.5), double
 * max 1.00 ULP against StrictMath.exp on 4 M random inputs (bound 2).
 */
public final class VectorExp {
    /** The float species the vectors must have: the preferred one, as in the kernels. */
    public static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** The double species the vectors must have. */
    public static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;

${CONSTANTS}
    private VectorExp() {
    }

    /** e^x per lane; x of species {@link #F}. */
    public static FloatVector exp(FloatVector x) {
${FLOAT_BODY}        return e;
    }

    /** e^x per lane; x of species {@link #D}. */
    public static DoubleVector exp(DoubleVector x) {
${DOUBLE_BODY}        return e;
    }
}
'''


def vector_exp_source():
    consts = []
    for suffix, real, bits, col in (('_F', 'float', 'int', 2), ('', 'double', 'long', 3)):
        for c in EXP_CONSTANTS:
            if c[col] is not None:
                consts.append(f'    public static final {real if c[1] == "real" else bits} EXP_{c[0]}{suffix} = {c[col]};\n')
    body = lambda p: ''.join(' ' * 8 + line + '\n' for line in exp_lines('e', 'x', p, 'polynomial'))
    return (VECTOR_EXP.replace('${CONSTANTS}', ''.join(consts)).replace('${FLOAT_BODY}', body('float'))
            .replace('${DOUBLE_BODY}', to_double(body('double'))))


def main():
    header = HEADER
    if 'polynomial' in EXP_IMPL.values():
        header = header.replace('${EXP_IMPORTS}', ''.join(
            f'import static dev.lanewise.kernel.vector.math.VectorExp.{n};\n' for n in exp_constant_names()) + '\n')
        header = header.replace('${EXP_DOC}', EXP_DOC_POLY)
    else:
        header = header.replace('${EXP_IMPORTS}', '').replace('${EXP_DOC}', EXP_DOC_SVML)
    if LANEWISE_GELU_ERF:
        coef = [f'    private static final float ERF_A0_HI_F = {ERF_A0_HI};\n',
                f'    private static final float ERF_A0_LO_F = {ERF_A0_LO};\n']
        for tag, pieces in (('F', ERF_FORWARD), ('B', ERF_BACKWARD)):
            for i, (bound, kind, shift, cs) in enumerate(pieces):
                coef += [f'    private static final float ERF_{tag}{i}_{j}_F = {c};\n' for j, c in enumerate(cs)]
        header = (header.replace('${ERF_DOC}', ERF_DOC).replace('${ERF_CONSTANTS}', ERF_CONSTANTS)
                  .replace('${ERF_COEFFICIENTS}\n', ''.join(coef)))
    else:
        header = header.replace('${ERF_DOC}', ERF_DOC_OFF).replace('${ERF_CONSTANTS}', '')
    if LANEWISE_GELU_ERF_DOUBLE:
        header = header.replace('${ERF64_DOC}', ERF64_DOC).replace('${ERF64_CONSTANTS}', ''.join(erf64_constants()))
    else:
        header = header.replace('${ERF64_DOC}', '').replace('${ERF64_CONSTANTS}', '')
    if TANH_IMPL_FLOAT == 'polynomial':
        tanh = ['    /** tanh (float): the polynomial below this |z|, 1 − 2/(e^(2|z|) + 1) from it on. */\n',
                f'    private static final int TANH_SPLIT_BITS_F = Float.floatToRawIntBits({TANH_SPLIT});\n']
        tanh += [f'    private static final float TANH_P{k}_F = {c};\n' for k, c in enumerate(TANH_P)]
        header = header.replace('${TANH_CONSTANTS}', ''.join(tanh))
    else:
        header = header.replace('${TANH_CONSTANTS}', '')
    if SOFTPLUS_LOG1P_FLOAT == 'polynomial':
        sp = ['    /** SOFTPLUS (float): log1p(u)\'s polynomial runs on max(u, 2^−24) (below, log1p(u) rounds to u). */\n',
              '    private static final int SOFTPLUS_CLAMP_BITS_F = Float.floatToRawIntBits(0x1p-24f);\n',
              '    /** SOFTPLUS (float): e^−|z| is computed for min(z, 20) (beyond, z + log1p(e^−z) rounds to z). */\n',
              '    private static final int SOFTPLUS_Z_MAX_BITS_F = Float.floatToRawIntBits(20f);\n']
        sp += [f'    private static final float SOFTPLUS_Q{k}_F = {c};\n' for k, c in enumerate(SOFTPLUS_Q)]
        header = header.replace('${SOFTPLUS_CONSTANTS}', ''.join(sp))
    else:
        header = header.replace('${SOFTPLUS_CONSTANTS}', '')
    src = (header + section('float') + '\n    // ---------------------------------------------------------------- double\n'
           + to_double(section('double')) + '}\n')
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w') as f:
        f.write(src)
    os.makedirs(os.path.dirname(EXP_OUT), exist_ok=True)
    with open(EXP_OUT, 'w') as f:
        f.write(vector_exp_source())


if __name__ == '__main__':
    main()
