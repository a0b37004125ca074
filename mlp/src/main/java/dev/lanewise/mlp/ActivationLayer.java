package dev.lanewise.mlp;

import dev.lanewise.kernel.Activation;

import java.util.List;

/**
 * An elementwise activation a = f(z) for any {@link Activation} of the kernel module. The backward pass needs f′,
 * which the kernel computes from z or from a ({@link Activation#backwardOperand()}): the forward cache holds exactly
 * that operand.
 */
public final class ActivationLayer implements Layer {
    private final Activation activation;
    private final int width;
    private final Matrix output;
    private final Matrix inputGradient;

    // Forward cache: z or a, whichever the kernel's f′ reads.
    private Matrix cachedOperand;

    public ActivationLayer(Precision precision, Activation activation, int width) {
        this.activation = activation;
        this.width = width;
        output = precision.zeros(0, width);
        inputGradient = precision.zeros(0, width);
    }

    public Activation activation() {
        return activation;
    }

    @Override
    public int inputWidth() {
        return width;
    }

    @Override
    public int outputWidth() {
        return width;
    }

    /** a = f(z). */
    @Override
    public Matrix forward(Matrix z) {
        output.setRows(z.rows());
        output.activate(activation, z);
        cachedOperand = activation.backwardOperand() == Activation.Operand.INPUT ? z : output;
        return output;
    }

    /** dZ = dA ⊙ f′(z). */
    @Override
    public Matrix backward(Matrix dA, boolean needInputGradient) {
        inputGradient.setRows(dA.rows());
        inputGradient.activationGradient(activation, cachedOperand, dA);
        return inputGradient;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of();
    }

    @Override
    public String toString() {
        return activation.toString();
    }
}
