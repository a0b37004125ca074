package dev.lanewise.kernel.vector.math;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Lane-wise formulas shared by kernels outside the activation loops (the fused binary cross-entropy): sigmoid via
 * the Vector API's {@code EXP} (an SVML intrinsic once C2 compiles the caller; per-lane {@code Math.exp} before).
 * The activation kernels write their formulas out in their loops instead (see
 * {@link dev.lanewise.kernel.vector.elementwise.ActivationKernels} for why).
 */
public final class ActivationMath {

    private ActivationMath() {
    }

    public static FloatVector sigmoid(FloatVector z) {
        return FloatVector.broadcast(z.species(), 1f).div(z.neg().lanewise(VectorOperators.EXP).add(1f));
    }

    public static DoubleVector sigmoid(DoubleVector z) {
        return DoubleVector.broadcast(z.species(), 1.0).div(z.neg().lanewise(VectorOperators.EXP).add(1.0));
    }
}
