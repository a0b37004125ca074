package dev.lanewise.kernel.scalar;

import dev.lanewise.kernel.Activation;

/**
 * Scalar activation formulas in double, used by the scalar provider for both precisions (the float twin rounds
 * the double result once, so it is within 0.5 ULP plus the double error of these formulas) and by tests as the
 * reference.
 *
 * <p>Infinities are guarded where a formula would compute ∞·0: f(−∞) = 0 for GELU and SiLU, and f′ falls back to
 * the limit of the gradient where the sigmoid saturates.
 */
public final class ScalarMath {
    /** √(2/π), the GELU tanh-approximation constant. */
    public static final double GELU_C = 0.7978845608028654;
    /** The cubic coefficient of the GELU tanh approximation. */
    public static final double GELU_A = 0.044715;

    private ScalarMath() {
    }

    public static double sigmoid(double z) {
        return 1.0 / (1.0 + Math.exp(-z));
    }

    public static double forward(Activation.Function f, double slope, double z) {
        return switch (f) {
            case IDENTITY -> z;
            case RELU -> Math.max(0.0, z);
            case LEAKY_RELU -> z > 0 ? z : slope * z;
            case SIGMOID -> sigmoid(z);
            case TANH -> Math.tanh(z);
            case GELU_TANH -> {
                double s = sigmoid(2 * GELU_C * (z + GELU_A * z * z * z));
                yield s == 0 ? 0.0 : z * s;
            }
            case SILU -> {
                double s = sigmoid(z);
                yield s == 0 ? 0.0 : z * s;
            }
            case SOFTPLUS -> Math.max(z, 0.0) + Math.log1p(Math.exp(-Math.abs(z)));
        };
    }

    /** f′ from the operand {@link Activation#backwardOperand()} names (z or y). */
    public static double derivative(Activation.Function f, double slope, double operand) {
        return switch (f) {
            case IDENTITY -> 1.0;
            case RELU -> operand > 0 ? 1.0 : 0.0;
            case LEAKY_RELU -> operand > 0 ? 1.0 : slope;
            case SIGMOID -> operand * (1.0 - operand);
            case TANH -> 1.0 - operand * operand;
            case GELU_TANH -> {
                double z = operand;
                double s = sigmoid(2 * GELU_C * (z + GELU_A * z * z * z));
                double ds = s * (1.0 - s);
                yield ds == 0 ? s : s + z * 2 * ds * GELU_C * (1.0 + 3 * GELU_A * z * z);
            }
            case SILU -> {
                double s = sigmoid(operand);
                double ds = s * (1.0 - s);
                yield ds == 0 ? s : s + operand * ds;
            }
            case SOFTPLUS -> sigmoid(operand);
        };
    }

    /** dz = dy · f′; ReLU-family kernels select instead of multiplying, so dy = ±∞ gives 0 where f′ = 0. */
    public static double backward(Activation.Function f, double slope, double operand, double dy) {
        return switch (f) {
            case IDENTITY -> dy;
            case RELU -> operand > 0 ? dy : 0.0;
            case LEAKY_RELU -> operand > 0 ? dy : slope * dy;
            default -> dy * derivative(f, slope, operand);
        };
    }

    /** One element of binary cross-entropy from a logit: max(z,0) − z·t + log1p(e^−|z|), with 0·∞ taken as 0. */
    public static double bceWithLogits(double z, double t) {
        double coef = z >= 0 ? 1.0 - t : -t;
        double linear = coef == 0 ? 0.0 : coef * z;
        return linear + Math.log1p(Math.exp(-Math.abs(z)));
    }
}
