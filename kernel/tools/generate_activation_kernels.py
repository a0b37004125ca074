# Writes kernel/src/main/java/dev/lanewise/kernel/vector/elementwise/ActivationKernels.java: one loop per
# activation with its formula in the body (see that class for why), float written once here, double derived.
# Edit the formulas here, run `python3 kernel/tools/generate_activation_kernels.py`, commit both.
import re
# Each function: (ENUM, name, forward body lines -> result in 'r', backward body lines with o (operand), g (dy) -> 'r')
# Written for float; doubles derived mechanically.
F = {}
F['RELU'] = ('relu', ['FloatVector r = z.max(0f);'],
             ['FloatVector r = g.blend(0f, o.compare(VectorOperators.GT, 0f).not());'])
F['LEAKY_RELU'] = ('leakyRelu', ['FloatVector r = z.mul(slope).blend(z, z.compare(VectorOperators.GT, 0f));'],
             ['FloatVector r = g.mul(slope).blend(g, o.compare(VectorOperators.GT, 0f));'])
F['SIGMOID'] = ('sigmoid', ['FloatVector er = z.abs().neg().lanewise(VectorOperators.EXP);', 'FloatVector rr = FloatVector.broadcast(F, 1f).div(er.add(1f));', 'FloatVector r = rr.blend(er.mul(rr), z.compare(VectorOperators.LT, 0f));'],
             ['FloatVector r = g.mul(o.mul(o.neg().add(1f)));'])
F['TANH'] = ('tanh', ['FloatVector r = z.lanewise(VectorOperators.TANH);'],
             ['FloatVector r = g.mul(o.mul(o).neg().add(1f));'])
F['GELU_TANH'] = ('geluTanh', [
    'FloatVector u = z.mul(z).mul(GELU_A_F).fma(z, z).mul(GELU_2C_F);',
    'FloatVector es = u.abs().neg().lanewise(VectorOperators.EXP);',
    'FloatVector rs = FloatVector.broadcast(F, 1f).div(es.add(1f));',
    'FloatVector s = rs.blend(es.mul(rs), u.compare(VectorOperators.LT, 0f));',
    'FloatVector r = z.mul(s).blend(0f, s.eq(0f));'], [
    'FloatVector o2 = o.mul(o);',
    'FloatVector u = o2.mul(GELU_A_F).fma(o, o).mul(GELU_2C_F);',
    'FloatVector es = u.abs().neg().lanewise(VectorOperators.EXP);',
    'FloatVector rs = FloatVector.broadcast(F, 1f).div(es.add(1f));',
    'FloatVector s = rs.blend(es.mul(rs), u.compare(VectorOperators.LT, 0f));',
    'FloatVector ds = s.mul(s.neg().add(1f));',
    'FloatVector inner = o2.fma(GELU_3A_F, 1f).mul(GELU_2C_F);',
    'FloatVector r = g.mul(o.mul(ds).fma(inner, s).blend(s, ds.eq(0f)));'])
F['GELU_ERF'] = ('geluErf', [
    'FloatVector zc = VectorErf.clamp(z);',
    'FloatVector p = VectorErf.normalCdf(zc, VectorErf.expNegHalfSquare(zc));',
    'FloatVector r = z.mul(p).blend(0f, p.eq(0f));'], [
    'FloatVector zc = VectorErf.clamp(o);',
    'FloatVector e = VectorErf.expNegHalfSquare(zc);',
    'FloatVector r = g.mul(zc.mul(e).mul(INV_SQRT_2PI_F).add(VectorErf.normalCdf(zc, e)));'])
F['SILU'] = ('silu', [
    'FloatVector es = z.abs().neg().lanewise(VectorOperators.EXP);',
    'FloatVector rs = FloatVector.broadcast(F, 1f).div(es.add(1f));',
    'FloatVector s = rs.blend(es.mul(rs), z.compare(VectorOperators.LT, 0f));',
    'FloatVector r = z.mul(s).blend(0f, s.eq(0f));'], [
    'FloatVector es = o.abs().neg().lanewise(VectorOperators.EXP);',
    'FloatVector rs = FloatVector.broadcast(F, 1f).div(es.add(1f));',
    'FloatVector s = rs.blend(es.mul(rs), o.compare(VectorOperators.LT, 0f));',
    'FloatVector ds = s.mul(s.neg().add(1f));',
    'FloatVector r = g.mul(o.fma(ds, s).blend(s, ds.eq(0f)));'])
F['SOFTPLUS'] = ('softplus', [
    'FloatVector t = z.abs().neg().lanewise(VectorOperators.EXP).lanewise(VectorOperators.LOG1P);',
    'FloatVector r = z.max(0f).add(t);'], [
    'FloatVector es = o.abs().neg().lanewise(VectorOperators.EXP);',
    'FloatVector rs = FloatVector.broadcast(F, 1f).div(es.add(1f));',
    'FloatVector s = rs.blend(es.mul(rs), o.compare(VectorOperators.LT, 0f));',
    'FloatVector r = g.mul(s);'])

