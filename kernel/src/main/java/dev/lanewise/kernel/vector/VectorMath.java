package dev.lanewise.kernel.vector;

import dev.lanewise.kernel.Activation;
import dev.lanewise.kernel.scalar.ScalarMath;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Lane-wise activation formulas, the vector twins of {@link ScalarMath} with the same guards at infinities.
 * Transcendentals use the Vector API's {@code EXP}, {@code TANH} and {@code LOG1P} operators: on JDK 25 x86 C2
 * compiles them to SVML intrinsics; the interpreter and C1 fall back to per-lane {@code Math} calls, so results may
 * differ in the last bit between JIT tiers.
 */
final class VectorMath {
    private static final float GELU_2C_F = (float) (2 * ScalarMath.GELU_C);
    private static final float GELU_3A_F = (float) (3 * ScalarMath.GELU_A);
    // The GELU tanh-approximation argument w = K1·z + K2·z³ with K1 = 2c, K2 = 2c·a as float hi + lo pairs.
    private static final double K1 = 2 * ScalarMath.GELU_C;
    private static final double K2 = 2 * ScalarMath.GELU_C * ScalarMath.GELU_A;
    private static final float K1_HI = (float) K1;
    private static final float K1_LO = (float) (K1 - K1_HI);
    private static final float K2_HI = (float) K2;
    private static final float K2_LO = (float) (K2 - K2_HI);
    private static final double GELU_2C = 2 * ScalarMath.GELU_C;
    private static final double GELU_A = ScalarMath.GELU_A;

    private VectorMath() {
    }

    /** GELU_ERF has no lane-wise erf yet: {@link VectorProvider} routes it to the scalar twin before reaching here. */
    private static IllegalStateException notVectorized() {
        return new IllegalStateException("GELU_ERF is evaluated by the scalar twin, not lane-wise");
    }

    // ---------------------------------------------------------------- float

    static FloatVector sigmoid(FloatVector z) {
        return FloatVector.broadcast(z.species(), 1f).div(z.neg().lanewise(VectorOperators.EXP).add(1f));
    }

    /**
     * sigmoid(w) for the GELU argument w = K1·z + K2·z³. sigmoid(w) has condition number |w|·(1 − s) in w, up to 88:
     * a w rounded in float (plus the float-rounded constants) cost 14 ULP at z = −3.4. So w is formed as an
     * unevaluated float pair wh + wl (error-free products and sums via fma) and e^{−w} = e^{−wh}·(1 − wl).
     */
    static FloatVector geluTanhSigmoid(FloatVector input) {
        // |z| <= 20 keeps the error-free parts finite (z = ±∞ would make them NaN); s is exactly 0 or 1 beyond 11.
        FloatVector z = input.max(-20f).min(20f);
        FloatVector z2 = z.mul(z);
        FloatVector z2Lo = z.fma(z, z2.neg());
        FloatVector a = z2.mul(K2_HI);
        FloatVector aLo = z2.fma(FloatVector.broadcast(z.species(), K2_HI), a.neg()).add(z2Lo.mul(K2_HI)).add(z2.mul(K2_LO));
        FloatVector t = a.add(K1_HI);
        FloatVector bb = t.sub(K1_HI);
        FloatVector tLo = t.sub(bb).neg().add(K1_HI).add(a.sub(bb)).add(aLo).add(K1_LO);
        FloatVector w = z.mul(t);
        FloatVector wLo = z.fma(t, w.neg()).add(z.mul(tLo));
        FloatVector e = w.neg().lanewise(VectorOperators.EXP);
        e = e.fma(wLo.neg(), e).blend(e, e.test(VectorOperators.IS_INFINITE));
        return FloatVector.broadcast(z.species(), 1f).div(e.add(1f));
    }

    static FloatVector forward(Activation.Function f, float slope, FloatVector z) {
        return switch (f) {
            case IDENTITY -> z;
            case GELU_ERF -> throw notVectorized();
            case RELU -> relu(z);
            case LEAKY_RELU -> leakyRelu(z, slope);
            case SIGMOID -> sigmoid(z);
            case TANH -> tanh(z);
            case GELU_TANH -> geluTanh(z);
            case SILU -> silu(z);
            case SOFTPLUS -> softplus(z);
        };
    }

