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
    /**
     * GELU's sigmoid argument w = 2c·(z + a·z³) = K1·z + K2·z³, K1 = 2c and K2 = 2c·a with c = √(2/π) and a = 0.044715
     * exact, as double pairs hi + lo (mpmath, 300 bits): sigmoid(w) amplifies w's relative error by |w|·(1 − s), up
     * to ~700, so w is formed as a pair (see {@link #forward}).
     */
    public static final double GELU_K1_HI = 0x1.9884533d43651p+0;
    public static final double GELU_K1_LO = -0x1.cbc0d30ebfd15p-54;
    public static final double GELU_K2_HI = 0x1.2444f2a4d8b4bp-4;
    public static final double GELU_K2_LO = -0x1.6c843a29d1c70p-61;
    /** From |z| = 30 on, GELU's sigmoid is exactly 0 or 1 in double (w &gt; 37 or w &lt; −745). */
    private static final double GELU_CLAMP = 30;

    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
    private static final double INV_SQRT_PI = 0.5641895835477563;
    private static final double INV_SQRT2 = 0.7071067811865476;
    private static final double INV_SQRT_2PI = 0.3989422804014327;
    /** 1/√(2π) − INV_SQRT_2PI (mpmath): INV_SQRT_2PI alone is 0.45 ULP off. */
    private static final double INV_SQRT_2PI_LO = -0x1.cbc0d30ebfd15p-56;

    /**
     * Below this |x| erf uses its Taylor series; above, the continued fraction. At 0.5 erfc = 1 − erf &gt;= 0.48, so
     * the subtraction amplifies erf's error by at most 1.1 (at 1.0 it was 5.4: 11.7 ULP measured for Φ).
     */
    private static final double SERIES_LIMIT = 0.5;

    private ScalarMath() {
    }

    /**
     * The error function. |x| &lt; ½: its Taylor series (alternating, term ratio below x², so no cancellation worth
     * a bit); |x| &gt;= ½: 1 − e^{−x²}·erfcx(x) with the Laplace continued fraction (see {@link #erfcScaled}).
     * Measured error (ErfAccuracyTest against a 200-bit reference sample): about 2 ULP.
     */
    public static double erf(double x) {
        double a = Math.abs(x);
        if (!(a >= SERIES_LIMIT)) {
            return erfSeries(x);
        }
        return Math.copySign(1.0 - expNegSquare(a, 1.0) * erfcScaled(a), x);
    }

    /**
     * The complementary error function 1 − erf(x), accurate in relative terms for large x where erf rounds to 1
     * (e^{−x²} is formed from an exact split of x², so its error does not grow with x²). For |x| &lt; ½ it is
     * 1 − erf(x) &gt;= 0.48, a few ULP.
     */
    public static double erfc(double x) {
        double a = Math.abs(x);
        if (!(a >= SERIES_LIMIT)) {
            return 1.0 - erfSeries(x);
        }
        double tail = expNegSquare(a, 1.0) * erfcScaled(a);
        return x > 0 ? tail : 2.0 - tail;
    }

    /**
     * Φ(z), the standard normal CDF ½·erfc(−z/√2). Near 0 from erf's series; beyond, from {@link #normalTail}.
     */
    public static double normalCdf(double z) {
        double x = -z * INV_SQRT2;
        double a = Math.abs(x);
        if (!(a >= SERIES_LIMIT)) {
            return 0.5 - 0.5 * erfSeries(x);
        }
        double tail = normalTail(Math.abs(z));
        return x > 0 ? tail : 1.0 - tail;
    }

    /**
     * Φ(−u) = φ(u)·R(u) for u &gt;= ½√2, with Mills' ratio R(u) = 1/(u + 1/(u + 2/(u + 3/(u + …)))), the continued
     * fraction of {@link #erfcScaled} rescaled to u, so that it and e^{−u²/2} take u exactly (erfc would take the
     * rounded u/√2). Rounded once at the end: the last level of the fraction, 1/√(2π) and e^{−lo/2} (u² = hi + lo)
     * are carried as double pairs; what is left is exp's error, the deeper levels (damped by 1/(u·t)²) and the final
     * rounding. GELU_ERF in double (DoubleActivationAccuracyTest): 4.9 ULP through erfc's rounded argument, 4.02 with
     * u exact but nothing carried, 3.36 as here; Φ alone (ErfTest) 3.32 before, 2.04 now.
     */
    private static double normalTail(double u) {
        double hi = u * u;
        double e0 = Math.exp(-0.5 * hi);
        if (e0 == 0) {
            return 0.0;
        }
        double lo = Math.fma(u, u, -hi);
        // The depth of erfcScaled at x = u/√2, in terms of u.
        int depth = 10 + (int) (500 / hi);
        double t = u;
        for (int n = depth; n > 1; n--) {
            t = u + n / t;
        }
        double d = 1 / t;
        double dLo = Math.fma(-d, t, 1.0) / t;
        double th = u + d;
        double bb = th - u;
        double tl = (u - (th - bb)) + (d - bb) + dLo;
        // q + qLo = (1/√(2π))/(th + tl)·(1 − lo/2).
        double q = INV_SQRT_2PI / th;
        double qLo = (Math.fma(-q, th, INV_SQRT_2PI) + INV_SQRT_2PI_LO - q * tl) / th - 0.5 * lo * q;
        return Math.fma(e0, q, e0 * qLo);
    }

    /** φ(z), the standard normal density. */
    public static double normalPdf(double z) {
        return INV_SQRT_2PI * expNegSquare(z, 0.5);
    }

    /** erf for |x| &lt; ½ by its Taylor series 2/√π Σ (−1)ⁿ x^{2n+1} / (n!(2n+1)); at most 12 terms. */
    private static double erfSeries(double x) {
        double x2 = x * x;
        double term = x;
        double sum = x;
        for (int n = 1; n < 40; n++) {
            term *= -x2 / n;
            double add = term / (2 * n + 1);
            sum += add;
            if (Math.abs(add) <= 0x1p-56 * Math.abs(sum)) {
                break;
            }
        }
        return TWO_OVER_SQRT_PI * sum;
    }

    /**
     * erfcx(x) = e^{x²}·erfc(x) for x &gt;= ½ from the continued fraction 1/√π · 1/(x + ½/(x + 1/(x + 3/2/(x + …)))),
     * evaluated bottom-up (stable for this positive S-fraction; Lentz's forward evaluation lost up to 12 ULP in our
     * trials). The depth 10 + 250/x² was chosen by measurement against a 200-bit reference: within 2 ULP for x &gt;= 0.5. The price is
     * up to 1010 divisions near x = ½: the scalar GELU_ERF is slow there (it is the reference, not the fast path).
     */
    private static double erfcScaled(double x) {
        int depth = 10 + (int) (250 / (x * x));
        double t = x;
        for (int n = depth; n > 0; n--) {
            t = x + (n * 0.5) / t;
        }
        return INV_SQRT_PI / t;
    }

    /** e^{−scale·v²} (scale 1 or ½, exact), with v² = hi + lo split exactly so the error does not grow with v². */
    private static double expNegSquare(double v, double scale) {
        double hi = v * v;
        if (hi == Double.POSITIVE_INFINITY) {
            return 0.0;
        }
        double lo = Math.fma(v, v, -hi);
        return Math.exp(-scale * hi) * (1.0 - scale * lo);
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
            // The gates below are exactly 0 only far below z = 0 (and at −∞, where z · 0 would be NaN): there the
            // result is −0, the limit from below and the sign z · s has just above that point.
            case GELU_TANH -> {
                double s = geluSigmoid(z);
                yield s == 0 ? -0.0 : z * s;
            }
            case GELU_ERF -> {
                double p = normalCdf(z);
                yield p == 0 ? -0.0 : z * p;
            }
            case SILU -> {
                double s = sigmoid(z);
                yield s == 0 ? -0.0 : z * s;
            }
            case SOFTPLUS -> Math.max(z, 0.0) + Math.log1p(Math.exp(-Math.abs(z)));
        };
    }

    /**
     * sigmoid(K1·z + K2·z³) with the argument as a pair wh + wl (error-free products and sums), s = s0 + s0·(1 − s0)·wl
     * to first order in wl: the argument rounded once cost 1,490 ULP in double at z = −19.8
     * (DoubleActivationAccuracyTest). z is clamped where s is already exactly 0 or 1, so z² stays finite.
     */
    private static double geluSigmoid(double z) {
        double zc = Math.max(-GELU_CLAMP, Math.min(GELU_CLAMP, z));
        double z2 = zc * zc;
        double z2Lo = Math.fma(zc, zc, -z2);
        double a = z2 * GELU_K2_HI;
        double aLo = Math.fma(z2, GELU_K2_HI, -a) + z2Lo * GELU_K2_HI + z2 * GELU_K2_LO;
        double t = a + GELU_K1_HI;
        double bb = t - GELU_K1_HI;
        double tLo = (GELU_K1_HI - (t - bb)) + (a - bb) + aLo + GELU_K1_LO;
        double w = zc * t;
        double wLo = Math.fma(zc, t, -w) + zc * tLo;
        double s0 = sigmoid(w);
        return Math.fma(s0 * (1.0 - s0), wLo, s0);
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
                double density = normalPdf(operand);
                double p = normalCdf(operand);
                yield density == 0 ? p : p + operand * density;
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

    /**
     * Adam over elements [from, to) (the formula: {@code Updates.adam}), in the parameters' own precision and in the
     * order written there, with no fused multiply-add: the vector kernel runs the same operations lane by lane, so
     * the two give the same bits.
     */
    public static void adam(int from, int to, float[] p, int pOff, float[] g, int gOff, float[] m, int mOff,
                            float[] v, int vOff, float l2, float decay, float oneMinusBeta1, float beta2,
                            float oneMinusBeta2, float eps, float stepSize, float correction2Sqrt) {
        for (int i = from; i < to; i++) {
            float pi = p[pOff + i];
            float gi = g[gOff + i] + pi * l2;
            float mi = m[mOff + i];
            mi = mi + (gi - mi) * oneMinusBeta1;
            float vi = v[vOff + i] * beta2 + gi * oneMinusBeta2 * gi;
            m[mOff + i] = mi;
            v[vOff + i] = vi;
            p[pOff + i] = pi * decay - mi * stepSize / ((float) Math.sqrt(vi) / correction2Sqrt + eps);
        }
    }

    /**
     * Adam over elements [from, to) (the formula: {@code Updates.adam}), in the parameters' own precision and in the
     * order written there, with no fused multiply-add: the vector kernel runs the same operations lane by lane, so
     * the two give the same bits.
     */
    public static void adam(int from, int to, double[] p, int pOff, double[] g, int gOff, double[] m, int mOff,
                            double[] v, int vOff, double l2, double decay, double oneMinusBeta1, double beta2,
                            double oneMinusBeta2, double eps, double stepSize, double correction2Sqrt) {
        for (int i = from; i < to; i++) {
            double pi = p[pOff + i];
            double gi = g[gOff + i] + pi * l2;
            double mi = m[mOff + i];
            mi = mi + (gi - mi) * oneMinusBeta1;
            double vi = v[vOff + i] * beta2 + gi * oneMinusBeta2 * gi;
            m[mOff + i] = mi;
            v[vOff + i] = vi;
            p[pOff + i] = pi * decay - mi * stepSize / (Math.sqrt(vi) / correction2Sqrt + eps);
        }
    }
}
