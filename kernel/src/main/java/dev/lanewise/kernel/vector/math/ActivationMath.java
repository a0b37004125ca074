package dev.lanewise.kernel.vector.math;

import dev.lanewise.kernel.scalar.ScalarMath;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Lane-wise activation formulas, the vector twins of {@link ScalarMath} with the same guards at infinities. Each is
 * its own small method so that it inlines into the loop that calls it (a vector passed across a call that is not
 * inlined is boxed, which allocates). Backward formulas take the operand {@code Activation.backwardOperand()} names.
 *
 * <p>Transcendentals use the Vector API's {@code EXP}, {@code TANH} and {@code LOG1P} operators: on JDK 25 x86 C2
 * compiles them to SVML intrinsics; the interpreter and C1 fall back to per-lane {@code Math} calls, so results may
 * differ in the last bit between JIT tiers. Exact GELU uses {@link VectorErf}.
 */
public final class ActivationMath {
    private static final float GELU_2C_F = (float) (2 * ScalarMath.GELU_C);
    private static final float GELU_A_F = (float) ScalarMath.GELU_A;
    private static final float GELU_3A_F = (float) (3 * ScalarMath.GELU_A);
    private static final float INV_SQRT_2PI_F = (float) ScalarMath.INV_SQRT_2PI;
    private static final double GELU_2C = 2 * ScalarMath.GELU_C;
    private static final double GELU_A = ScalarMath.GELU_A;
    private static final double GELU_3A = 3 * ScalarMath.GELU_A;
    private static final double INV_SQRT_2PI = ScalarMath.INV_SQRT_2PI;

    private ActivationMath() {
    }

    // ---------------------------------------------------------------- float

    public static FloatVector sigmoid(FloatVector z) {
        return FloatVector.broadcast(z.species(), 1f).div(z.neg().lanewise(VectorOperators.EXP).add(1f));
    }

    public static FloatVector relu(FloatVector z) {
        return z.max(0f);
    }

    public static FloatVector leakyRelu(FloatVector z, float slope) {
        return z.mul(slope).blend(z, z.compare(VectorOperators.GT, 0f));
    }

    public static FloatVector tanh(FloatVector z) {
        return z.lanewise(VectorOperators.TANH);
    }

    public static FloatVector geluTanh(FloatVector z) {
        FloatVector s = sigmoid(z.mul(z).mul(GELU_A_F).fma(z, z).mul(GELU_2C_F));
        return z.mul(s).blend(0f, s.eq(0f));
    }

    public static FloatVector geluErf(FloatVector z) {
        FloatVector zc = VectorErf.clamp(z);
        FloatVector p = VectorErf.normalCdf(zc, VectorErf.expNegHalfSquare(zc));
        return z.mul(p).blend(0f, p.eq(0f));
    }

    public static FloatVector silu(FloatVector z) {
        FloatVector s = sigmoid(z);
        return z.mul(s).blend(0f, s.eq(0f));
    }

    public static FloatVector softplus(FloatVector z) {
        return z.max(0f).add(z.abs().neg().lanewise(VectorOperators.EXP).lanewise(VectorOperators.LOG1P));
    }

    /** dy where y &gt; 0, else 0 (select, so dy = ±∞ gives 0, not NaN). */
    public static FloatVector reluBackward(FloatVector y, FloatVector dy) {
        return dy.blend(0f, y.compare(VectorOperators.GT, 0f).not());
    }

    public static FloatVector leakyReluBackward(FloatVector z, FloatVector dy, float slope) {
        return dy.mul(slope).blend(dy, z.compare(VectorOperators.GT, 0f));
    }

    public static FloatVector sigmoidBackward(FloatVector y, FloatVector dy) {
        return dy.mul(y.mul(y.neg().add(1f)));
    }

    public static FloatVector tanhBackward(FloatVector y, FloatVector dy) {
        return dy.mul(y.mul(y).neg().add(1f));
    }

    public static FloatVector geluTanhBackward(FloatVector z, FloatVector dy) {
        FloatVector z2 = z.mul(z);
        FloatVector s = sigmoid(z2.mul(GELU_A_F).fma(z, z).mul(GELU_2C_F));
        FloatVector ds = s.mul(s.neg().add(1f));
        FloatVector inner = z2.fma(GELU_3A_F, 1f).mul(GELU_2C_F);
        return dy.mul(z.mul(ds).fma(inner, s).blend(s, ds.eq(0f)));
    }