    // One small method per function, so that VectorProvider's per-function loops inline them (see its comment).

    static FloatVector relu(FloatVector z) {
        return z.max(0f);
    }

    static FloatVector leakyRelu(FloatVector z, float slope) {
        return z.mul(slope).blend(z, z.compare(VectorOperators.GT, 0f));
    }

    static FloatVector tanh(FloatVector z) {
        return z.lanewise(VectorOperators.TANH);
    }

    static FloatVector geluTanh(FloatVector z) {
        FloatVector s = geluTanhSigmoid(z);
        return z.mul(s).blend(0f, s.eq(0f));
    }

    static FloatVector silu(FloatVector z) {
        FloatVector s = sigmoid(z);
        return z.mul(s).blend(0f, s.eq(0f));
    }

    static FloatVector softplus(FloatVector z) {
        return z.max(0f).add(z.abs().neg().lanewise(VectorOperators.EXP).lanewise(VectorOperators.LOG1P));
    }

    static FloatVector backward(Activation.Function f, float slope, FloatVector operand, FloatVector dy) {
        return switch (f) {
            case IDENTITY -> dy;
            case GELU_ERF -> throw notVectorized();
            case RELU -> reluBackward(operand, dy);
            case LEAKY_RELU -> leakyReluBackward(operand, dy, slope);
            case SIGMOID -> sigmoidBackward(operand, dy);
            case TANH -> tanhBackward(operand, dy);
            case GELU_TANH -> geluTanhBackward(operand, dy);
            case SILU -> siluBackward(operand, dy);
            case SOFTPLUS -> softplusBackward(operand, dy);
        };
    }

    static FloatVector reluBackward(FloatVector z, FloatVector dy) {
        return dy.blend(0f, z.compare(VectorOperators.GT, 0f).not());
    }

    static FloatVector leakyReluBackward(FloatVector z, FloatVector dy, float slope) {
        return dy.mul(slope).blend(dy, z.compare(VectorOperators.GT, 0f));
    }

    static FloatVector sigmoidBackward(FloatVector y, FloatVector dy) {
        return dy.mul(y.mul(y.neg().add(1f)));
    }

    static FloatVector tanhBackward(FloatVector y, FloatVector dy) {
        return dy.mul(y.mul(y).neg().add(1f));
    }

    static FloatVector geluTanhBackward(FloatVector z, FloatVector dy) {
        FloatVector z2 = z.mul(z);
        FloatVector s = geluTanhSigmoid(z);
        FloatVector ds = s.mul(s.neg().add(1f));
        FloatVector inner = z2.fma(GELU_3A_F, 1f).mul(GELU_2C_F);
        FloatVector d = z.mul(ds).fma(inner, s).blend(s, ds.eq(0f));
        return dy.mul(d);
    }

    static FloatVector siluBackward(FloatVector z, FloatVector dy) {
        FloatVector s = sigmoid(z);
        FloatVector ds = s.mul(s.neg().add(1f));
        return dy.mul(z.fma(ds, s).blend(s, ds.eq(0f)));
    }

    static FloatVector softplusBackward(FloatVector z, FloatVector dy) {
        return dy.mul(sigmoid(z));
    }

    /** max(z,0) − z·t + log1p(e^−|z|), with the linear term 0 where its coefficient is 0 (so ∞·0 is not NaN). */
    static FloatVector bceWithLogits(FloatVector z, FloatVector t) {
        FloatVector coef = t.neg().add(1f).blend(t.neg(), z.compare(VectorOperators.LT, 0f));
        FloatVector linear = coef.mul(z).blend(0f, coef.eq(0f));
        return linear.add(z.abs().neg().lanewise(VectorOperators.EXP).lanewise(VectorOperators.LOG1P));
    }

    // ---------------------------------------------------------------- double

    static DoubleVector sigmoid(DoubleVector z) {
        return DoubleVector.broadcast(z.species(), 1.0).div(z.neg().lanewise(VectorOperators.EXP).add(1.0));
    }

