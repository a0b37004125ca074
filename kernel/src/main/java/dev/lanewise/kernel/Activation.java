package dev.lanewise.kernel;

import dev.lanewise.kernel.spi.KernelProvider;
import dev.lanewise.kernel.spi.Providers;

import java.util.Objects;

/**
 * An elementwise activation function y = f(z) and its gradient kernel dz = dy ⊙ f′(z).
 *
 * <p>All kernels work on {@code n} contiguous elements starting at an offset. Outputs may be the same array at the
 * same offset as an input (in-place); partially overlapping ranges are not supported and give unspecified results.
 *
 * <p>The backward kernel reads either the pre-activation z or the output y, whichever makes f′ cheaper, as
 * {@link #backwardOperand()} says: sigmoid′ = y(1 − y) and tanh′ = 1 − y² need only y, so a layer can run the
 * forward pass in place. ReLU uses the subgradient 0 at z = 0 (so relu′(0) = 0, as PyTorch does).
 *
 * <p>NaN propagates through every function; ±∞ saturates (sigmoid(+∞) = 1, sigmoid(−∞) = 0, tanh(±∞) = ±1).
 * Signed zeros: tanh(±0) = ±0; GELU (both forms) and SiLU give −0 at −∞ and wherever their gate underflows to 0
 * (the limit from below), the same bits from the vector lanes and the scalar twin.
 */
public final class Activation {

    /** The function family. */
    public enum Function {
        /** f(z) = z. */
        IDENTITY,
        /** f(z) = max(0, z); f′(0) = 0. */
        RELU,
        /** f(z) = z for z &gt; 0, else slope·z; f′(0) = slope. */
        LEAKY_RELU,
        /** f(z) = 1 / (1 + e^−z). */
        SIGMOID,
        /** f(z) = tanh z. */
        TANH,
        /** GELU, tanh approximation: f(z) = ½z(1 + tanh(√(2/π)(z + 0.044715 z³))). */
        GELU_TANH,
        /**
         * GELU, exact form: f(z) = z·Φ(z) = ½z(1 + erf(z/√2)), Φ the standard normal CDF; f′(z) = Φ(z) + z·φ(z).
         */
        GELU_ERF,
        /** SiLU (swish): f(z) = z·sigmoid(z). */
        SILU,
        /** f(z) = ln(1 + e^z), computed as max(z, 0) + log1p(e^−|z|). */
        SOFTPLUS
    }

    /** Which array the backward kernel reads. */
    public enum Operand {
        /** The pre-activation z, the forward pass's input. */
        INPUT,
        /** The activation y = f(z), the forward pass's output. */
        OUTPUT
    }

    public static final Activation IDENTITY = new Activation(Function.IDENTITY, 0);
    public static final Activation RELU = new Activation(Function.RELU, 0);
    /** Leaky ReLU with PyTorch's default slope 0.01. */
    public static final Activation LEAKY_RELU = new Activation(Function.LEAKY_RELU, 0.01);
    public static final Activation SIGMOID = new Activation(Function.SIGMOID, 0);
    public static final Activation TANH = new Activation(Function.TANH, 0);
    public static final Activation GELU_TANH = new Activation(Function.GELU_TANH, 0);
    public static final Activation GELU_ERF = new Activation(Function.GELU_ERF, 0);
    public static final Activation SILU = new Activation(Function.SILU, 0);
    public static final Activation SOFTPLUS = new Activation(Function.SOFTPLUS, 0);

    private final Function function;
    private final double parameter;

    private Activation(Function function, double parameter) {
        this.function = function;
        this.parameter = parameter;
    }

    /** Leaky ReLU with the given negative-side slope (finite). */
    public static Activation leakyRelu(double slope) {
        Checks.finite(slope, "slope");
        return new Activation(Function.LEAKY_RELU, slope);
    }

    /** The activation for a function with its default parameter. */
    public static Activation of(Function function) {
        return switch (Objects.requireNonNull(function, "function must not be null")) {
            case IDENTITY -> IDENTITY;
            case RELU -> RELU;
            case LEAKY_RELU -> LEAKY_RELU;
            case SIGMOID -> SIGMOID;
            case TANH -> TANH;
            case GELU_TANH -> GELU_TANH;
            case GELU_ERF -> GELU_ERF;
            case SILU -> SILU;
            case SOFTPLUS -> SOFTPLUS;
        };
    }

    public Function function() {
        return function;
    }

    /** The function's parameter: the slope for leaky ReLU, 0 (unused) otherwise. */
    public double parameter() {
        return parameter;
    }

    /** The operand {@code backward} needs: z ({@link Operand#INPUT}) or y ({@link Operand#OUTPUT}). */
    public Operand backwardOperand() {
        return switch (function) {
            case IDENTITY, RELU, SIGMOID, TANH -> Operand.OUTPUT;
            case LEAKY_RELU, GELU_TANH, GELU_ERF, SILU, SOFTPLUS -> Operand.INPUT;
        };
    }

    /** y[yOff + i] = f(z[zOff + i]) for i in [0, n). */
    public void forward(int n, float[] z, int zOff, float[] y, int yOff) {
        checkForward(n, z, z == null ? 0 : z.length, zOff, y, y == null ? 0 : y.length, yOff);
        Providers.get().activationForward(function, (float) parameter, n, z, zOff, y, yOff);
    }

    /** y[yOff + i] = f(z[zOff + i]) for i in [0, n). */
    public void forward(int n, double[] z, int zOff, double[] y, int yOff) {
        checkForward(n, z, z == null ? 0 : z.length, zOff, y, y == null ? 0 : y.length, yOff);
        Providers.get().activationForward(function, parameter, n, z, zOff, y, yOff);
    }

