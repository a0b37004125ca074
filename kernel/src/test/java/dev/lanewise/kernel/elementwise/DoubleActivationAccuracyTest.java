package dev.lanewise.kernel.elementwise;

import dev.lanewise.kernel.Activation;
import dev.lanewise.kernel.ChildJvm;
import dev.lanewise.kernel.spi.KernelProvider;
import dev.lanewise.kernel.spi.Providers;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Double forward kernels of the transcendental activations: the maximum error in ULP (of the reference rounded to
 * double) against a {@link DoubleDouble} evaluation of each function's definition (about 2^-95 relative, so its own
 * error is below 1e-12 ULP), on a seeded random sample spread over the range where the output is not saturated.
 *
 * <p>The reference uses the definitions' exact constants (GELU's √(2/π) and 0.044715, not their doubles): the
 * sigmoid argument of GELU has condition number |w|·(1 − s), up to ~700, so even a constant rounded to double would
 * show there.
 */
class DoubleActivationAccuracyTest {
    private static final int SAMPLE = 120_000;
    private static final int CHUNK = 4096;
    private static final double DOUBLE_ULP_BOUND = 4.0;
    /** Outputs (and the reference's intermediates) below this lose the double-double's lo part to underflow. */
    private static final double SMALLEST_CHECKED = 0x1p-960;
    private static final MathContext MC = new MathContext(60);

    /** The sampled z range of each function: beyond it the output is saturated (±1, z) or below 2^-960. */
    private static double[] range(Activation.Function f) {
        return switch (f) {
            case SIGMOID, SILU, SOFTPLUS -> new double[]{-700, 40};
            case TANH -> new double[]{-20, 20};
            case GELU_TANH -> new double[]{-23, 12};
            case GELU_ERF -> new double[]{-38, 10};
            default -> throw new IllegalArgumentException(f.name());
        };
    }

    static DoubleDouble reference(Activation.Function f, double z) {
        DoubleDouble x = DoubleDouble.of(z);
        return switch (f) {
            case SIGMOID -> DoubleDouble.sigmoid(x);
            case TANH -> DoubleDouble.tanh(x);
            case GELU_TANH -> {
                DoubleDouble inner = x.mul(x).mul(DoubleDouble.GELU_A).add(1.0).mul(x);
                yield x.mul(DoubleDouble.sigmoid(inner.mul(DoubleDouble.GELU_C).mul(2.0)));
            }
            case GELU_ERF -> x.mul(DoubleDouble.normalCdf(z));
            case SILU -> x.mul(DoubleDouble.sigmoid(x));
            case SOFTPLUS -> DoubleDouble.log1p(DoubleDouble.exp(DoubleDouble.of(-Math.abs(z))))
                    .add(Math.max(z, 0.0));
            default -> throw new IllegalArgumentException(f.name());
        };
    }

    /**
     * Seeded: 40% log-uniform magnitudes 2^-80 … max|z| with a random sign, 30% uniform in [−8, 8], 30% uniform
     * over the whole range (each clipped to the function's range by resampling).
     */
    static double[] sample(Activation.Function f, int n) {
        double[] r = range(f);
        double lo = r[0], hi = r[1];
        double logMax = Math.log(Math.max(-lo, hi)), logMin = Math.log(0x1p-80);
        SplittableRandom rnd = new SplittableRandom(0xACC + f.ordinal());
        double[] z = new double[n];
        for (int i = 0; i < n; i++) {
            double v;
            do {
                int kind = rnd.nextInt(10);
                if (kind < 4) {
                    v = Math.exp(logMin + rnd.nextDouble() * (logMax - logMin)) * (rnd.nextBoolean() ? 1 : -1);
                } else if (kind < 7) {
                    v = rnd.nextDouble() * 16 - 8;
                } else {
                    v = lo + rnd.nextDouble() * (hi - lo);
                }
            } while (v < lo || v > hi);
            z[i] = v;
        }
        return z;
    }

    /** |y − ref| in ULP of ref rounded to double; NaN counts as infinitely wrong. */
    static double ulpError(double y, DoubleDouble ref) {
        double err = Math.abs((y - ref.hi()) - ref.lo()) / Math.ulp(ref.doubleValue());
        return Double.isNaN(err) ? Double.POSITIVE_INFINITY : err;
    }