    /** Φ(z) + z·φ(z); the clamped z keeps z·φ finite (φ = 0 there). */
    public static FloatVector geluErfBackward(FloatVector z, FloatVector dy) {
        FloatVector zc = VectorErf.clamp(z);
        FloatVector e = VectorErf.expNegHalfSquare(zc);
        return dy.mul(zc.mul(e).mul(INV_SQRT_2PI_F).add(VectorErf.normalCdf(zc, e)));
    }

    public static FloatVector siluBackward(FloatVector z, FloatVector dy) {
        FloatVector s = sigmoid(z);
        FloatVector ds = s.mul(s.neg().add(1f));
        return dy.mul(z.fma(ds, s).blend(s, ds.eq(0f)));
    }

    public static FloatVector softplusBackward(FloatVector z, FloatVector dy) {
        return dy.mul(sigmoid(z));
    }

    // ---------------------------------------------------------------- double

    public static DoubleVector sigmoid(DoubleVector z) {
        return DoubleVector.broadcast(z.species(), 1.0).div(z.neg().lanewise(VectorOperators.EXP).add(1.0));
    }

    public static DoubleVector relu(DoubleVector z) {
        return z.max(0.0);
    }

    public static DoubleVector leakyRelu(DoubleVector z, double slope) {
        return z.mul(slope).blend(z, z.compare(VectorOperators.GT, 0.0));
    }

    public static DoubleVector tanh(DoubleVector z) {
        return z.lanewise(VectorOperators.TANH);
    }

    public static DoubleVector geluTanh(DoubleVector z) {
        DoubleVector s = sigmoid(z.mul(z).mul(GELU_A).fma(z, z).mul(GELU_2C));
        return z.mul(s).blend(0.0, s.eq(0.0));
    }

    public static DoubleVector geluErf(DoubleVector z) {
        DoubleVector zc = VectorErf.clamp(z);
        DoubleVector p = VectorErf.normalCdf(zc, VectorErf.expNegHalfSquare(zc));
        return z.mul(p).blend(0.0, p.eq(0.0));
    }

    public static DoubleVector silu(DoubleVector z) {
        DoubleVector s = sigmoid(z);
        return z.mul(s).blend(0.0, s.eq(0.0));
    }

    public static DoubleVector softplus(DoubleVector z) {
        return z.max(0.0).add(z.abs().neg().lanewise(VectorOperators.EXP).lanewise(VectorOperators.LOG1P));
    }

    /** dy where y &gt; 0, else 0 (select, so dy = ±∞ gives 0, not NaN). */
    public static DoubleVector reluBackward(DoubleVector y, DoubleVector dy) {
        return dy.blend(0.0, y.compare(VectorOperators.GT, 0.0).not());
    }

    public static DoubleVector leakyReluBackward(DoubleVector z, DoubleVector dy, double slope) {
        return dy.mul(slope).blend(dy, z.compare(VectorOperators.GT, 0.0));
    }

    public static DoubleVector sigmoidBackward(DoubleVector y, DoubleVector dy) {
        return dy.mul(y.mul(y.neg().add(1.0)));
    }

    public static DoubleVector tanhBackward(DoubleVector y, DoubleVector dy) {
        return dy.mul(y.mul(y).neg().add(1.0));
    }

    public static DoubleVector geluTanhBackward(DoubleVector z, DoubleVector dy) {
        DoubleVector z2 = z.mul(z);
        DoubleVector s = sigmoid(z2.mul(GELU_A).fma(z, z).mul(GELU_2C));
        DoubleVector ds = s.mul(s.neg().add(1.0));
        DoubleVector inner = z2.fma(GELU_3A, 1.0).mul(GELU_2C);
        return dy.mul(z.mul(ds).fma(inner, s).blend(s, ds.eq(0.0)));
    }

    /** Φ(z) + z·φ(z); the clamped z keeps z·φ finite (φ = 0 there). */
    public static DoubleVector geluErfBackward(DoubleVector z, DoubleVector dy) {
        DoubleVector zc = VectorErf.clamp(z);
        DoubleVector e = VectorErf.expNegHalfSquare(zc);
        return dy.mul(zc.mul(e).mul(INV_SQRT_2PI).add(VectorErf.normalCdf(zc, e)));
    }

    public static DoubleVector siluBackward(DoubleVector z, DoubleVector dy) {
        DoubleVector s = sigmoid(z);
        DoubleVector ds = s.mul(s.neg().add(1.0));
        return dy.mul(z.fma(ds, s).blend(s, ds.eq(0.0)));
    }

    public static DoubleVector softplusBackward(DoubleVector z, DoubleVector dy) {
        return dy.mul(sigmoid(z));
    }
}
