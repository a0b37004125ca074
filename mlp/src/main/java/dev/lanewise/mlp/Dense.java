package dev.lanewise.mlp;

import java.util.List;

import static dev.lanewise.kernel.Transpose.NONE;
import static dev.lanewise.kernel.Transpose.TRANSPOSE;

/**
 * A fully connected layer z = x·W + b, batch rows: x is B × in, W is in × out (row-major, W[i][j] connects input i
 * to unit j), b is 1 × out, z is B × out.
 */
public final class Dense implements Layer {
    private final Parameter weight;
    private final Parameter bias;
    private final Matrix output;
    private final Matrix inputGradient;

    // Forward cache: the batch this layer saw last (the previous layer's buffer, not a copy).
    private Matrix cachedInput;

    public Dense(Precision precision, int in, int out, String name) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("dense layer widths must be >= 1, got " + in + " -> " + out);
        }
        weight = Parameter.zeros(name + ".W", precision, in, out);
        bias = Parameter.zeros(name + ".b", precision, 1, out);
        output = precision.zeros(0, out);
        inputGradient = precision.zeros(0, in);
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    @Override
    public int inputWidth() {
        return weight.value().rows();
    }

    @Override
    public int outputWidth() {
        return weight.value().cols();
    }

    /** z = x·W + b. */
    @Override
    public Matrix forward(Matrix x) {
        output.setRows(x.rows());
        output.broadcastRows(bias.value());                 // z = b
        output.gemm(NONE, NONE, 1, x, weight.value(), 1);   // z += x·W
        cachedInput = x;
        return output;
    }

    /** dW = xᵀ·dZ, db = column sums of dZ, dX = dZ·Wᵀ. */
    @Override
    public Matrix backward(Matrix dZ, boolean needInputGradient) {
        weight.grad().gemm(TRANSPOSE, NONE, 1, cachedInput, dZ, 0);
        bias.grad().columnSumsOf(dZ, 0);
        if (!needInputGradient) {
            return null;
        }
        inputGradient.setRows(dZ.rows());
        inputGradient.gemm(NONE, TRANSPOSE, 1, dZ, weight.value(), 0);
        return inputGradient;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(weight, bias);
    }

    @Override
    public String toString() {
        return "Dense(" + inputWidth() + " -> " + outputWidth() + ")";
    }
}
