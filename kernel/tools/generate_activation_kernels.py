#!/usr/bin/env python3
"""Writes kernel/src/main/java/dev/lanewise/kernel/vector/elementwise/ActivationKernels.java.

Why generated: every activation needs its formula written out inside its own loop (see the class comment in the
output for the allocation this avoids), four times over (forward and backward, float and double). The formulas are
written once here, in float; the double code is derived from the same text by renaming types, literals and
constants. Where a formula differs by precision (GELU's sigmoid argument), the snippet takes the precision.

Edit the formulas here, run `python3 kernel/tools/generate_activation_kernels.py`, commit both files.
"""
import os
import re

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'src', 'main', 'java', 'dev', 'lanewise',
                   'kernel', 'vector', 'elementwise', 'ActivationKernels.java')

# ------------------------------------------------------------------------------------------------ formula snippets
# Each snippet returns Java lines in float syntax. `out` names the vector it defines.


def sigmoid(out, w):
    """1/(1 + e^−w): the form main's accuracy table (ActivationAccuracyTest) was measured with."""
    return [f'FloatVector {out} = FloatVector.broadcast(F, 1f).div({w}.neg().lanewise(VectorOperators.EXP).add(1f));']


def gelu_tanh_sigmoid(out, zc, precision):
    """sigmoid(w) for GELU's w = K1·zc + K2·zc³ (K1 = 2c, K2 = 2c·a), zc the clamped input."""
    if precision == 'double':
        # In double the rounded argument costs |w|·ε relative, far below the float target: plain evaluation.
        return [f'FloatVector w = {zc}.mul({zc}).mul(GELU_A_F).fma({zc}, {zc}).mul(GELU_2C_F);'] + sigmoid(out, 'w')
    return [
        '// sigmoid(w) has condition number |w|·(1 − s) in w (up to 88): w rounded in float cost 14 ULP at',
        '// z = −3.4. So w is an unevaluated pair wh + wl (error-free products and sums via fma, constants as',
        '// hi + lo) and e^−w = e^−wh·(1 − wl).',
        f'FloatVector zc2 = {zc}.mul({zc});',
        f'FloatVector zc2Lo = {zc}.fma({zc}, zc2.neg());',
        'FloatVector a = zc2.mul(K2_HI);',
        'FloatVector aLo = zc2.fma(FloatVector.broadcast(F, K2_HI), a.neg())',
        '        .add(zc2Lo.mul(K2_HI)).add(zc2.mul(K2_LO));',
        'FloatVector t = a.add(K1_HI);',
        'FloatVector bb = t.sub(K1_HI);',
        'FloatVector tLo = t.sub(bb).neg().add(K1_HI).add(a.sub(bb)).add(aLo).add(K1_LO);',
        f'FloatVector w = {zc}.mul(t);',
        f'FloatVector wLo = {zc}.fma(t, w.neg()).add({zc}.mul(tLo));',
        'FloatVector e = w.neg().lanewise(VectorOperators.EXP);',
        'e = e.fma(wLo.neg(), e).blend(e, e.test(VectorOperators.IS_INFINITE));',
        f'FloatVector {out} = FloatVector.broadcast(F, 1f).div(e.add(1f));',
    ]


def gelu_tanh_clamp(z):
    return ['// Beyond ±GELU_CLAMP s is exactly 0 or 1 and s′ = 0: the clamp changes no result there and keeps every',
            '// product finite (z = ±∞ would give ∞·0 = NaN).',
            f'FloatVector zc = {z}.max(-GELU_CLAMP_F).min(GELU_CLAMP_F);']


def select_positive(out, z, if_positive, otherwise=None):
    """out = z > 0 ? if_positive : otherwise (0 when None), by bit operations (see the class comment)."""
    lines = [
        f'IntVector b = {z}.viewAsIntegralLanes();',
        'IntVector notPositive = b.sub(1).or(b.neg().add(INF_BITS_F)).lanewise(VectorOperators.ASHR, SIGN_SHIFT_F);',
    ]
    pick = f'{if_positive}.viewAsIntegralLanes().lanewise(VectorOperators.AND_NOT, notPositive)'
    if otherwise is None:
        return lines + [f'FloatVector {out} = {pick}', '        .viewAsFloatingLanes();']
    return lines + [f'FloatVector {out} = {pick}',
                    f'        .or({otherwise}.viewAsIntegralLanes().and(notPositive)).viewAsFloatingLanes();']