    static DoubleVector forward(Activation.Function f, double slope, DoubleVector z) {
        return switch (f) {
            case IDENTITY -> z;
            case GELU_ERF -> throw notVectorized();
            case RELU -> relu(z);
            case LEAKY_RELU -> leakyRelu(z, slope);
            case SIGMOID -> sigmoid(z);
            case TANH -> tanh(z);
            case GELU_TANH -> geluTanh(z);
            case SILU -> silu(z);
            case SOFTPLUS -> softplus(z);
        };
    }

    static DoubleVector relu(DoubleVector z) {
        return z.max(0.0);
    }

    static DoubleVector leakyRelu(DoubleVector z, double slope) {
        return z.mul(slope).blend(z, z.compare(VectorOperators.GT, 0.0));
    }

    static DoubleVector tanh(DoubleVector z) {
        return z.lanewise(VectorOperators.TANH);
    }

    static DoubleVector geluTanh(DoubleVector z) {
        DoubleVector s = sigmoid(z.mul(z).mul(GELU_A).fma(z, z).mul(GELU_2C));
        return z.mul(s).blend(0.0, s.eq(0.0));
    }

    static DoubleVector silu(DoubleVector z) {
        DoubleVector s = sigmoid(z);
        return z.mul(s).blend(0.0, s.eq(0.0));
    }

    static DoubleVector softplus(DoubleVector z) {
        return z.max(0.0).add(z.abs().neg().lanewise(VectorOperators.EXP).lanewise(VectorOperators.LOG1P));
    }

    static DoubleVector backward(Activation.Function f, double slope, DoubleVector operand, DoubleVector dy) {
        return switch (f) {
            case IDENTITY -> dy;
            case GELU_ERF -> throw notVectorized();
            case RELU -> reluBackward(operand, dy);
            case LEAKY_RELU -> leakyReluBackward(operand, dy, slope);
            case SIGMOID -> sigmoidBackward(operand, dy);
            case TANH -> tanhBackward(operand, dy);
            case GELU_TANH -> geluTanhBackward(operand, dy);
            case SILU -> siluBackward(operand, dy);
            case SOFTPLUS -> softplusBackward(operand, dy);
        };
    }

    static DoubleVector reluBackward(DoubleVector z, DoubleVector dy) {
        return dy.blend(0.0, z.compare(VectorOperators.GT, 0.0).not());
    }

    static DoubleVector leakyReluBackward(DoubleVector z, DoubleVector dy, double slope) {
        return dy.mul(slope).blend(dy, z.compare(VectorOperators.GT, 0.0));
    }

    static DoubleVector sigmoidBackward(DoubleVector y, DoubleVector dy) {
        return dy.mul(y.mul(y.neg().add(1.0)));
    }

    static DoubleVector tanhBackward(DoubleVector y, DoubleVector dy) {
        return dy.mul(y.mul(y).neg().add(1.0));
    }

    static DoubleVector geluTanhBackward(DoubleVector z, DoubleVector dy) {
        DoubleVector z2 = z.mul(z);
        DoubleVector s = sigmoid(z2.mul(GELU_A).fma(z, z).mul(GELU_2C));
        DoubleVector ds = s.mul(s.neg().add(1.0));
        DoubleVector inner = z2.fma(3 * GELU_A, 1.0).mul(GELU_2C);
        DoubleVector d = z.mul(ds).fma(inner, s).blend(s, ds.eq(0.0));
        return dy.mul(d);
    }

    static DoubleVector siluBackward(DoubleVector z, DoubleVector dy) {
        DoubleVector s = sigmoid(z);
        DoubleVector ds = s.mul(s.neg().add(1.0));
        return dy.mul(z.fma(ds, s).blend(s, ds.eq(0.0)));
    }

    static DoubleVector softplusBackward(DoubleVector z, DoubleVector dy) {
        return dy.mul(sigmoid(z));
    }

    static DoubleVector bceWithLogits(DoubleVector z, DoubleVector t) {
        DoubleVector coef = t.neg().add(1.0).blend(t.neg(), z.compare(VectorOperators.LT, 0.0));
        DoubleVector linear = coef.mul(z).blend(0.0, coef.eq(0.0));
        return linear.add(z.abs().neg().lanewise(VectorOperators.EXP).lanewise(VectorOperators.LOG1P));
    }
}
