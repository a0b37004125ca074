package dev.lanewise.mlp.train;

/**
 * Thrown when a training step's loss is NaN or infinite (diverging learning rate, exploding gradients). It is
 * detected before the optimizer applies that step, so the model keeps the parameters of the last finite step.
 */
public final class TrainingDivergedException extends ArithmeticException {
    private static final long serialVersionUID = 1L;

    private final int epoch;
    private final long step;
    private final double loss;

    public TrainingDivergedException(int epoch, long step, double loss) {
        super("training diverged: loss " + loss + " at epoch " + epoch + ", step " + step
                + " (the parameters are those before this step; lower the learning rate or check the data)");
        this.epoch = epoch;
        this.step = step;
        this.loss = loss;
    }

    public int epoch() {
        return epoch;
    }

    public long step() {
        return step;
    }

    public double loss() {
        return loss;
    }
}
