package dev.lanewise.mlp;

import dev.lanewise.mlp.optim.Sgd;

import java.util.List;

import static dev.lanewise.kernel.Transpose.NONE;
import static dev.lanewise.kernel.Transpose.TRANSPOSE;

/**
 * A fully connected layer z = x·W + b, batch rows: x is B × in, W is in × out (row-major, W[i][j] connects input i
 * to unit j), b is 1 × out, z is B × out.
 *
 * <p>{@link #forward} and {@link #backward} are the textbook pair. When an {@link ActivationLayer} follows, {@link Mlp}
 * uses {@link #forwardWithActivation} and {@link #backwardWithActivation} instead: an optimisation that computes the
 * same values (up to rounding) with fewer passes over memory, through the kernel module's fused kernels.
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
        return backward(dZ, needInputGradient, null, 0);
    }

    /**
     * As {@link #backward(Matrix, boolean)}; with an {@code update}, that optimizer's step for this layer is taken in
     * the same pass instead of storing dW: the weight gradient xᵀ·dZ goes straight into the update
     * ({@link Sgd#stepFromGradientProduct}: for plain SGD one GEMM over W with alpha = −lr and beta = 1, where storing
     * dW and stepping from it reads and writes both), then the bias steps from the stored db (see {@link Mlp#step}).
     * {@code weightIndex} is W's index among the optimizer's parameters, b's the next; dW keeps whatever it held.
     */
    Matrix backward(Matrix dZ, boolean needInputGradient, Sgd update, int weightIndex) {
        bias.grad().columnSumsOf(dZ, 0);
        return weightAndInputGradients(dZ, needInputGradient, update, weightIndex);
    }

    /** dX = dZ·Wᵀ if needed (else null), then dW = xᵀ·dZ, or with an update W and b stepped in place. */
    private Matrix weightAndInputGradients(Matrix dZ, boolean needInputGradient, Sgd update, int weightIndex) {
        Matrix dX = null;
        if (needInputGradient) {
            // Before the update: dX is taken with the W of the forward pass.
            inputGradient.setRows(dZ.rows());
            inputGradient.gemm(NONE, TRANSPOSE, 1, dZ, weight.value(), 0);
            dX = inputGradient;
        }
        if (update != null) {
            update.stepFromGradientProduct(weightIndex, cachedInput, dZ);
            update.stepParameter(weightIndex + 1);
        } else {
            weight.grad().gemm(TRANSPOSE, NONE, 1, cachedInput, dZ, 0);
        }
        return dX;
    }

    // ---- Fused with the activation layer that follows (an optimisation; Mlp uses it for every Dense directly
    //      followed by an ActivationLayer). Same values as forward/backward of the two layers, up to rounding.

    /**
     * {@code next.forward(forward(x))} in one GEMM: the epilogue of z = x·W adds b, stores z in this layer's output
     * buffer ({@link #output()}, the forward cache of activations whose f′ reads z) and writes a = f(z) into the
     * activation layer's output buffer, tile by tile while the product is in cache, instead of three passes (bias
     * broadcast, GEMM, activation). Returns a.
     */
    Matrix forwardWithActivation(Matrix x, ActivationLayer next) {
        output.setRows(x.rows());
        Matrix a = next.outputForBatch(x.rows());
        a.gemmBiasActivation(NONE, NONE, x, weight.value(), bias.value(), next.activation(), output);
        cachedInput = x;
        next.cacheFusedForward(output);
        return a;
    }

    /**
     * {@code backward(next.backward(dA))} with one pass fewer: the activation layer computes dZ = dA ⊙ f′ and this
     * layer's db = column sums of dZ together ({@link ActivationLayer#backwardWithBiasGradient}); then dW = xᵀ·dZ and
     * dX = dZ·Wᵀ as in {@link #backward} (with an {@code update}, its step in place of dW, as there). Returns dX
     * (null if not needed); dZ stays in the activation layer's input gradient buffer
     * ({@link ActivationLayer#inputGradient()}).
     */
    Matrix backwardWithActivation(Matrix dA, ActivationLayer next, boolean needInputGradient, Sgd update,
                                  int weightIndex) {
        Matrix dZ = next.backwardWithBiasGradient(dA, bias.grad());
        return weightAndInputGradients(dZ, needInputGradient, update, weightIndex);
    }

    /** This layer's output buffer: z of the last forward pass, fused or not. */
    Matrix output() {
        return output;
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
