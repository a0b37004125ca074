package dev.lanewise.mlp;

import dev.lanewise.kernel.Activation;

import java.util.List;

/**
 * An elementwise activation a = f(z) for any {@link Activation} of the kernel module. The backward pass needs f′,
 * which the kernel computes from z or from a ({@link Activation#backwardOperand()}): the forward cache holds exactly
 * that operand.
 *
 * <p>Directly after a {@link Dense} layer, {@link Mlp} runs the pair fused (see {@link Dense#forwardWithActivation}
 * and {@link Dense#backwardWithActivation}): the same computations, with this layer's kernel calls merged into the
 * dense layer's. The package-private methods at the end are this layer's half of that optimisation; {@link #forward}
 * and {@link #backward} are the textbook definition.
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

    // ---- Fused with the preceding Dense layer (an optimisation; results equal forward/backward up to rounding).

    /** The output buffer sized for a batch of {@code rows}: the fused GEMM writes a = f(z) into it. */
    Matrix outputForBatch(int rows) {
        output.setRows(rows);
        return output;
    }

    /** What {@link #forward} caches, once the fused GEMM has written z (into {@code z}) and a (into the output). */
    void cacheFusedForward(Matrix z) {
        cachedOperand = activation.backwardOperand() == Activation.Operand.INPUT ? z : output;
    }

    /**
     * {@link #backward}, dZ = dA ⊙ f′, and in the same pass over dZ the bias gradient of the dense layer before this
     * one: {@code biasGradient} (1 × width) = column sums of dZ.
     */
    Matrix backwardWithBiasGradient(Matrix dA, Matrix biasGradient) {
        inputGradient.setRows(dA.rows());
        inputGradient.activationGradientWithColumnSums(activation, cachedOperand, dA, biasGradient);
        return inputGradient;
    }

    /** This layer's input-gradient buffer: dZ of the last backward pass, fused or not. */
    Matrix inputGradient() {
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
