package dev.lanewise.kernel.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Lane-wise formulas of the fused binary cross-entropy, with the guards of its scalar twin
 * ({@link dev.lanewise.kernel.scalar.ScalarMath#bceWithLogits}). The activation kernels do not call these: they
 * write their formulas out inside their loops ({@link dev.lanewise.kernel.vector.elementwise.ActivationKernels} says
 * why). {@code EXP} and {@code LOG1P} are SVML intrinsics once C2 compiles the caller, per-lane {@code Math} before.
 */
final class VectorMath {

    private VectorMath() {
    }

    static FloatVector sigmoid(FloatVector z) {
        return FloatVector.broadcast(z.species(), 1f).div(z.neg().lanewise(VectorOperators.EXP).add(1f));
    }

    /** max(z,0) − z·t + log1p(e^−|z|), with the linear term 0 where its coefficient is 0 (so ∞·0 is not NaN). */
    static FloatVector bceWithLogits(FloatVector z, FloatVector t) {
        FloatVector coef = t.neg().add(1f).blend(t.neg(), z.compare(VectorOperators.LT, 0f));
        FloatVector linear = coef.mul(z).blend(0f, coef.eq(0f));
        return linear.add(z.abs().neg().lanewise(VectorOperators.EXP).lanewise(VectorOperators.LOG1P));
    }

    static DoubleVector sigmoid(DoubleVector z) {
        return DoubleVector.broadcast(z.species(), 1.0).div(z.neg().lanewise(VectorOperators.EXP).add(1.0));
    }

    static DoubleVector bceWithLogits(DoubleVector z, DoubleVector t) {
        DoubleVector coef = t.neg().add(1.0).blend(t.neg(), z.compare(VectorOperators.LT, 0.0));
        DoubleVector linear = coef.mul(z).blend(0.0, coef.eq(0.0));
        return linear.add(z.abs().neg().lanewise(VectorOperators.EXP).lanewise(VectorOperators.LOG1P));
    }
}