    /**
     * Both providers on the same sample and references: the vector kernels (the subject; forced, whatever the
     * default provider is) and the scalar twins they are tested against elsewhere.
     */
    @Test
    void doubleForwardWithinFourUlp() throws Exception {
        Assumptions.assumeTrue(Providers.vectorAvailable(), "vector provider needs jdk.incubator.vector");
        // A child JVM with -Xbatch, so that the vector kernels run C2's code (see ActivationAccuracyTest).
        Map<Activation.Function, double[]> table = ActivationAccuracyTest.rows(
                ChildJvm.run(DoubleActivationAccuracyTest.class, "-Xbatch"));
        assertThat(table).hasSize(ActivationAccuracyTest.TRANSCENDENTAL.length);
        StringBuilder report = new StringBuilder("double forward, max ULP\n"
                + "function | vector | at z | scalar twin | at z | inputs checked\n");
        table.forEach((f, r) -> report.append(String.format("%s | %.3f | %s | %.3f | %s | %d%n", f, r[0], r[1],
                r[3], r[4], (long) r[2])));
        System.out.println(report);
        table.forEach((f, r) -> {
            assertThat(r[0]).as("vector %s max ULP at z = %s", f, r[1]).isLessThanOrEqualTo(DOUBLE_ULP_BOUND);
            assertThat(r[3]).as("scalar %s max ULP at z = %s", f, r[4]).isLessThanOrEqualTo(DOUBLE_ULP_BOUND);
        });
        double[] erf = table.get(Activation.Function.GELU_ERF);
        assertThat(erf).as("GELU_ERF row with its backward figures").hasSize(11);
        System.out.printf("GELU_ERF double backward (dy = 1), max ULP: vector %.3f at z = %s, scalar twin %.3f at"
                + " z = %s, %d inputs (%d within %s of the root)%n", erf[5], erf[6], erf[8], erf[9], (long) erf[7],
                (long) erf[10], NEAR_ROOT);
        // Only the vector kernel is bounded: the scalar twin's Φ + z·φ cancels near the root (its figure is printed
        // for comparison).
        assertThat(erf[5]).as("vector GELU_ERF backward max ULP at z = %s", erf[6])
                .isLessThanOrEqualTo(DOUBLE_ULP_BOUND);
    }

    /** Child-JVM entry: per function a row {vector max ULP, at z, count, scalar max ULP, at z}. */
    public static void main(String[] args) {
        KernelProvider vector = Providers.vector();
        KernelProvider scalar = Providers.scalar();
        if (!vector.name().equals("vector")) {
            throw new AssertionError("not the vector provider: " + vector.name());
        }
        System.out.println(vector.description());
        for (Activation.Function f : ActivationAccuracyTest.TRANSCENDENTAL) {
            long start = System.nanoTime();
            warmUp(vector, f);
            warmUp(scalar, f);
            double[] z = sample(f, SAMPLE);
            DoubleDouble[] ref = new DoubleDouble[SAMPLE];
            for (int i = 0; i < SAMPLE; i++) {
                ref[i] = reference(f, z[i]);
            }
            double[] v = maxUlp(vector, f, z, ref, start);
            double[] s = maxUlp(scalar, f, z, ref, start);
            if (f != Activation.Function.GELU_ERF) {
                System.out.println(ActivationAccuracyTest.row(f, v[0], v[1], v[2], s[0], s[1]));
                continue;
            }
            double[] zb = backwardSample(SAMPLE);
            DoubleDouble[] refB = new DoubleDouble[zb.length];
            long nearRoot = 0;
            for (int i = 0; i < zb.length; i++) {
                refB[i] = geluErfDerivative(zb[i]);
                nearRoot += Math.abs(zb[i] + GELU_ERF_ROOT) < NEAR_ROOT ? 1 : 0;
            }
            start = System.nanoTime();
            double[] vb = maxUlpBackward(vector, zb, refB, start);
            double[] sb = maxUlpBackward(scalar, zb, refB, start);
            System.out.println(ActivationAccuracyTest.row(f, v[0], v[1], v[2], s[0], s[1], vb[0], vb[1], vb[2], sb[0],
                    sb[1], nearRoot));
        }
    }

    /** The root of GELU_ERF's f′ is at z = −GELU_ERF_ROOT (mpmath: 0.751791524693564457…, here rounded). */
    static final double GELU_ERF_ROOT = 0.7517915246935645;
    /** Within this of the root the reference is BigDecimal: Φ + z·φ cancels there (f′ ≈ 0.43·(z + root)). */
    static final double NEAR_ROOT = 0.05;

    /**
     * GELU_ERF's backward sample: the forward one (f′ is not saturated over the same range) plus a tenth more within
     * {@link #NEAR_ROOT} of the root, 2000 of those the doubles nearest to it.
     */
    static double[] backwardSample(int n) {
        double[] z = java.util.Arrays.copyOf(sample(Activation.Function.GELU_ERF, n), n + n / 10);
        SplittableRandom rnd = new SplittableRandom(0xB4C);
        double root = -GELU_ERF_ROOT;
        for (int i = n; i < z.length; i++) {
            z[i] = i - n < 2000 ? root + (i - n - 1000) * Math.ulp(root)
                    : root + (rnd.nextDouble() * 2 - 1) * NEAR_ROOT;
        }
        return z;
    }

