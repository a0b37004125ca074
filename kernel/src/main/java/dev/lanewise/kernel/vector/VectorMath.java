package dev.lanewise.kernel.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Lane-wise formulas of the double fused binary cross-entropy, with the guards of its scalar twin
 * ({@link dev.lanewise.kernel.scalar.ScalarMath#bceWithLogits}); the float one is generated with the activation
 * kernels ({@link dev.lanewise.kernel.vector.elementwise.ActivationKernels#bceWithLogits}), which write their
 * formulas out inside their loops (that class says why). {@code EXP} and {@code LOG1P} are SVML intrinsics once C2
 * compiles the caller, per-lane {@code Math} before.
 */
final class VectorMath {

    private VectorMath() {
    }

    static DoubleVector sigmoid(DoubleVector z) {
        return DoubleVector.broadcast(z.species(), 1.0).div(z.neg().lanewise(VectorOperators.EXP).add(1.0));
    }

    /** max(z,0) − z·t + log1p(e^−|z|), with the linear term 0 where its coefficient is 0 (so ∞·0 is not NaN). */
    static DoubleVector bceWithLogits(DoubleVector z, DoubleVector t) {
        DoubleVector coef = t.neg().add(1.0).blend(t.neg(), z.compare(VectorOperators.LT, 0.0));
        DoubleVector linear = coef.mul(z).blend(0.0, coef.eq(0.0));
        return linear.add(z.abs().neg().lanewise(VectorOperators.EXP).lanewise(VectorOperators.LOG1P));
    }
}
