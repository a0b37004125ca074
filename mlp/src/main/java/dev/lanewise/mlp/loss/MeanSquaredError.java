package dev.lanewise.mlp.loss;

import dev.lanewise.kernel.Losses;
import dev.lanewise.mlp.DoubleMatrix;
import dev.lanewise.mlp.FloatMatrix;
import dev.lanewise.mlp.Matrix;

/**
 * Half squared error L = ½ Σ (a − t)² / D with D from the {@link Reduction} (B·K for MEAN), so dL/da = (a − t)/D.
 * (PyTorch's MSELoss has no ½; its gradient is twice this one.)
 */
public record MeanSquaredError(Reduction reduction) implements Loss {

    /** Mean over all elements. */
    public MeanSquaredError() {
        this(Reduction.MEAN);
    }

    @Override
    public double compute(Matrix output, Target target, Matrix grad) {
        Matrix t = target.valuesFor(output);
        double d = reduction.divisor(output.rows(), output.cols());
        int n = output.size();
        double sum = switch (output) {
            case FloatMatrix f -> Losses.squaredError(n, f.data(), 0, ((FloatMatrix) t).data(), 0, (float) (1 / d),
                    grad == null ? null : ((FloatMatrix) grad).data(), 0);
            case DoubleMatrix x -> Losses.squaredError(n, x.data(), 0, ((DoubleMatrix) t).data(), 0, 1 / d,
                    grad == null ? null : ((DoubleMatrix) grad).data(), 0);
        };
        return 0.5 * sum / d;
    }
}
