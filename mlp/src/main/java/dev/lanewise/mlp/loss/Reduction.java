package dev.lanewise.mlp.loss;

/** How per-element losses are combined into one number, as PyTorch's {@code reduction} argument. */
public enum Reduction {
    /**
     * The mean of the per-element losses PyTorch computes: over all B·K elements for MSE and binary cross-entropy,
     * over the B samples for softmax cross-entropy (which has one loss per sample). PyTorch's default.
     */
    MEAN,
    /** The plain sum. */
    SUM,
    /** The sum divided by the batch size B only (per-sample loss summed over outputs, then averaged). */
    BATCH_MEAN;

    /** The divisor for a batch of {@code batch} samples with {@code elementsPerSample} loss terms each. */
    double divisor(int batch, int elementsPerSample) {
        return switch (this) {
            case MEAN -> (double) batch * elementsPerSample;
            case SUM -> 1.0;
            case BATCH_MEAN -> batch;
        };
    }
}
