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
    /** √½, the scale from a standard normal variable to the erf argument. */
    public static final double SQRT_HALF = 0.7071067811865476;
    /** 1/√(2π), the standard normal density at 0. */
    public static final double INV_SQRT_2PI = 0.3989422804014327;
    /** 2/√π, erf′(0). */
    public static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
    /** 1/√π. */
    public static final double INV_SQRT_PI = 0.5641895835477563;
    /** Below this |u| erf uses the power series, from it on erfc uses the continued fraction. */
    public static final double ERF_SPLIT = 1.5;
    /** Depth of erfc's continued fraction in double: at u = 1.5 depth 120 is exact to below 1e-16 relative. */
    public static final int ERFC_DEPTH_DOUBLE = 120;
    /** |z| beyond this saturates the normal cdf in double (e^−z²/2 underflows); clamping keeps ∞·0 out. */
    public static final double CDF_CLAMP = 40;

    private ScalarMath() {
    }

    public static double sigmoid(double z) {
        return 1.0 / (1.0 + Math.exp(-z));
    }

    /**
     * The error function erf(x), accurate to a few ULP in double.
     *
     * <p>Java has no {@code Math.erf}. Two classical expansions, both free of cancellation where they are used:
     * for |x| &lt; {@value #ERF_SPLIT} the series erf(u) = (2/√π)·e^−u²·Σ 2ⁿu²ⁿ⁺¹/(2n+1)!! (all terms positive,
     * summed until they no longer change the sum); beyond it erfc(u) = e^−u²/(√π·t) with Laplace's continued
     * fraction t = u + (1/2)/(u + 1/(u + (3/2)/(u + …))) evaluated backwards at fixed depth. e^−u² is taken as
     * e^−hi·(1 − lo) with hi + lo = u² exactly (fma), so the rounding of u² does not cost u²·eps of relative error.
     * Checked against mpmath to 40 digits in {@code ErfTest}.
     */
    public static double erf(double x) {
        double u = Math.min(Math.abs(x), 30.0);
        if (Double.isNaN(x)) {
            return x;
        }
        double e = expNegSquare(u);
        double a = u < ERF_SPLIT ? erfSeries(u, e) : 1.0 - erfcFraction(u, e);
        return Math.copySign(a, x);
    }

    /** The complementary error function 1 − erf(x), with relative accuracy in the tail (see {@link #erf}). */
    public static double erfc(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double u = Math.min(Math.abs(x), 30.0);
        double e = expNegSquare(u);
        if (u < ERF_SPLIT) {
            return x < 0 ? 1.0 + erfSeries(u, e) : 1.0 - erfSeries(u, e);
        }
        double tail = erfcFraction(u, e);
        return x < 0 ? 2.0 - tail : tail;
    }

    /**
     * The standard normal cdf Φ(z) = ½·erfc(−z/√2), with relative accuracy in the lower tail: e^−z²/2 is
     * computed from z itself (exact z², fma), not from the rounded z/√2.
     */
    public static double normalCdf(double z) {
        double zc = Math.max(-CDF_CLAMP, Math.min(CDF_CLAMP, z));
        double e = expNegHalfSquare(zc);
        double u = Math.abs(zc) * SQRT_HALF;
        double upper;
        double lower;
        if (u < ERF_SPLIT) {
            double half = 0.5 * erfSeries(u, e);
            upper = 0.5 + half;
            lower = 0.5 - half;
        } else {
            lower = 0.5 * erfcFraction(u, e);
            upper = 1.0 - lower;
        }
        return z < 0 ? lower : Double.isNaN(z) ? z : upper;
    }

    /** The standard normal density φ(z) = e^−z²/2/√(2π), 0 for |z| = ∞. */
    public static double normalPdf(double z) {
        return INV_SQRT_2PI * expNegHalfSquare(Math.max(-CDF_CLAMP, Math.min(CDF_CLAMP, z)));
    }

    private static double expNegSquare(double u) {
        double hi = u * u;
        double lo = Math.fma(u, u, -hi);
        return Math.exp(-hi) * (1.0 - lo);
    }

    private static double expNegHalfSquare(double z) {
        double hi = z * z;
        double lo = Math.fma(z, z, -hi);
        return Math.exp(-0.5 * hi) * (1.0 - 0.5 * lo);
    }

    /** erf(u) for 0 ≤ u &lt; {@value #ERF_SPLIT} from the positive series, given e = e^−u². */
    private static double erfSeries(double u, double e) {
        double twoU2 = 2 * u * u;
        double term = u;
        double sum = u;
        for (int k = 0; k < 200; k++) {
            term *= twoU2 / (2 * k + 3);
            double next = sum + term;
            if (next == sum) {
                break;
            }
            sum = next;
        }
        return TWO_OVER_SQRT_PI * e * sum;
    }

    /** erfc(u) for u ≥ {@value #ERF_SPLIT} from the continued fraction, given e = e^−u². */
    private static double erfcFraction(double u, double e) {
        double t = u;
        for (int k = ERFC_DEPTH_DOUBLE; k > 0; k--) {
            t = u + 0.5 * k / t;
        }
        return INV_SQRT_PI * e / t;
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
            case GELU_ERF -> {
                double p = normalCdf(z);
                yield p == 0 ? 0.0 : z * p;
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
            case GELU_ERF -> {
                double p = normalPdf(operand);
                yield p == 0 ? normalCdf(operand) : normalCdf(operand) + operand * p;
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