    /**
     * f′(z) = Φ(z) + z·φ(z): in {@link DoubleDouble} beyond {@link #NEAR_ROOT} of the root (the sum cancels there by
     * a factor ~10 at most, 4 of its ~106 bits); near it in BigDecimal, Φ from ErfTest's 120-digit erf series at z/√2
     * formed in 120 digits and φ from the 60-digit exp series (at the doubles nearest the root the sum cancels ~55
     * bits, more than a double-double could lose).
     */
    static DoubleDouble geluErfDerivative(double z) {
        if (Math.abs(z + GELU_ERF_ROOT) >= NEAR_ROOT) {
            DoubleDouble x = DoubleDouble.of(z);
            DoubleDouble density = DoubleDouble.exp(x.mul(x).mul(-0.5)).mul(DoubleDouble.INV_SQRT_PI)
                    .mul(DoubleDouble.INV_SQRT2);
            return DoubleDouble.normalCdf(z).add(x.mul(density));
        }
        MathContext mc = new MathContext(120);
        BigDecimal bz = new BigDecimal(z);
        BigDecimal two = BigDecimal.valueOf(2);
        BigDecimal cdf = BigDecimal.ONE.add(ErfTest.erfSeriesAt(bz.divide(two.sqrt(mc), mc)), mc)
                .multiply(new BigDecimal("0.5"), mc);
        BigDecimal density = expDecimal(bz.multiply(bz, mc).negate().divide(two, mc))
                .divide(two.multiply(DoubleDouble.PI_DECIMAL, mc).sqrt(mc), mc);
        return DoubleDouble.of(cdf.add(bz.multiply(density, mc), mc));
    }

    /** As {@link #maxUlp}, for GELU_ERF backward with dy = 1. */
    private static double[] maxUlpBackward(KernelProvider p, double[] z, DoubleDouble[] ref, long start) {
        int n = z.length;
        double[] dy = new double[n];
        java.util.Arrays.fill(dy, 1.0);
        double[] warm = new double[CHUNK];
        for (int r = 0; r < 20; r++) {
            p.activationBackward(Activation.Function.GELU_ERF, 0.0, CHUNK, z, 0, dy, 0, warm, 0);
        }
        double[] dz = (double[]) ActivationAccuracyTest.settle(start, () -> {
            double[] out = new double[n];
            for (int i = 0; i < n; i += CHUNK) {
                p.activationBackward(Activation.Function.GELU_ERF, 0.0, Math.min(CHUNK, n - i), z, i, dy, i, out, i);
            }
            return out;
        });
        return worst(Activation.Function.GELU_ERF, dz, z, ref);
    }

    private static void warmUp(KernelProvider p, Activation.Function f) {
        double[] z = new double[CHUNK];
        double[] y = new double[CHUNK];
        for (int i = 0; i < CHUNK; i++) {
            z[i] = (i - CHUNK / 2) / 256.0;
        }
        int rounds = f == Activation.Function.GELU_ERF ? 20 : p.name().equals("vector") ? 3000 : 300;
        for (int r = 0; r < rounds; r++) {
            p.activationForward(f, 0.0, CHUNK, z, 0, y, 0);
        }
    }

    /**
     * {max ULP, the z where it occurs, count}, measured on the kernel's output once it has settled (the same bits
     * in two passes in a row, see {@link ActivationAccuracyTest#settle}; the reference computation after the warm-up
     * calls gives C2 time to finish first).
     */
    private static double[] maxUlp(KernelProvider p, Activation.Function f, double[] z, DoubleDouble[] ref,
                                   long start) {
        int n = z.length;
        double[] y = (double[]) ActivationAccuracyTest.settle(start, () -> {
            double[] out = new double[n];
            for (int i = 0; i < n; i += CHUNK) {
                p.activationForward(f, 0.0, Math.min(CHUNK, n - i), z, i, out, i);
            }
            return out;
        });
        return worst(f, y, z, ref);
    }

    /** {max ULP of out against ref, the z where it occurs, count}, over references neither tiny nor saturated. */
    private static double[] worst(Activation.Function f, double[] out, double[] z, DoubleDouble[] ref) {
        double worst = 0, worstZ = Double.NaN;
        long count = 0;
        for (int i = 0; i < z.length; i++) {
            double rounded = ref[i].doubleValue();
            if (Math.abs(rounded) < SMALLEST_CHECKED || saturated(f, rounded)) {
                continue;
            }
            count++;
            double err = ulpError(out[i], ref[i]);
            if (err > worst) {
                worst = err;
                worstZ = z[i];
            }
        }
        return new double[]{worst, worstZ, count};
    }

