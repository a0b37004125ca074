package dev.lanewise.mlp.optim;

import dev.lanewise.mlp.Parameter;

import java.util.List;

/**
 * Updates parameters from their gradients. State (momentum buffers, Adam moments) is allocated when the optimizer
 * is made, so {@link #step()} allocates nothing.
 */
public interface Optimizer {
    /** One update of every parameter from its current gradient. */
    void step();

    /** The parameters this optimizer updates. */
    List<Parameter> parameters();

    double learningRate();

    /** Changes the learning rate for later steps (for schedules). */
    void learningRate(double lr);

    /** Checks a hyper-parameter: finite and within [min, max]. */
    static double check(String name, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], got " + value);
        }
        return value;
    }
}
