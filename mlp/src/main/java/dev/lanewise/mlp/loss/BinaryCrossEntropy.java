package dev.lanewise.mlp.loss;

import dev.lanewise.kernel.Activation;
import dev.lanewise.kernel.Losses;
import dev.lanewise.mlp.DoubleMatrix;
import dev.lanewise.mlp.FloatMatrix;
import dev.lanewise.mlp.Matrix;

/**
 * Binary cross-entropy L = −Σ [t·ln a + (1 − t)·ln(1 − a)] / D (D = B·K for MEAN), targets t in [0, 1].
 *
 * <ul>
 *   <li>{@link #withLogits()} (PyTorch's BCEWithLogitsLoss): the output is the logit z, a = σ(z); computed in the
 *       stable form max(z, 0) − z·t + log1p(e^−|z|) by the fused kernel; dL/dz = (σ(z) − t)/D.</li>
 *   <li>{@link #onProbabilities()} (PyTorch's BCELoss): the output is a probability a. As in PyTorch each log is
 *       clamped at −100 (so a = 0 or 1 gives a large finite loss, not ∞) and the gradient
 *       (a − t)/max(a(1 − a), 1e-12)/D. When the model's last activation is sigmoid the model folds it in and
 *       uses the logit form instead (see {@link Loss#foldableActivation()}).</li>
 * </ul>
 */
public record BinaryCrossEntropy(boolean logits, Reduction reduction) implements Loss {
    private static final double LOG_FLOOR = -100;
    private static final double GRAD_EPS = 1e-12;

    public static BinaryCrossEntropy withLogits() {
        return new BinaryCrossEntropy(true, Reduction.MEAN);
    }

    public static BinaryCrossEntropy onProbabilities() {
        return new BinaryCrossEntropy(false, Reduction.MEAN);
    }

    @Override
    public double compute(Matrix output, Target target, Matrix grad) {
        return logits ? fromLogits(output, target, grad) : fromProbabilities(output, target, grad);
    }

    @Override
    public Activation foldableActivation() {
        return logits ? null : Activation.SIGMOID;
    }

    @Override
    public double computeFromPreActivation(Matrix z, Target target, Matrix gradZ) {
        if (logits) {
            return Loss.super.computeFromPreActivation(z, target, gradZ);
        }
        return fromLogits(z, target, gradZ);
    }

    @Override
    public double decisionThreshold() {
        return logits ? 0.0 : 0.5;
    }

    private double fromLogits(Matrix z, Target target, Matrix grad) {
        Matrix t = target.valuesFor(z);
        double d = reduction.divisor(z.rows(), z.cols());
        int n = z.size();
        double sum = switch (z) {
            case FloatMatrix f -> Losses.binaryCrossEntropyWithLogits(n, f.data(), 0, ((FloatMatrix) t).data(), 0,
                    (float) (1 / d), grad == null ? null : ((FloatMatrix) grad).data(), 0);
            case DoubleMatrix x -> Losses.binaryCrossEntropyWithLogits(n, x.data(), 0, ((DoubleMatrix) t).data(), 0,
                    1 / d, grad == null ? null : ((DoubleMatrix) grad).data(), 0);
        };
        return sum / d;
    }

    // No kernel exists for BCE on probabilities (it is rarely the right choice); a plain loop suffices.
    private double fromProbabilities(Matrix a, Target target, Matrix grad) {
        Matrix t = target.valuesFor(a);
        if (grad != null && (grad.rows() != a.rows() || grad.cols() != a.cols())) {
            throw new IllegalArgumentException("grad must be " + a.rows() + "x" + a.cols());
        }
        double d = reduction.divisor(a.rows(), a.cols());
        double sum = 0;
        for (int i = 0, n = a.size(); i < n; i++) {
            double ai = a.get(i), ti = t.get(i);
            sum -= ti * Math.max(Math.log(ai), LOG_FLOOR) + (1 - ti) * Math.max(Math.log1p(-ai), LOG_FLOOR);
            if (grad != null) {
                grad.set(i, (ai - ti) / Math.max(ai * (1 - ai), GRAD_EPS) / d);
            }
        }
        return sum / d;
    }
}
