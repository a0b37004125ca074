package dev.lanewise.mlp.loss;

import dev.lanewise.kernel.Activation;
import dev.lanewise.mlp.Matrix;

/**
 * A loss L(output, target) and its gradient dL/d(output), computed together (through the fused loss kernels).
 * Implementations: {@link MeanSquaredError}, {@link BinaryCrossEntropy}, {@link SoftmaxCrossEntropy}.
 */
public interface Loss {

    /**
     * Returns L for a B × K {@code output}; if {@code grad} is non-null (same shape as the output) writes dL/d(output)
     * into it. Bad targets (wrong shape, label outside [0, K)) throw before {@code grad} is written.
     */
    double compute(Matrix output, Target target, Matrix grad);

    /**
     * The output activation this loss can fold into its gradient (sigmoid for binary cross-entropy on
     * probabilities), or {@code null}. When a model's last layer is this activation, the model calls
     * {@link #computeFromPreActivation} with the pre-activation z and skips the activation's backward pass: the
     * combined gradient (σ(z) − t)/N is exact where the chain (a − t)/(a(1 − a)) · a(1 − a) loses accuracy.
     */
    default Activation foldableActivation() {
        return null;
    }

    /** The same loss, evaluated from the pre-activation of {@link #foldableActivation()}; writes dL/dz. */
    default double computeFromPreActivation(Matrix z, Target target, Matrix gradZ) {
        throw new UnsupportedOperationException(this + " folds no activation");
    }

    /** For a single-output binary classifier: outputs at or above this value predict class 1. */
    default double decisionThreshold() {
        return 0.5;
    }

    /** Whether this loss reads class labels (rather than target values). */
    default boolean usesLabels() {
        return false;
    }
}
