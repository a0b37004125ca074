package dev.lanewise.kernel.vector.elementwise;

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

    // Generated shape: keep the float and double halves identical up to the type.

    // ---------------------------------------------------------------- float

    /** y[yOff + i] = f(z[zOff + i]) for i in [0, n). */
    public static void forward(Activation.Function f, float slope, int n, float[] z, int zOff, float[] y, int yOff) {
        switch (f) {
            case IDENTITY -> System.arraycopy(z, zOff, y, yOff, n);
            case RELU -> relu(n, z, zOff, y, yOff);
            case LEAKY_RELU -> leakyRelu(n, z, zOff, y, yOff, slope);
            case SIGMOID -> sigmoid(n, z, zOff, y, yOff);
            case TANH -> tanh(n, z, zOff, y, yOff);
            case GELU_TANH -> geluTanh(n, z, zOff, y, yOff);
            case GELU_ERF -> geluErf(n, z, zOff, y, yOff);
            case SILU -> silu(n, z, zOff, y, yOff);
            case SOFTPLUS -> softplus(n, z, zOff, y, yOff);
        }
    }

    /** dz[dzOff + i] = dy[dyOff + i] · f′ from operand[operandOff + i] (z or y, as the function's backward operand). */
    public static void backward(Activation.Function f, float slope, int n, float[] operand, int operandOff,
                                float[] dy, int dyOff, float[] dz, int dzOff) {
        switch (f) {
            case IDENTITY -> System.arraycopy(dy, dyOff, dz, dzOff, n);
            case RELU -> reluBackward(n, operand, operandOff, dy, dyOff, dz, dzOff);
            case LEAKY_RELU -> leakyReluBackward(n, operand, operandOff, dy, dyOff, dz, dzOff, slope);
            case SIGMOID -> sigmoidBackward(n, operand, operandOff, dy, dyOff, dz, dzOff);
            case TANH -> tanhBackward(n, operand, operandOff, dy, dyOff, dz, dzOff);
            case GELU_TANH -> geluTanhBackward(n, operand, operandOff, dy, dyOff, dz, dzOff);
            case GELU_ERF -> geluErfBackward(n, operand, operandOff, dy, dyOff, dz, dzOff);
            case SILU -> siluBackward(n, operand, operandOff, dy, dyOff, dz, dzOff);
            case SOFTPLUS -> softplusBackward(n, operand, operandOff, dy, dyOff, dz, dzOff);
        }
    }

    private static void relu(int n, float[] in, int inOff, float[] out, int outOff) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector z = FloatVector.fromArray(F, in, inOff + i);
            FloatVector r = z.max(0f);
            r.intoArray(out, outOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            FloatVector z = FloatVector.fromArray(F, in, inOff + i, m);
            FloatVector r = z.max(0f);
            r.intoArray(out, outOff + i, m);
        }
    }

    private static void leakyRelu(int n, float[] in, int inOff, float[] out, int outOff, float slope) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector z = FloatVector.fromArray(F, in, inOff + i);
            FloatVector r = z.mul(slope).blend(z, z.compare(VectorOperators.GT, 0f));
            r.intoArray(out, outOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            FloatVector z = FloatVector.fromArray(F, in, inOff + i, m);
            FloatVector r = z.mul(slope).blend(z, z.compare(VectorOperators.GT, 0f));
            r.intoArray(out, outOff + i, m);
        }
    }

    private static void sigmoid(int n, float[] in, int inOff, float[] out, int outOff) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector z = FloatVector.fromArray(F, in, inOff + i);
            FloatVector er = z.abs().neg().lanewise(VectorOperators.EXP);
            FloatVector rr = FloatVector.broadcast(F, 1f).div(er.add(1f));
            FloatVector r = rr.blend(er.mul(rr), z.compare(VectorOperators.LT, 0f));
            r.intoArray(out, outOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            FloatVector z = FloatVector.fromArray(F, in, inOff + i, m);
            FloatVector er = z.abs().neg().lanewise(VectorOperators.EXP);
            FloatVector rr = FloatVector.broadcast(F, 1f).div(er.add(1f));
            FloatVector r = rr.blend(er.mul(rr), z.compare(VectorOperators.LT, 0f));
            r.intoArray(out, outOff + i, m);
        }
    }

    private static void tanh(int n, float[] in, int inOff, float[] out, int outOff) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector z = FloatVector.fromArray(F, in, inOff + i);
            FloatVector r = z.lanewise(VectorOperators.TANH);
            r.intoArray(out, outOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            FloatVector z = FloatVector.fromArray(F, in, inOff + i, m);
            FloatVector r = z.lanewise(VectorOperators.TANH);
            r.intoArray(out, outOff + i, m);
        }
    }

    private static void geluTanh(int n, float[] in, int inOff, float[] out, int outOff) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector z = FloatVector.fromArray(F, in, inOff + i);
            FloatVector u = z.mul(z).mul(GELU_A_F).fma(z, z).mul(GELU_2C_F);
            FloatVector es = u.abs().neg().lanewise(VectorOperators.EXP);
            FloatVector rs = FloatVector.broadcast(F, 1f).div(es.add(1f));
            FloatVector s = rs.blend(es.mul(rs), u.compare(VectorOperators.LT, 0f));
            FloatVector r = z.mul(s).blend(0f, s.eq(0f));
            r.intoArray(out, outOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            FloatVector z = FloatVector.fromArray(F, in, inOff + i, m);
            FloatVector u = z.mul(z).mul(GELU_A_F).fma(z, z).mul(GELU_2C_F);
            FloatVector es = u.abs().neg().lanewise(VectorOperators.EXP);
            FloatVector rs = FloatVector.broadcast(F, 1f).div(es.add(1f));
            FloatVector s = rs.blend(es.mul(rs), u.compare(VectorOperators.LT, 0f));
            FloatVector r = z.mul(s).blend(0f, s.eq(0f));
            r.intoArray(out, outOff + i, m);
        }
    }

    private static void geluErf(int n, float[] in, int inOff, float[] out, int outOff) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector z = FloatVector.fromArray(F, in, inOff + i);
            FloatVector zc = VectorErf.clamp(z);
            FloatVector p = VectorErf.normalCdf(zc, VectorErf.expNegHalfSquare(zc));
            FloatVector r = z.mul(p).blend(0f, p.eq(0f));
            r.intoArray(out, outOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            FloatVector z = FloatVector.fromArray(F, in, inOff + i, m);
            FloatVector zc = VectorErf.clamp(z);
            FloatVector p = VectorErf.normalCdf(zc, VectorErf.expNegHalfSquare(zc));
            FloatVector r = z.mul(p).blend(0f, p.eq(0f));
            r.intoArray(out, outOff + i, m);
        }
    }

    private static void silu(int n, float[] in, int inOff, float[] out, int outOff) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector z = FloatVector.fromArray(F, in, inOff + i);
            FloatVector es = z.abs().neg().lanewise(VectorOperators.EXP);
            FloatVector rs = FloatVector.broadcast(F, 1f).div(es.add(1f));
            FloatVector s = rs.blend(es.mul(rs), z.compare(VectorOperators.LT, 0f));
            FloatVector r = z.mul(s).blend(0f, s.eq(0f));
            r.intoArray(out, outOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            FloatVector z = FloatVector.fromArray(F, in, inOff + i, m);
            FloatVector es = z.abs().neg().lanewise(VectorOperators.EXP);
            FloatVector rs = FloatVector.broadcast(F, 1f).div(es.add(1f));
            FloatVector s = rs.blend(es.mul(rs), z.compare(VectorOperators.LT, 0f));
            FloatVector r = z.mul(s).blend(0f, s.eq(0f));
            r.intoArray(out, outOff + i, m);
        }
    }

    private static void softplus(int n, float[] in, int inOff, float[] out, int outOff) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector z = FloatVector.fromArray(F, in, inOff + i);
            FloatVector t = z.abs().neg().lanewise(VectorOperators.EXP).lanewise(VectorOperators.LOG1P);
            FloatVector r = z.max(0f).add(t);
            r.intoArray(out, outOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            FloatVector z = FloatVector.fromArray(F, in, inOff + i, m);
            FloatVector t = z.abs().neg().lanewise(VectorOperators.EXP).lanewise(VectorOperators.LOG1P);
            FloatVector r = z.max(0f).add(t);
            r.intoArray(out, outOff + i, m);
        }
    }

    private static void reluBackward(int n, float[] operand, int operandOff, float[] dy, int dyOff, float[] dz,
                               int dzOff) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector o = FloatVector.fromArray(F, operand, operandOff + i);
            FloatVector g = FloatVector.fromArray(F, dy, dyOff + i);
            FloatVector r = g.blend(0f, o.compare(VectorOperators.GT, 0f).not());
            r.intoArray(dz, dzOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            FloatVector o = FloatVector.fromArray(F, operand, operandOff + i, m);
            FloatVector g = FloatVector.fromArray(F, dy, dyOff + i, m);
            FloatVector r = g.blend(0f, o.compare(VectorOperators.GT, 0f).not());
            r.intoArray(dz, dzOff + i, m);
        }
    }

    private static void leakyReluBackward(int n, float[] operand, int operandOff, float[] dy, int dyOff, float[] dz,
                               int dzOff, float slope) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector o = FloatVector.fromArray(F, operand, operandOff + i);
            FloatVector g = FloatVector.fromArray(F, dy, dyOff + i);
            FloatVector r = g.mul(slope).blend(g, o.compare(VectorOperators.GT, 0f));
            r.intoArray(dz, dzOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            FloatVector o = FloatVector.fromArray(F, operand, operandOff + i, m);
            FloatVector g = FloatVector.fromArray(F, dy, dyOff + i, m);
            FloatVector r = g.mul(slope).blend(g, o.compare(VectorOperators.GT, 0f));
            r.intoArray(dz, dzOff + i, m);
        }
    }

    private static void sigmoidBackward(int n, float[] operand, int operandOff, float[] dy, int dyOff, float[] dz,
                               int dzOff) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector o = FloatVector.fromArray(F, operand, operandOff + i);
            FloatVector g = FloatVector.fromArray(F, dy, dyOff + i);
            FloatVector r = g.mul(o.mul(o.neg().add(1f)));
            r.intoArray(dz, dzOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            FloatVector o = FloatVector.fromArray(F, operand, operandOff + i, m);
            FloatVector g = FloatVector.fromArray(F, dy, dyOff + i, m);
            FloatVector r = g.mul(o.mul(o.neg().add(1f)));
            r.intoArray(dz, dzOff + i, m);
        }
    }

    private static void tanhBackward(int n, float[] operand, int operandOff, float[] dy, int dyOff, float[] dz,
                               int dzOff) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector o = FloatVector.fromArray(F, operand, operandOff + i);
            FloatVector g = FloatVector.fromArray(F, dy, dyOff + i);
            FloatVector r = g.mul(o.mul(o).neg().add(1f));
            r.intoArray(dz, dzOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            FloatVector o = FloatVector.fromArray(F, operand, operandOff + i, m);
            FloatVector g = FloatVector.fromArray(F, dy, dyOff + i, m);
            FloatVector r = g.mul(o.mul(o).neg().add(1f));
            r.intoArray(dz, dzOff + i, m);
        }
    }

    private static void geluTanhBackward(int n, float[] operand, int operandOff, float[] dy, int dyOff, float[] dz,
                               int dzOff) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector o = FloatVector.fromArray(F, operand, operandOff + i);
            FloatVector g = FloatVector.fromArray(F, dy, dyOff + i);
            FloatVector o2 = o.mul(o);
            FloatVector u = o2.mul(GELU_A_F).fma(o, o).mul(GELU_2C_F);
            FloatVector es = u.abs().neg().lanewise(VectorOperators.EXP);
            FloatVector rs = FloatVector.broadcast(F, 1f).div(es.add(1f));
            FloatVector s = rs.blend(es.mul(rs), u.compare(VectorOperators.LT, 0f));
            FloatVector ds = s.mul(s.neg().add(1f));
            FloatVector inner = o2.fma(GELU_3A_F, 1f).mul(GELU_2C_F);
            FloatVector r = g.mul(o.mul(ds).fma(inner, s).blend(s, ds.eq(0f)));
            r.intoArray(dz, dzOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            FloatVector o = FloatVector.fromArray(F, operand, operandOff + i, m);
            FloatVector g = FloatVector.fromArray(F, dy, dyOff + i, m);
            FloatVector o2 = o.mul(o);
            FloatVector u = o2.mul(GELU_A_F).fma(o, o).mul(GELU_2C_F);
            FloatVector es = u.abs().neg().lanewise(VectorOperators.EXP);
            FloatVector rs = FloatVector.broadcast(F, 1f).div(es.add(1f));
            FloatVector s = rs.blend(es.mul(rs), u.compare(VectorOperators.LT, 0f));
            FloatVector ds = s.mul(s.neg().add(1f));
            FloatVector inner = o2.fma(GELU_3A_F, 1f).mul(GELU_2C_F);
            FloatVector r = g.mul(o.mul(ds).fma(inner, s).blend(s, ds.eq(0f)));
            r.intoArray(dz, dzOff + i, m);
        }
    }

    private static void geluErfBackward(int n, float[] operand, int operandOff, float[] dy, int dyOff, float[] dz,
                               int dzOff) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector o = FloatVector.fromArray(F, operand, operandOff + i);
            FloatVector g = FloatVector.fromArray(F, dy, dyOff + i);
            FloatVector zc = VectorErf.clamp(o);
            FloatVector e = VectorErf.expNegHalfSquare(zc);
            FloatVector r = g.mul(zc.mul(e).mul(INV_SQRT_2PI_F).add(VectorErf.normalCdf(zc, e)));
            r.intoArray(dz, dzOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            FloatVector o = FloatVector.fromArray(F, operand, operandOff + i, m);
            FloatVector g = FloatVector.fromArray(F, dy, dyOff + i, m);
            FloatVector zc = VectorErf.clamp(o);
            FloatVector e = VectorErf.expNegHalfSquare(zc);
            FloatVector r = g.mul(zc.mul(e).mul(INV_SQRT_2PI_F).add(VectorErf.normalCdf(zc, e)));
            r.intoArray(dz, dzOff + i, m);
        }
    }

    private static void siluBackward(int n, float[] operand, int operandOff, float[] dy, int dyOff, float[] dz,
                               int dzOff) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector o = FloatVector.fromArray(F, operand, operandOff + i);
            FloatVector g = FloatVector.fromArray(F, dy, dyOff + i);
            FloatVector es = o.abs().neg().lanewise(VectorOperators.EXP);
            FloatVector rs = FloatVector.broadcast(F, 1f).div(es.add(1f));
            FloatVector s = rs.blend(es.mul(rs), o.compare(VectorOperators.LT, 0f));
            FloatVector ds = s.mul(s.neg().add(1f));
            FloatVector r = g.mul(o.fma(ds, s).blend(s, ds.eq(0f)));
            r.intoArray(dz, dzOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            FloatVector o = FloatVector.fromArray(F, operand, operandOff + i, m);
            FloatVector g = FloatVector.fromArray(F, dy, dyOff + i, m);
            FloatVector es = o.abs().neg().lanewise(VectorOperators.EXP);
            FloatVector rs = FloatVector.broadcast(F, 1f).div(es.add(1f));
            FloatVector s = rs.blend(es.mul(rs), o.compare(VectorOperators.LT, 0f));
            FloatVector ds = s.mul(s.neg().add(1f));
            FloatVector r = g.mul(o.fma(ds, s).blend(s, ds.eq(0f)));
            r.intoArray(dz, dzOff + i, m);
        }
    }

    private static void softplusBackward(int n, float[] operand, int operandOff, float[] dy, int dyOff, float[] dz,
                               int dzOff) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector o = FloatVector.fromArray(F, operand, operandOff + i);
            FloatVector g = FloatVector.fromArray(F, dy, dyOff + i);
            FloatVector es = o.abs().neg().lanewise(VectorOperators.EXP);
            FloatVector rs = FloatVector.broadcast(F, 1f).div(es.add(1f));
            FloatVector s = rs.blend(es.mul(rs), o.compare(VectorOperators.LT, 0f));
            FloatVector r = g.mul(s);
            r.intoArray(dz, dzOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            FloatVector o = FloatVector.fromArray(F, operand, operandOff + i, m);
            FloatVector g = FloatVector.fromArray(F, dy, dyOff + i, m);
            FloatVector es = o.abs().neg().lanewise(VectorOperators.EXP);
            FloatVector rs = FloatVector.broadcast(F, 1f).div(es.add(1f));
            FloatVector s = rs.blend(es.mul(rs), o.compare(VectorOperators.LT, 0f));
            FloatVector r = g.mul(s);
            r.intoArray(dz, dzOff + i, m);
        }
    }

    // ---------------------------------------------------------------- double

    /** y[yOff + i] = f(z[zOff + i]) for i in [0, n). */
    public static void forward(Activation.Function f, double slope, int n, double[] z, int zOff, double[] y, int yOff) {
        switch (f) {
            case IDENTITY -> System.arraycopy(z, zOff, y, yOff, n);
            case RELU -> relu(n, z, zOff, y, yOff);
            case LEAKY_RELU -> leakyRelu(n, z, zOff, y, yOff, slope);
            case SIGMOID -> sigmoid(n, z, zOff, y, yOff);
            case TANH -> tanh(n, z, zOff, y, yOff);
            case GELU_TANH -> geluTanh(n, z, zOff, y, yOff);
            case GELU_ERF -> geluErf(n, z, zOff, y, yOff);
            case SILU -> silu(n, z, zOff, y, yOff);
            case SOFTPLUS -> softplus(n, z, zOff, y, yOff);
        }
    }

    /** dz[dzOff + i] = dy[dyOff + i] · f′ from operand[operandOff + i] (z or y, as the function's backward operand). */
    public static void backward(Activation.Function f, double slope, int n, double[] operand, int operandOff,
                                double[] dy, int dyOff, double[] dz, int dzOff) {
        switch (f) {
            case IDENTITY -> System.arraycopy(dy, dyOff, dz, dzOff, n);
            case RELU -> reluBackward(n, operand, operandOff, dy, dyOff, dz, dzOff);
            case LEAKY_RELU -> leakyReluBackward(n, operand, operandOff, dy, dyOff, dz, dzOff, slope);
            case SIGMOID -> sigmoidBackward(n, operand, operandOff, dy, dyOff, dz, dzOff);
            case TANH -> tanhBackward(n, operand, operandOff, dy, dyOff, dz, dzOff);
            case GELU_TANH -> geluTanhBackward(n, operand, operandOff, dy, dyOff, dz, dzOff);
            case GELU_ERF -> geluErfBackward(n, operand, operandOff, dy, dyOff, dz, dzOff);
            case SILU -> siluBackward(n, operand, operandOff, dy, dyOff, dz, dzOff);
            case SOFTPLUS -> softplusBackward(n, operand, operandOff, dy, dyOff, dz, dzOff);
        }
    }

    private static void relu(int n, double[] in, int inOff, double[] out, int outOff) {
        int i = 0;
        for (int bound = D.loopBound(n); i < bound; i += D.length()) {
            DoubleVector z = DoubleVector.fromArray(D, in, inOff + i);
            DoubleVector r = z.max(0.0);
            r.intoArray(out, outOff + i);
        }
        if (i < n) {
            VectorMask<Double> m = D.indexInRange(i, n);
            DoubleVector z = DoubleVector.fromArray(D, in, inOff + i, m);
            DoubleVector r = z.max(0.0);
            r.intoArray(out, outOff + i, m);
        }
    }

    private static void leakyRelu(int n, double[] in, int inOff, double[] out, int outOff, double slope) {
        int i = 0;
        for (int bound = D.loopBound(n); i < bound; i += D.length()) {
            DoubleVector z = DoubleVector.fromArray(D, in, inOff + i);
            DoubleVector r = z.mul(slope).blend(z, z.compare(VectorOperators.GT, 0.0));
            r.intoArray(out, outOff + i);
        }
        if (i < n) {
            VectorMask<Double> m = D.indexInRange(i, n);
            DoubleVector z = DoubleVector.fromArray(D, in, inOff + i, m);
            DoubleVector r = z.mul(slope).blend(z, z.compare(VectorOperators.GT, 0.0));
            r.intoArray(out, outOff + i, m);
        }
    }

    private static void sigmoid(int n, double[] in, int inOff, double[] out, int outOff) {
        int i = 0;
        for (int bound = D.loopBound(n); i < bound; i += D.length()) {
            DoubleVector z = DoubleVector.fromArray(D, in, inOff + i);
            DoubleVector er = z.abs().neg().lanewise(VectorOperators.EXP);
            DoubleVector rr = DoubleVector.broadcast(D, 1.0).div(er.add(1.0));
            DoubleVector r = rr.blend(er.mul(rr), z.compare(VectorOperators.LT, 0.0));
            r.intoArray(out, outOff + i);
        }
        if (i < n) {
            VectorMask<Double> m = D.indexInRange(i, n);
            DoubleVector z = DoubleVector.fromArray(D, in, inOff + i, m);
            DoubleVector er = z.abs().neg().lanewise(VectorOperators.EXP);
            DoubleVector rr = DoubleVector.broadcast(D, 1.0).div(er.add(1.0));
            DoubleVector r = rr.blend(er.mul(rr), z.compare(VectorOperators.LT, 0.0));
            r.intoArray(out, outOff + i, m);
        }
    }

    private static void tanh(int n, double[] in, int inOff, double[] out, int outOff) {
        int i = 0;
        for (int bound = D.loopBound(n); i < bound; i += D.length()) {
            DoubleVector z = DoubleVector.fromArray(D, in, inOff + i);
            DoubleVector r = z.lanewise(VectorOperators.TANH);
            r.intoArray(out, outOff + i);
        }
        if (i < n) {
            VectorMask<Double> m = D.indexInRange(i, n);
            DoubleVector z = DoubleVector.fromArray(D, in, inOff + i, m);
            DoubleVector r = z.lanewise(VectorOperators.TANH);
            r.intoArray(out, outOff + i, m);
        }
    }

    private static void geluTanh(int n, double[] in, int inOff, double[] out, int outOff) {
        int i = 0;
        for (int bound = D.loopBound(n); i < bound; i += D.length()) {
            DoubleVector z = DoubleVector.fromArray(D, in, inOff + i);
            DoubleVector u = z.mul(z).mul(GELU_A).fma(z, z).mul(GELU_2C);
            DoubleVector es = u.abs().neg().lanewise(VectorOperators.EXP);
            DoubleVector rs = DoubleVector.broadcast(D, 1.0).div(es.add(1.0));
            DoubleVector s = rs.blend(es.mul(rs), u.compare(VectorOperators.LT, 0.0));
            DoubleVector r = z.mul(s).blend(0.0, s.eq(0.0));
            r.intoArray(out, outOff + i);
        }
        if (i < n) {
            VectorMask<Double> m = D.indexInRange(i, n);
            DoubleVector z = DoubleVector.fromArray(D, in, inOff + i, m);
            DoubleVector u = z.mul(z).mul(GELU_A).fma(z, z).mul(GELU_2C);
            DoubleVector es = u.abs().neg().lanewise(VectorOperators.EXP);
            DoubleVector rs = DoubleVector.broadcast(D, 1.0).div(es.add(1.0));
            DoubleVector s = rs.blend(es.mul(rs), u.compare(VectorOperators.LT, 0.0));
            DoubleVector r = z.mul(s).blend(0.0, s.eq(0.0));
            r.intoArray(out, outOff + i, m);
        }
    }

    private static void geluErf(int n, double[] in, int inOff, double[] out, int outOff) {
        int i = 0;
        for (int bound = D.loopBound(n); i < bound; i += D.length()) {
            DoubleVector z = DoubleVector.fromArray(D, in, inOff + i);
            DoubleVector zc = VectorErf.clamp(z);
            DoubleVector p = VectorErf.normalCdf(zc, VectorErf.expNegHalfSquare(zc));
            DoubleVector r = z.mul(p).blend(0.0, p.eq(0.0));
            r.intoArray(out, outOff + i);
        }
        if (i < n) {
            VectorMask<Double> m = D.indexInRange(i, n);
            DoubleVector z = DoubleVector.fromArray(D, in, inOff + i, m);
            DoubleVector zc = VectorErf.clamp(z);
            DoubleVector p = VectorErf.normalCdf(zc, VectorErf.expNegHalfSquare(zc));
            DoubleVector r = z.mul(p).blend(0.0, p.eq(0.0));
            r.intoArray(out, outOff + i, m);
        }
    }

    private static void silu(int n, double[] in, int inOff, double[] out, int outOff) {
        int i = 0;
        for (int bound = D.loopBound(n); i < bound; i += D.length()) {
            DoubleVector z = DoubleVector.fromArray(D, in, inOff + i);
            DoubleVector es = z.abs().neg().lanewise(VectorOperators.EXP);
            DoubleVector rs = DoubleVector.broadcast(D, 1.0).div(es.add(1.0));
            DoubleVector s = rs.blend(es.mul(rs), z.compare(VectorOperators.LT, 0.0));
            DoubleVector r = z.mul(s).blend(0.0, s.eq(0.0));
            r.intoArray(out, outOff + i);
        }
        if (i < n) {
            VectorMask<Double> m = D.indexInRange(i, n);
            DoubleVector z = DoubleVector.fromArray(D, in, inOff + i, m);
            DoubleVector es = z.abs().neg().lanewise(VectorOperators.EXP);
            DoubleVector rs = DoubleVector.broadcast(D, 1.0).div(es.add(1.0));
            DoubleVector s = rs.blend(es.mul(rs), z.compare(VectorOperators.LT, 0.0));
            DoubleVector r = z.mul(s).blend(0.0, s.eq(0.0));
            r.intoArray(out, outOff + i, m);
        }
    }

    private static void softplus(int n, double[] in, int inOff, double[] out, int outOff) {
        int i = 0;
        for (int bound = D.loopBound(n); i < bound; i += D.length()) {
            DoubleVector z = DoubleVector.fromArray(D, in, inOff + i);
            DoubleVector t = z.abs().neg().lanewise(VectorOperators.EXP).lanewise(VectorOperators.LOG1P);
            DoubleVector r = z.max(0.0).add(t);
            r.intoArray(out, outOff + i);
        }
        if (i < n) {
            VectorMask<Double> m = D.indexInRange(i, n);
            DoubleVector z = DoubleVector.fromArray(D, in, inOff + i, m);
            DoubleVector t = z.abs().neg().lanewise(VectorOperators.EXP).lanewise(VectorOperators.LOG1P);
            DoubleVector r = z.max(0.0).add(t);
            r.intoArray(out, outOff + i, m);
        }
    }

    private static void reluBackward(int n, double[] operand, int operandOff, double[] dy, int dyOff, double[] dz,
                               int dzOff) {
        int i = 0;
        for (int bound = D.loopBound(n); i < bound; i += D.length()) {
            DoubleVector o = DoubleVector.fromArray(D, operand, operandOff + i);
            DoubleVector g = DoubleVector.fromArray(D, dy, dyOff + i);
            DoubleVector r = g.blend(0.0, o.compare(VectorOperators.GT, 0.0).not());
            r.intoArray(dz, dzOff + i);
        }
        if (i < n) {
            VectorMask<Double> m = D.indexInRange(i, n);
            DoubleVector o = DoubleVector.fromArray(D, operand, operandOff + i, m);
            DoubleVector g = DoubleVector.fromArray(D, dy, dyOff + i, m);
            DoubleVector r = g.blend(0.0, o.compare(VectorOperators.GT, 0.0).not());
            r.intoArray(dz, dzOff + i, m);
        }
    }

    private static void leakyReluBackward(int n, double[] operand, int operandOff, double[] dy, int dyOff, double[] dz,
                               int dzOff, double slope) {
        int i = 0;
        for (int bound = D.loopBound(n); i < bound; i += D.length()) {
            DoubleVector o = DoubleVector.fromArray(D, operand, operandOff + i);
            DoubleVector g = DoubleVector.fromArray(D, dy, dyOff + i);
            DoubleVector r = g.mul(slope).blend(g, o.compare(VectorOperators.GT, 0.0));
            r.intoArray(dz, dzOff + i);
        }
        if (i < n) {
            VectorMask<Double> m = D.indexInRange(i, n);
            DoubleVector o = DoubleVector.fromArray(D, operand, operandOff + i, m);
            DoubleVector g = DoubleVector.fromArray(D, dy, dyOff + i, m);
            DoubleVector r = g.mul(slope).blend(g, o.compare(VectorOperators.GT, 0.0));
            r.intoArray(dz, dzOff + i, m);
        }
    }

    private static void sigmoidBackward(int n, double[] operand, int operandOff, double[] dy, int dyOff, double[] dz,
                               int dzOff) {
        int i = 0;
        for (int bound = D.loopBound(n); i < bound; i += D.length()) {
            DoubleVector o = DoubleVector.fromArray(D, operand, operandOff + i);
            DoubleVector g = DoubleVector.fromArray(D, dy, dyOff + i);
            DoubleVector r = g.mul(o.mul(o.neg().add(1.0)));
            r.intoArray(dz, dzOff + i);
        }
        if (i < n) {
            VectorMask<Double> m = D.indexInRange(i, n);
            DoubleVector o = DoubleVector.fromArray(D, operand, operandOff + i, m);
            DoubleVector g = DoubleVector.fromArray(D, dy, dyOff + i, m);
            DoubleVector r = g.mul(o.mul(o.neg().add(1.0)));
            r.intoArray(dz, dzOff + i, m);
        }
    }

    private static void tanhBackward(int n, double[] operand, int operandOff, double[] dy, int dyOff, double[] dz,
                               int dzOff) {
        int i = 0;
        for (int bound = D.loopBound(n); i < bound; i += D.length()) {
            DoubleVector o = DoubleVector.fromArray(D, operand, operandOff + i);
            DoubleVector g = DoubleVector.fromArray(D, dy, dyOff + i);
            DoubleVector r = g.mul(o.mul(o).neg().add(1.0));
            r.intoArray(dz, dzOff + i);
        }
        if (i < n) {
            VectorMask<Double> m = D.indexInRange(i, n);
            DoubleVector o = DoubleVector.fromArray(D, operand, operandOff + i, m);
            DoubleVector g = DoubleVector.fromArray(D, dy, dyOff + i, m);
            DoubleVector r = g.mul(o.mul(o).neg().add(1.0));
            r.intoArray(dz, dzOff + i, m);
        }
    }

    private static void geluTanhBackward(int n, double[] operand, int operandOff, double[] dy, int dyOff, double[] dz,
                               int dzOff) {
        int i = 0;
        for (int bound = D.loopBound(n); i < bound; i += D.length()) {
            DoubleVector o = DoubleVector.fromArray(D, operand, operandOff + i);
            DoubleVector g = DoubleVector.fromArray(D, dy, dyOff + i);
            DoubleVector o2 = o.mul(o);
            DoubleVector u = o2.mul(GELU_A).fma(o, o).mul(GELU_2C);
            DoubleVector es = u.abs().neg().lanewise(VectorOperators.EXP);
            DoubleVector rs = DoubleVector.broadcast(D, 1.0).div(es.add(1.0));
            DoubleVector s = rs.blend(es.mul(rs), u.compare(VectorOperators.LT, 0.0));
            DoubleVector ds = s.mul(s.neg().add(1.0));
            DoubleVector inner = o2.fma(GELU_3A, 1.0).mul(GELU_2C);
            DoubleVector r = g.mul(o.mul(ds).fma(inner, s).blend(s, ds.eq(0.0)));
            r.intoArray(dz, dzOff + i);
        }
        if (i < n) {
            VectorMask<Double> m = D.indexInRange(i, n);
            DoubleVector o = DoubleVector.fromArray(D, operand, operandOff + i, m);
            DoubleVector g = DoubleVector.fromArray(D, dy, dyOff + i, m);
            DoubleVector o2 = o.mul(o);
            DoubleVector u = o2.mul(GELU_A).fma(o, o).mul(GELU_2C);
            DoubleVector es = u.abs().neg().lanewise(VectorOperators.EXP);
            DoubleVector rs = DoubleVector.broadcast(D, 1.0).div(es.add(1.0));
            DoubleVector s = rs.blend(es.mul(rs), u.compare(VectorOperators.LT, 0.0));
            DoubleVector ds = s.mul(s.neg().add(1.0));
            DoubleVector inner = o2.fma(GELU_3A, 1.0).mul(GELU_2C);
            DoubleVector r = g.mul(o.mul(ds).fma(inner, s).blend(s, ds.eq(0.0)));
            r.intoArray(dz, dzOff + i, m);
        }
    }

    private static void geluErfBackward(int n, double[] operand, int operandOff, double[] dy, int dyOff, double[] dz,
                               int dzOff) {
        int i = 0;
        for (int bound = D.loopBound(n); i < bound; i += D.length()) {
            DoubleVector o = DoubleVector.fromArray(D, operand, operandOff + i);
            DoubleVector g = DoubleVector.fromArray(D, dy, dyOff + i);
            DoubleVector zc = VectorErf.clamp(o);
            DoubleVector e = VectorErf.expNegHalfSquare(zc);
            DoubleVector r = g.mul(zc.mul(e).mul(INV_SQRT_2PI).add(VectorErf.normalCdf(zc, e)));
            r.intoArray(dz, dzOff + i);
        }
        if (i < n) {
            VectorMask<Double> m = D.indexInRange(i, n);
            DoubleVector o = DoubleVector.fromArray(D, operand, operandOff + i, m);
            DoubleVector g = DoubleVector.fromArray(D, dy, dyOff + i, m);
            DoubleVector zc = VectorErf.clamp(o);
            DoubleVector e = VectorErf.expNegHalfSquare(zc);
            DoubleVector r = g.mul(zc.mul(e).mul(INV_SQRT_2PI).add(VectorErf.normalCdf(zc, e)));
            r.intoArray(dz, dzOff + i, m);
        }
    }

    private static void siluBackward(int n, double[] operand, int operandOff, double[] dy, int dyOff, double[] dz,
                               int dzOff) {
        int i = 0;
        for (int bound = D.loopBound(n); i < bound; i += D.length()) {
            DoubleVector o = DoubleVector.fromArray(D, operand, operandOff + i);
            DoubleVector g = DoubleVector.fromArray(D, dy, dyOff + i);
            DoubleVector es = o.abs().neg().lanewise(VectorOperators.EXP);
            DoubleVector rs = DoubleVector.broadcast(D, 1.0).div(es.add(1.0));
            DoubleVector s = rs.blend(es.mul(rs), o.compare(VectorOperators.LT, 0.0));
            DoubleVector ds = s.mul(s.neg().add(1.0));
            DoubleVector r = g.mul(o.fma(ds, s).blend(s, ds.eq(0.0)));
            r.intoArray(dz, dzOff + i);
        }
        if (i < n) {
            VectorMask<Double> m = D.indexInRange(i, n);
            DoubleVector o = DoubleVector.fromArray(D, operand, operandOff + i, m);
            DoubleVector g = DoubleVector.fromArray(D, dy, dyOff + i, m);
            DoubleVector es = o.abs().neg().lanewise(VectorOperators.EXP);
            DoubleVector rs = DoubleVector.broadcast(D, 1.0).div(es.add(1.0));
            DoubleVector s = rs.blend(es.mul(rs), o.compare(VectorOperators.LT, 0.0));
            DoubleVector ds = s.mul(s.neg().add(1.0));
            DoubleVector r = g.mul(o.fma(ds, s).blend(s, ds.eq(0.0)));
            r.intoArray(dz, dzOff + i, m);
        }
    }

    private static void softplusBackward(int n, double[] operand, int operandOff, double[] dy, int dyOff, double[] dz,
                               int dzOff) {
        int i = 0;
        for (int bound = D.loopBound(n); i < bound; i += D.length()) {
            DoubleVector o = DoubleVector.fromArray(D, operand, operandOff + i);
            DoubleVector g = DoubleVector.fromArray(D, dy, dyOff + i);
            DoubleVector es = o.abs().neg().lanewise(VectorOperators.EXP);
            DoubleVector rs = DoubleVector.broadcast(D, 1.0).div(es.add(1.0));
            DoubleVector s = rs.blend(es.mul(rs), o.compare(VectorOperators.LT, 0.0));
            DoubleVector r = g.mul(s);
            r.intoArray(dz, dzOff + i);
        }
        if (i < n) {
            VectorMask<Double> m = D.indexInRange(i, n);
            DoubleVector o = DoubleVector.fromArray(D, operand, operandOff + i, m);
            DoubleVector g = DoubleVector.fromArray(D, dy, dyOff + i, m);
            DoubleVector es = o.abs().neg().lanewise(VectorOperators.EXP);
            DoubleVector rs = DoubleVector.broadcast(D, 1.0).div(es.add(1.0));
            DoubleVector s = rs.blend(es.mul(rs), o.compare(VectorOperators.LT, 0.0));
            DoubleVector r = g.mul(s);
            r.intoArray(dz, dzOff + i, m);
        }
    }
}