IND = ' ' * 12
def fwd(name, body, slope):
    b = '\n'.join(IND + l for l in body)
    return f'''
    private static void {name}(int n, float[] in, int inOff, float[] out, int outOff{', float slope' if slope else ''}) {{
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {{
            FloatVector z = FloatVector.fromArray(F, in, inOff + i);
{b}
            r.intoArray(out, outOff + i);
        }}
        if (i < n) {{
            VectorMask<Float> m = F.indexInRange(i, n);
            FloatVector z = FloatVector.fromArray(F, in, inOff + i, m);
{b}
            r.intoArray(out, outOff + i, m);
        }}
    }}
'''
def bwd(name, body, slope):
    b = '\n'.join(IND + l for l in body)
    return f'''
    private static void {name}(int n, float[] operand, int operandOff, float[] dy, int dyOff, float[] dz,
                               int dzOff{', float slope' if slope else ''}) {{
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {{
            FloatVector o = FloatVector.fromArray(F, operand, operandOff + i);
            FloatVector g = FloatVector.fromArray(F, dy, dyOff + i);
{b}
            r.intoArray(dz, dzOff + i);
        }}
        if (i < n) {{
            VectorMask<Float> m = F.indexInRange(i, n);
            FloatVector o = FloatVector.fromArray(F, operand, operandOff + i, m);
            FloatVector g = FloatVector.fromArray(F, dy, dyOff + i, m);
{b}
            r.intoArray(dz, dzOff + i, m);
        }}
    }}
'''
def part():
    fc = []; bc = []; loops = []
    for E, (nm, fb, bb) in F.items():
        slope = E == 'LEAKY_RELU'
        fc.append(f'            case {E} -> {nm}(n, z, zOff, y, yOff{", slope" if slope else ""});')
        bc.append(f'            case {E} -> {nm}Backward(n, operand, operandOff, dy, dyOff, dz, dzOff{", slope" if slope else ""});')
    for E, (nm, fb, bb) in F.items():
        loops.append(fwd(nm, fb, E == 'LEAKY_RELU'))
    for E, (nm, fb, bb) in F.items():
        loops.append(bwd(nm + 'Backward', bb, E == 'LEAKY_RELU'))
    return '''
    /** y[yOff + i] = f(z[zOff + i]) for i in [0, n). */
    public static void forward(Activation.Function f, float slope, int n, float[] z, int zOff, float[] y, int yOff) {
        switch (f) {
            case IDENTITY -> System.arraycopy(z, zOff, y, yOff, n);
''' + '\n'.join(fc) + '''
        }
    }

    /** dz[dzOff + i] = dy[dyOff + i] · f′ from operand[operandOff + i] (z or y, as the function's backward operand). */
    public static void backward(Activation.Function f, float slope, int n, float[] operand, int operandOff,
                                float[] dy, int dyOff, float[] dz, int dzOff) {
        switch (f) {
            case IDENTITY -> System.arraycopy(dy, dyOff, dz, dzOff, n);
''' + '\n'.join(bc) + '''
        }
    }
''' + ''.join(loops)

def todouble(s):
    s = s.replace('FloatVector', 'DoubleVector').replace('float', 'double').replace('<Float>', '<Double>')
    s = re.sub(r'(\d+\.\d+)f\b', r'\1', s)
    s = re.sub(r'\b(\d+)f\b', r'\1.0', s)
    s = re.sub(r'\b([A-Z0-9_]+)_F\b', r'\1', s)
    s = re.sub(r'\bF\.', 'D.', s).replace('(F, ', '(D, ')

    return s

header = '''package dev.lanewise.kernel.vector.elementwise;

import dev.lanewise.kernel.Activation;
import dev.lanewise.kernel.scalar.ScalarMath;
import dev.lanewise.kernel.vector.math.VectorErf;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector activation kernels, forward and backward, float and double: lane-wise twins of
 * {@link ScalarMath#forward} and {@link ScalarMath#backward} with the same guards at infinities.
 *
 * <p>Why the shape: the function is chosen once per call, outside the loop, and each function has its own loop with
 * its formula written out in the loop body. A shared loop around one big per-vector switch was too large to inline
 * and boxed a vector per call; small formula methods called from the loop were not reliably inlined either (once C2
 * had compiled such a method on its own into a large blob, it stopped inlining it and boxed its vectors: 3 KB per call
 * for GELU, measured by {@code ElementwiseAllocationTest}). Full vectors run unmasked, the tail once masked, so each
 * body appears twice. {@code VectorErf}'s methods are larger and may still be called out of line; the allocation test
 * says whether they are.
 *
 * <p>Transcendentals use the Vector API's {@code EXP}, {@code TANH} and {@code LOG1P}: on JDK 25 x86 C2 compiles
 * them to SVML intrinsics, the interpreter and C1 fall back to per-lane {@code Math} calls, so results may differ in
 * the last bit between JIT tiers. Sigmoids are computed as 1/(1 + e^−|u|), times e^−|u| for u &lt; 0, so e^−u never
 * overflows (1/(1 + e^−u) gave 0 instead of ~1e-38 near u = −89). Arguments are trusted (the facade validated them); in place (same array, same
 * offset) is fine.
 */
public final class ActivationKernels {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final float GELU_2C_F = (float) (2 * ScalarMath.GELU_C);
    private static final float GELU_A_F = (float) ScalarMath.GELU_A;
    private static final float GELU_3A_F = (float) (3 * ScalarMath.GELU_A);
    private static final float INV_SQRT_2PI_F = (float) ScalarMath.INV_SQRT_2PI;
    private static final double GELU_2C = 2 * ScalarMath.GELU_C;
    private static final double GELU_A = ScalarMath.GELU_A;
    private static final double GELU_3A = 3 * ScalarMath.GELU_A;
    private static final double INV_SQRT_2PI = ScalarMath.INV_SQRT_2PI;

    private ActivationKernels() {
    }

    // Generated by kernel/tools/generate_activation_kernels.py: edit the formulas there, not here.

    // ---------------------------------------------------------------- float
'''
p = part()
src = header + p + '\n    // ---------------------------------------------------------------- double\n' + todouble(p) + '}\n'
open(__import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..', 'src/main/java/dev/lanewise/kernel/vector/elementwise/ActivationKernels.java'), 'w').write(src)
