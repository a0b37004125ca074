package dev.lanewise.kernel.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Lane-wise binary cross-entropy from logits, the vector twin of
 * {@link dev.lanewise.kernel.scalar.ScalarMath#bceWithLogits}. The activation formulas live in
 * {@link dev.lanewise.kernel.vector.math.ActivationMath}.
 */
final class VectorMath {
    private VectorMath() {
    }

    /** max(z,0) − z·t + log1p(e^−|z|), with the linear term 0 where its coefficient is 0 (so ∞·0 is not NaN). */
    static FloatVector bceWithLogits(FloatVector z, FloatVector t) {
        FloatVector coef = t.neg().add(1f).blend(t.neg(), z.compare(VectorOperators.LT, 0f));
        FloatVector linear = coef.mul(z).blend(0f, coef.eq(0f));
        return linear.add(z.abs().neg().lanewise(VectorOperators.EXP).lanewise(VectorOperators.LOG1P));
    }

    static DoubleVector bceWithLogits(DoubleVector z, DoubleVector t) {
        DoubleVector coef = t.neg().add(1.0).blend(t.neg(), z.compare(VectorOperators.LT, 0.0));
        DoubleVector linear = coef.mul(z).blend(0.0, coef.eq(0.0));
        return linear.add(z.abs().neg().lanewise(VectorOperators.EXP).lanewise(VectorOperators.LOG1P));
    }
}
