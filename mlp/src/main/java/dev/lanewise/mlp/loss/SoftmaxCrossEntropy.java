package dev.lanewise.mlp.loss;

import dev.lanewise.kernel.Losses;
import dev.lanewise.mlp.DoubleMatrix;
import dev.lanewise.mlp.FloatMatrix;
import dev.lanewise.mlp.Matrix;

/**
 * Softmax cross-entropy on logits (the model's last layer is linear): L = −Σₙ ln softmax(zₙ)[labelₙ] / D, D = B for
 * MEAN and BATCH_MEAN (one loss per sample, as PyTorch's CrossEntropyLoss), 1 for SUM; dL/dz = (p − y)/D. Targets
 * are integer labels or target distributions (e.g. one-hot), computed in log-sum-exp form by the fused kernel.
 */
public record SoftmaxCrossEntropy(Reduction reduction) implements Loss {

    public SoftmaxCrossEntropy() {
        this(Reduction.MEAN);
    }

    @Override
    public double compute(Matrix z, Target target, Matrix grad) {
        int m = z.rows(), n = z.cols();
        double d = reduction.divisor(m, 1);
        double sum;
        if (target.hasLabels()) {
            int[] labels = target.labels(m);
            sum = switch (z) {
                case FloatMatrix f -> Losses.softmaxCrossEntropy(m, n, f.data(), 0, n, labels, 0, (float) (1 / d),
                        grad == null ? null : ((FloatMatrix) grad).data(), 0, n);
                case DoubleMatrix x -> Losses.softmaxCrossEntropy(m, n, x.data(), 0, n, labels, 0, 1 / d,
                        grad == null ? null : ((DoubleMatrix) grad).data(), 0, n);
            };
        } else {
            Matrix t = target.valuesFor(z);
            sum = switch (z) {
                case FloatMatrix f -> Losses.softmaxCrossEntropy(m, n, f.data(), 0, n, ((FloatMatrix) t).data(), 0, n,
                        (float) (1 / d), grad == null ? null : ((FloatMatrix) grad).data(), 0, n);
                case DoubleMatrix x -> Losses.softmaxCrossEntropy(m, n, x.data(), 0, n, ((DoubleMatrix) t).data(), 0,
                        n, 1 / d, grad == null ? null : ((DoubleMatrix) grad).data(), 0, n);
            };
        }
        return sum / d;
    }

    @Override
    public boolean usesLabels() {
        return true;
    }
}
