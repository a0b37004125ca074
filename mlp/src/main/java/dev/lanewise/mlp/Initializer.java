package dev.lanewise.mlp;

import java.util.random.RandomGenerator;

/**
 * Weight initialisation schemes, with PyTorch's formulas ({@code torch.nn.init}); biases start at 0. fan_in and
 * fan_out are the rows and columns of W (in × out). Draws come from the caller's seeded generator in row-major
 * order, so a seed reproduces a model exactly.
 */
public enum Initializer {
    /** Glorot/Xavier uniform, gain 1: U(−a, a) with a = √(6 / (fan_in + fan_out)). For sigmoid and tanh. */
    XAVIER_UNIFORM,
    /** Glorot/Xavier normal, gain 1: N(0, 2 / (fan_in + fan_out)). */
    XAVIER_NORMAL,
    /** He/Kaiming normal for ReLU (fan_in mode, gain √2): N(0, 2 / fan_in). */
    HE_NORMAL,
    /** He/Kaiming uniform for ReLU (fan_in mode, gain √2): U(−b, b) with b = √(6 / fan_in). */
    HE_UNIFORM;

    /** Fills the in × out matrix {@code w} with draws from {@code random}. */
    public void fill(Matrix w, RandomGenerator random) {
        int fanIn = w.rows(), fanOut = w.cols();
        double scale = switch (this) {
            case XAVIER_UNIFORM -> Math.sqrt(6.0 / (fanIn + fanOut));
            case XAVIER_NORMAL -> Math.sqrt(2.0 / (fanIn + fanOut));
            case HE_NORMAL -> Math.sqrt(2.0 / fanIn);
            case HE_UNIFORM -> Math.sqrt(6.0 / fanIn);
        };
        boolean normal = this == XAVIER_NORMAL || this == HE_NORMAL;
        for (int i = 0, n = w.size(); i < n; i++) {
            w.set(i, normal ? scale * random.nextGaussian() : random.nextDouble(-scale, scale));
        }
    }
}