    private static boolean saturated(Activation.Function f, double y) {
        return switch (f) {
            case SIGMOID -> y == 1.0;
            case TANH -> Math.abs(y) == 1.0;
            default -> false;
        };
    }

    // ---------------------------------------------------------------- the reference itself

    /** e^x by its Taylor series in 60 digits after halving x to below 2^-10 (then squared back). */
    private static BigDecimal expDecimal(BigDecimal x) {
        int halvings = Math.max(0, Math.getExponent(x.doubleValue()) + 11);
        BigDecimal r = x.divide(BigDecimal.TWO.pow(halvings), MC);
        BigDecimal term = BigDecimal.ONE, sum = BigDecimal.ONE;
        for (int n = 1; n < 40; n++) {
            term = term.multiply(r, MC).divide(BigDecimal.valueOf(n), MC);
            sum = sum.add(term, MC);
        }
        for (int i = 0; i < halvings; i++) {
            sum = sum.multiply(sum, MC);
        }
        return sum;
    }

    /** e^x − 1 for |x| &lt; 1 by the series Σ xⁿ/n! from n = 1: relative accuracy however small x is. */
    private static BigDecimal expm1Decimal(BigDecimal x) {
        BigDecimal term = x, sum = x;
        for (int n = 2; n < 60; n++) {
            term = term.multiply(x, MC).divide(BigDecimal.valueOf(n), MC);
            sum = sum.add(term, MC);
        }
        return sum;
    }

    private static double relativeError(DoubleDouble got, BigDecimal ref) {
        return got.toBigDecimal().subtract(ref, MC).abs().divide(ref.abs(), MC).doubleValue();
    }

    /**
     * The reference against independent BigDecimal evaluations: exp, expm1, sigmoid, tanh (from exp) against a
     * 60-digit series, log1p by the round trip through the checked exp, erfc against ErfTest's 120-digit erf
     * series (valid to x = 9.5). Bound 2^-80 relative: 2^-27 of a double ULP (erfc's series near x = 3 cancels ~23
     * of the 106 bits, by design; the others measure near 2^-100).
     */
    @Test
    void theDoubleDoubleReferenceAgreesWithBigDecimal() {
        SplittableRandom rnd = new SplittableRandom(42);
        Map<String, Double> worst = new java.util.TreeMap<>();
        java.util.function.BiConsumer<String, Double> record = (name, err) -> worst.merge(name, err, Math::max);
        for (int i = 0; i < 300; i++) {
            double x = rnd.nextDouble() * 1300 - 650;
            if (i % 3 == 0) {
                x = Math.scalb(rnd.nextDouble() - 0.5, -rnd.nextInt(60));
            }
            BigDecimal bx = new BigDecimal(x);
            BigDecimal e = expDecimal(bx);
            record.accept("exp", relativeError(DoubleDouble.exp(DoubleDouble.of(x)), e));
            if (x != 0) {
                record.accept("expm1", relativeError(DoubleDouble.expm1(DoubleDouble.of(x)),
                        Math.abs(x) < 1 ? expm1Decimal(bx) : e.subtract(BigDecimal.ONE, MC)));
            }
            BigDecimal eNeg = BigDecimal.ONE.divide(e, MC);
            record.accept("sigmoid", relativeError(DoubleDouble.sigmoid(DoubleDouble.of(x)),
                    BigDecimal.ONE.divide(BigDecimal.ONE.add(eNeg, MC), MC)));
            if (Math.abs(x) < 40 && x != 0) {
                BigDecimal m = Math.abs(x) < 0.5 ? expm1Decimal(bx.multiply(BigDecimal.TWO))
                        : e.multiply(e, MC).subtract(BigDecimal.ONE, MC);
                record.accept("tanh", relativeError(DoubleDouble.tanh(DoubleDouble.of(x)),
                        m.divide(m.add(BigDecimal.TWO, MC), MC)));
            }
            double u = Math.exp(-Math.abs(x));
            if (u >= SMALLEST_CHECKED) {
                DoubleDouble l = DoubleDouble.log1p(DoubleDouble.of(u));
                record.accept("log1p (round trip)", relativeError(DoubleDouble.of(u), expm1Decimal(l.toBigDecimal())));
            }
            double xc = rnd.nextDouble() * 10 - 0.5;
            DoubleDouble erfc = xc >= 0 ? DoubleDouble.erfc(DoubleDouble.of(xc))
                    : DoubleDouble.of(2).sub(DoubleDouble.erfc(DoubleDouble.of(-xc)));
            record.accept("erfc", relativeError(erfc, BigDecimal.ONE.subtract(ErfTest.erfReference(xc), MC)));
        }
        System.out.println("double-double reference, max relative error against BigDecimal: " + worst);
        worst.forEach((name, err) -> assertThat(err).as(name).isLessThanOrEqualTo(0x1p-80));
    }
}