    /**
     * dz[dzOff + i] = dy[dyOff + i] · f′ for i in [0, n), where f′ is computed from {@code operand}: z or y as
     * {@link #backwardOperand()} says. {@code dz} may be {@code dy} (in place).
     */
    public void backward(int n, float[] operand, int operandOff, float[] dy, int dyOff, float[] dz, int dzOff) {
        checkBackward(n, operand, operand == null ? 0 : operand.length, operandOff, dy, dy == null ? 0 : dy.length,
                dyOff, dz, dz == null ? 0 : dz.length, dzOff);
        Providers.get().activationBackward(function, (float) parameter, n, operand, operandOff, dy, dyOff, dz, dzOff);
    }

    /** Double twin of {@link #backward(int, float[], int, float[], int, float[], int)}. */
    public void backward(int n, double[] operand, int operandOff, double[] dy, int dyOff, double[] dz, int dzOff) {
        checkBackward(n, operand, operand == null ? 0 : operand.length, operandOff, dy, dy == null ? 0 : dy.length,
                dyOff, dz, dz == null ? 0 : dz.length, dzOff);
        Providers.get().activationBackward(function, parameter, n, operand, operandOff, dy, dyOff, dz, dzOff);
    }

    /**
     * A dense layer's activation backward pass fused with its bias gradient (one pass over memory instead of two):
     * over a contiguous {@code m x n} batch (row-major, leading dimension n; rows are samples, columns units),
     * dz = dy ⊙ f′ as in {@link #backward(int, float[], int, float[], int, float[], int)}, and
     * biasGrad[c] = Σ_r dz[r][c] + beta · biasGrad[c] for c in [0, n) ({@code beta == 0} never reads biasGrad).
     * {@code dz} may be {@code dy}; biasGrad must not overlap the matrices.
     */
    public void backwardWithBiasGradient(int m, int n, float[] operand, int operandOff, float[] dy, int dyOff,
                                         float[] dz, int dzOff, float beta, float[] biasGrad, int biasOff) {
        checkBiasGradient(m, n, operand, operand == null ? 0 : operand.length, operandOff, dy,
                dy == null ? 0 : dy.length, dyOff, dz, dz == null ? 0 : dz.length, dzOff, biasGrad,
                biasGrad == null ? 0 : biasGrad.length, biasOff);
        Providers.get().activationBackwardBiasGradient(function, (float) parameter, m, n, operand, operandOff, dy,
                dyOff, dz, dzOff, beta, biasGrad, biasOff);
    }

    /** Double twin of {@link #backwardWithBiasGradient(int, int, float[], int, float[], int, float[], int, float, float[], int)}. */
    public void backwardWithBiasGradient(int m, int n, double[] operand, int operandOff, double[] dy, int dyOff,
                                         double[] dz, int dzOff, double beta, double[] biasGrad, int biasOff) {
        checkBiasGradient(m, n, operand, operand == null ? 0 : operand.length, operandOff, dy,
                dy == null ? 0 : dy.length, dyOff, dz, dz == null ? 0 : dz.length, dzOff, biasGrad,
                biasGrad == null ? 0 : biasGrad.length, biasOff);
        Providers.get().activationBackwardBiasGradient(function, parameter, m, n, operand, operandOff, dy, dyOff, dz,
                dzOff, beta, biasGrad, biasOff);
    }

    private void checkBiasGradient(int m, int n, Object operand, int operandLength, int operandOff, Object dy,
                                   int dyLength, int dyOff, Object dz, int dzLength, int dzOff, Object biasGrad,
                                   int biasLength, int biasOff) {
        String operandName = backwardOperand() == Operand.INPUT ? "z" : "y";
        Checks.notNull(operand, operandName);
        Checks.notNull(dy, "dy");
        Checks.notNull(dz, "dz");
        Checks.notNull(biasGrad, "biasGrad");
        Checks.matrix(operandName, operandLength, operandOff, m, n, n);
        Checks.matrix("dy", dyLength, dyOff, m, n, n);
        Checks.matrix("dz", dzLength, dzOff, m, n, n);
        Checks.vector("biasGrad", biasLength, biasOff, n);
    }

    private static void checkForward(int n, Object z, int zLength, int zOff, Object y, int yLength, int yOff) {
        Checks.notNull(z, "z");
        Checks.notNull(y, "y");
        Checks.vector("z", zLength, zOff, n);
        Checks.vector("y", yLength, yOff, n);
    }

    private void checkBackward(int n, Object operand, int operandLength, int operandOff, Object dy, int dyLength,
                               int dyOff, Object dz, int dzLength, int dzOff) {
        String operandName = backwardOperand() == Operand.INPUT ? "z" : "y";
        Checks.notNull(operand, operandName);
        Checks.notNull(dy, "dy");
        Checks.notNull(dz, "dz");
        Checks.vector(operandName, operandLength, operandOff, n);
        Checks.vector("dy", dyLength, dyOff, n);
        Checks.vector("dz", dzLength, dzOff, n);
    }

    @Override
    public String toString() {
        return function == Function.LEAKY_RELU ? "LEAKY_RELU(" + parameter + ")" : function.name();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Activation a && a.function == function
                && Double.doubleToLongBits(a.parameter) == Double.doubleToLongBits(parameter);
    }

    @Override
    public int hashCode() {
        return function.hashCode() * 31 + Double.hashCode(parameter);
    }
}
