package dev.lanewise.kernel.vector.math;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * VectorExp against the JDK: max error in ULPs over dense samples, and the special values exactly as Math.exp.
 * Errors are measured against the more precise reference (float: Math.exp in double, so the float result's error
 * against the true value to within 1e-7 ULP; double: StrictMath.exp, itself within 1 ULP), in ULPs of the correctly
 * rounded result, which for subnormal results is Float/Double.MIN_VALUE.
 */
class VectorExpTest {
    /** Every 61st float bit pattern: about 70 million inputs, negative and positive, every exponent. */
    private static final int FLOAT_STRIDE = 61;
    /**
     * The final 1 + (r + r²·Q) rounds once (0.5 ULP); r + r²·Q contributes up to 0.25 ULP of 1 (|r| ≤ 0.35), Q's
     * fit 0.1 and the rounded r (n·LN2_LO) a few hundredths: about 1 ULP at worst (measured 1.05), and the 2^n
     * scaling is exact but where it rounds into a subnormal (0.5 ULP of the least subnormal on top).
     */
    private static final double FLOAT_BOUND_ULPS = 1.5;
    /** Ours about 1 ULP by the same budget as float's (Q's fit is 1e-17), the reference's own up to 1 ULP. */
    private static final double DOUBLE_BOUND_ULPS = 2;

    @Test
    void floatWithinBoundOverTheWholeFloatRange() {
        int lanes = VectorExp.F.length();
        float[] x = new float[4096];
        float[] e = new float[x.length];
        double worst = 0;
        float worstAt = 0;
        long bits = 0, samples = 0;
        long end = 1L << 32;
        while (bits < end) {
            int filled = 0;
            for (; filled < x.length && bits < end; bits += FLOAT_STRIDE) {
                float v = Float.intBitsToFloat((int) bits);
                if (!Float.isNaN(v)) {
                    x[filled++] = v;
                }
            }
            for (int i = 0; i < filled; i += lanes) { // the tail lanes see stale inputs, never read back
                VectorExp.exp(FloatVector.fromArray(VectorExp.F, x, i)).intoArray(e, i);
            }
            for (int i = 0; i < filled; i++) {
                double err = floatUlps(e[i], Math.exp(x[i]));
                if (err > worst) {
                    worst = err;
                    worstAt = x[i];
                }
            }
            samples += filled;
        }
        System.out.printf("VectorExp float: max %.3f ULP at x = %s (%d inputs)%n", worst, worstAt, samples);
        assertThat(worst).as("max ULP at x = %s", worstAt).isLessThanOrEqualTo(FLOAT_BOUND_ULPS);
    }

    @Test
    void doubleWithinBoundOnRandomInputs() {
        SplittableRandom rnd = new SplittableRandom(7);
        double[] x = new double[4096];
        double[] e = new double[x.length];
        double worst = 0, worstAt = 0;
        for (int round = 0; round < 1000; round++) {
            for (int i = 0; i < x.length; i++) {
                x[i] = switch (round % 4) {
                    case 0 -> rnd.nextDouble(-746, 710); // the whole range where e^x is neither 0 nor ∞
                    case 1 -> rnd.nextDouble(-1, 1);
                    case 2 -> rnd.nextDouble(-745.2, -708); // subnormal results
                    default -> Math.scalb(rnd.nextDouble(-1, 1), -rnd.nextInt(60)); // tiny arguments
                };
            }
            for (int i = 0; i < x.length; i += VectorExp.D.length()) {
                VectorExp.exp(DoubleVector.fromArray(VectorExp.D, x, i)).intoArray(e, i);
            }
            for (int i = 0; i < x.length; i++) {
                double ref = StrictMath.exp(x[i]);
                double err = Math.abs(e[i] - ref) / Math.ulp(ref);
                if (err > worst) {
                    worst = err;
                    worstAt = x[i];
                }
            }
        }
        System.out.printf("VectorExp double: max %.3f ULP vs StrictMath.exp at x = %s (4,096,000 inputs)%n", worst,
                worstAt);
        assertThat(worst).as("max ULP at x = %s", worstAt).isLessThanOrEqualTo(DOUBLE_BOUND_ULPS);
    }

    @Test
    void specialValuesAsMathExp() {
        float ln = (float) Math.log(Float.MAX_VALUE);
        float[] fx = {0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, Float.MAX_VALUE,
            -Float.MAX_VALUE, Float.MIN_VALUE, -Float.MIN_VALUE, ln, Math.nextUp(ln), Math.nextDown(ln), 88.72284f,
            -103.97208f, -103.97209f, -104f, -87.33655f, 1f, -1f, 1e-30f};
        for (float v : fx) {
            float expected = (float) Math.exp(v);
            float got = expFloat(v);
            if (Float.isNaN(expected) || Float.isInfinite(expected) || expected == 0 || expected == 1) {
                assertThat(Float.floatToIntBits(got)).as("exp(%s) = %s", v, got)
                        .isEqualTo(Float.floatToIntBits(expected)); // any NaN is NaN
            } else {
                assertThat(floatUlps(got, Math.exp(v))).as("exp(%s) = %s", v, got).isLessThanOrEqualTo(FLOAT_BOUND_ULPS);
            }
        }
        double dln = Math.log(Double.MAX_VALUE);
        double[] dx = {0, -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, Double.MAX_VALUE,
            -Double.MAX_VALUE, Double.MIN_VALUE, dln, Math.nextUp(dln), Math.nextDown(dln), -745.1332191019411,
            -745.1332191019412, -745.2, -746, -708.3964185322641, 1e-300, -1e-300};
        for (double v : dx) {
            double expected = StrictMath.exp(v);
            double got = expDouble(v);
            if (Double.isNaN(expected) || Double.isInfinite(expected) || expected == 0 || expected == 1) {
                assertThat(Double.doubleToLongBits(got)).as("exp(%s) = %s", v, got).isEqualTo(Double.doubleToLongBits(expected));
            } else {
                assertThat(Math.abs(got - expected) / Math.ulp(expected)).as("exp(%s) = %s", v, got)
                        .isLessThanOrEqualTo(DOUBLE_BOUND_ULPS);
            }
        }
    }

    /** |got − ref| in ULPs of ref rounded to float; ∞ when got is not the same kind (finite, ∞, NaN) as ref. */
    private static double floatUlps(float got, double ref) {
        float rounded = (float) ref;
        if (Float.isInfinite(rounded) || Float.isInfinite(got)) {
            return got == rounded ? 0 : Double.POSITIVE_INFINITY;
        }
        if (Float.isNaN(got)) {
            return Double.POSITIVE_INFINITY;
        }
        return Math.abs(got - ref) / Math.ulp(rounded);
    }

    private static float expFloat(float v) {
        float[] a = new float[VectorExp.F.length()];
        java.util.Arrays.fill(a, v);
        return VectorExp.exp(FloatVector.fromArray(VectorExp.F, a, 0)).lane(a.length - 1);
    }

    private static double expDouble(double v) {
        double[] a = new double[VectorExp.D.length()];
        java.util.Arrays.fill(a, v);
        return VectorExp.exp(DoubleVector.fromArray(VectorExp.D, a, 0)).lane(a.length - 1);
    }
}