class Fn:
    """An activation: forward lines + result expression of z; backward lines + result expression of the operand
    (named `y` or `z` after Activation.backwardOperand()) and the incoming gradient `dy`. The lambdas take the
    precision, for snippets that differ by it. `slope` marks the one with a parameter (LEAKY_RELU)."""

    def __init__(self, enum, name, operand, fwd, bwd, slope=False, vector=True):
        self.enum, self.name, self.operand, self.fwd, self.bwd, self.slope = enum, name, operand, fwd, bwd, slope
        self.vector = vector


FUNCTIONS = [
    Fn('RELU', 'relu', 'z',
       lambda p: ([], 'z.max(0f)'),
       lambda p: (select_positive('r', 'z', 'dy'), 'r')),
    Fn('LEAKY_RELU', 'leakyRelu', 'z',
       lambda p: (select_positive('r', 'z', 'z', 'z.mul(slope)'), 'r'),
       lambda p: (select_positive('r', 'z', 'dy', 'dy.mul(slope)'), 'r'), slope=True),
    Fn('SIGMOID', 'sigmoid', 'y',
       lambda p: (sigmoid('s', 'z'), 's'),
       lambda p: ([], 'dy.mul(y.mul(y.neg().add(1f)))')),
    Fn('TANH', 'tanh', 'y',
       lambda p: ([], 'z.lanewise(VectorOperators.TANH)'),
       lambda p: ([], 'dy.mul(y.mul(y).neg().add(1f))')),
    Fn('GELU_TANH', 'geluTanh', 'z',
       lambda p: (gelu_tanh_clamp('z') + gelu_tanh_sigmoid('s', 'zc', p), 'z.max(-GELU_CLAMP_F).mul(s)'),
       lambda p: (gelu_tanh_clamp('z') + gelu_tanh_sigmoid('s', 'zc', p) + [
           'FloatVector ds = s.mul(s.neg().add(1f));',
           'FloatVector inner = zc.mul(zc).fma(GELU_3A_F, 1f).mul(GELU_2C_F);',
       ], 'dy.mul(zc.mul(ds).fma(inner, s))')),
    Fn('GELU_ERF', 'geluErf', 'z', None, None, vector=False),
    Fn('SILU', 'silu', 'z',
       lambda p: (sigmoid('s', 'z'), 'z.max(-SILU_CLAMP_F).mul(s)'),
       lambda p: (sigmoid('s', 'z') + [
           'FloatVector ds = s.mul(s.neg().add(1f));',
           '// Beyond ±SILU_CLAMP s is exactly 0 or 1 and s′ = 0: as for GELU, the clamp only keeps z·s′ finite.',
           'FloatVector zc = z.max(-SILU_CLAMP_F).min(SILU_CLAMP_F);',
       ], 'dy.mul(zc.fma(ds, s))')),
    Fn('SOFTPLUS', 'softplus', 'z',
       lambda p: (['FloatVector log1pExp = z.abs().neg().lanewise(VectorOperators.EXP).lanewise(VectorOperators.LOG1P);'],
                  'z.max(0f).add(log1pExp)'),
       lambda p: (sigmoid('s', 'z'), 'dy.mul(s)')),
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


def section(precision):
    fwd_cases, bwd_cases = [], []
    for fn in FUNCTIONS:
        slope = ', slope' if fn.slope else ''
        if fn.vector:
            fwd_cases.append(f'case {fn.enum} -> {fn.name}(bound, z, zOff, y, yOff{slope});')
            bwd_cases.append(f'case {fn.enum} -> {fn.name}Backward(bound, operand, operandOff, dy, dyOff, dz, dzOff{slope});')
        else:
            # No lane-wise formula: the scalar loop after the switch computes every element.
            fwd_cases.append(f'case {fn.enum} -> bound = 0; // no lane-wise formula: the scalar loop does all')
            bwd_cases.append(f'case {fn.enum} -> bound = 0;')
    cases = lambda cs: ''.join(' ' * 12 + c + '\n' for c in cs)
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
        // The last n − bound elements (fewer than one vector) by the scalar twin's formula; see the class comment.
        for (int i = bound; i < n; i++) {{
            y[yOff + i] = (float) ScalarMath.forward(f, slope, z[zOff + i]);
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
        // The last n − bound elements by the scalar twin's formula, as in forward.
        for (int i = bound; i < n; i++) {{
            dz[dzOff + i] = (float) ScalarMath.backward(f, slope, operand[operandOff + i], dy[dyOff + i]);
        }}
    }}

    /**
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
        if fn.vector:
            text += forward_loop(fn, precision)
    for fn in FUNCTIONS:
        if fn.vector:
            text += backward_loop(fn, precision)
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

import dev.lanewise.kernel.Activation;
import dev.lanewise.kernel.scalar.ScalarMath;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
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
 * operations instead (ReLU family): {@code notPositive} is all ones in the lanes where z is not &gt; 0 (±0,
 * negative, NaN), from z's bits b as a signed integer: b − 1 &lt; 0 for +0 and every negative but −0 (b =
 * MIN_VALUE wraps), and INF − b &lt; 0 for NaN and (wrapping) −0; an arithmetic shift spreads the sign. The guards
 * against ∞·0 = NaN are clamps at a point beyond which the function is saturated (the clamp changes no result).
 * Float code has the same shape because the double code is generated from it; only the float GELU's exp correction
 * keeps a mask (4-lane float masks compile).
 *
 * <p>The last n mod L elements (fewer than one vector) go through the scalar twin's formula: a masked vector tail
 * would repeat every formula once more. The scalar twin is at least as accurate (the double formula rounded once).
 *
 * <p>Transcendentals use the Vector API's {@code EXP}, {@code TANH} and {@code LOG1P}: on JDK 25 x86 C2 compiles
 * them to SVML intrinsics; the interpreter and C1 fall back to per-lane {@code Math} calls, so results may differ in
 * the last bit between JIT tiers. Arguments are trusted (the facade validated them); in place (same array, same
 * offset) is fine.
 */
public final class ActivationKernels {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;

    private static final float GELU_2C_F = (float) (2 * ScalarMath.GELU_C);
    private static final float GELU_3A_F = (float) (3 * ScalarMath.GELU_A);
    // GELU's sigmoid argument w = K1·z + K2·z³ with K1 = 2c, K2 = 2c·a, as float hi + lo pairs.
    private static final double K1 = 2 * ScalarMath.GELU_C;
    private static final double K2 = 2 * ScalarMath.GELU_C * ScalarMath.GELU_A;
    private static final float K1_HI = (float) K1;
    private static final float K1_LO = (float) (K1 - K1_HI);
    private static final float K2_HI = (float) K2;
    private static final float K2_LO = (float) (K2 - K2_HI);

    /** |z| from which GELU's s is exactly 0 or 1 in float (from 11 on; at −20, w ≈ −600 and e^−w overflows). */
    private static final float GELU_CLAMP_F = 20f;
    /** |z| from which SiLU's s is exactly 0 or 1 in float (e^−z overflows below −88.8, 1 + e^−z = 1 above 17). */
    private static final float SILU_CLAMP_F = 100f;
    private static final int INF_BITS_F = Float.floatToRawIntBits(Float.POSITIVE_INFINITY);
    private static final int SIGN_SHIFT_F = Integer.SIZE - 1;

    private static final double GELU_2C = 2 * ScalarMath.GELU_C;
    private static final double GELU_A = ScalarMath.GELU_A;
    private static final double GELU_3A = 3 * ScalarMath.GELU_A;
    /** As GELU_CLAMP_F in double: s = 1 from z = 8 (w &gt; 37), 0 below −22 (w &lt; −745). */
    private static final double GELU_CLAMP = 30;
    /** As SILU_CLAMP_F in double: s = 1 from z = 37.5, 0 below −709.8. */
    private static final double SILU_CLAMP = 800;
    private static final long INF_BITS = Double.doubleToRawLongBits(Double.POSITIVE_INFINITY);
    private static final int SIGN_SHIFT = Long.SIZE - 1;

    private ActivationKernels() {
    }

    // ---------------------------------------------------------------- float
'''


def main():
    src = (HEADER + section('float') + '\n    // ---------------------------------------------------------------- double\n'
           + to_double(section('double')) + '}\n')
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w') as f:
        f.write(src)


if __name__ == '__main__':
    main()
