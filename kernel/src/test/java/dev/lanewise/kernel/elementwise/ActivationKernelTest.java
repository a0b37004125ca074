package dev.lanewise.kernel.elementwise;

import dev.lanewise.kernel.Activation;
import dev.lanewise.kernel.spi.KernelProvider;
import dev.lanewise.kernel.spi.Providers;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Activation kernels of both providers: backward against central differences of forward (double), special values,
 * and the vector kernels against their scalar twins on random sizes and offsets (tails included).
 */
class ActivationKernelTest {
    private static final double EPS_F = Math.ulp(1f);
    private static final double EPS_D = Math.ulp(1.0);
    private static final int[] SIZES = {0, 1, 2, 3, 7, 15, 16, 17, 31, 33, 63, 64, 65, 100, 127, 129, 257, 1000, 4099};

    static Stream<KernelProvider> providers() {
        List<KernelProvider> providers = new ArrayList<>(List.of(Providers.scalar()));
        if (Providers.vectorAvailable()) {
            providers.add(Providers.vector());
        }
        return providers.stream();
    }

    static Stream<Arguments> providersAndFunctions() {
        return providers().flatMap(p -> Stream.of(Activation.Function.values()).map(f -> Arguments.of(p, f)));
    }

    static Stream<Activation.Function> functions() {
        return Stream.of(Activation.Function.values());
    }

    private static double slope(Activation.Function f) {
        return f == Activation.Function.LEAKY_RELU ? 0.01 : 0;
    }

    /**
     * 10⁵ points z in [−8, 8] (|z| &gt; 10⁻³ so the ReLU kink is never inside [z − h, z + h]), h = 10⁻⁵, z ± h exact
     * difference. Error of the central difference: truncation h²·max|f‴|/6 &lt;= 10⁻¹⁰·2/6 (|f‴| &lt;= 2 for all these
     * functions, tanh‴(0) = −2 is the largest) plus rounding 2·4ε·max|f|/(2h) &lt;= 4·2.2e−16·8/10⁻⁵ = 7e−10; the
     * kernel's own error is a few ε. Tolerance 1.5e−9·|dy|.
     */
    @ParameterizedTest
    @MethodSource("providersAndFunctions")
    void backwardMatchesCentralDifferences(KernelProvider p, Activation.Function f) {
        int n = 100_000;
        double h = 1e-5;
        SplittableRandom rnd = new SplittableRandom(f.ordinal() * 31L + 7);
        double[] z = new double[n], zp = new double[n], zm = new double[n], dy = new double[n];
        for (int i = 0; i < n; i++) {
            double v;
            do {
                v = rnd.nextDouble() * 16 - 8;
            } while (Math.abs(v) < 1e-3);
            z[i] = v;
            zp[i] = v + h;
            zm[i] = v - h;
            dy[i] = rnd.nextDouble() * 2 - 1;
        }
        double[] y = new double[n], yp = new double[n], ym = new double[n], dz = new double[n];
        p.activationForward(f, slope(f), n, z, 0, y, 0);
        p.activationForward(f, slope(f), n, zp, 0, yp, 0);
        p.activationForward(f, slope(f), n, zm, 0, ym, 0);
        double[] operand = Activation.of(f).backwardOperand() == Activation.Operand.INPUT ? z : y;
        p.activationBackward(f, slope(f), n, operand, 0, dy, 0, dz, 0);
        for (int i = 0; i < n; i++) {
            double numeric = dy[i] * (yp[i] - ym[i]) / (zp[i] - zm[i]);
            assertThat(dz[i]).as("%s %s dz at z = %s", p.name(), f, z[i])
                    .isCloseTo(numeric, org.assertj.core.data.Offset.offset(1.5e-9 * Math.abs(dy[i]) + 1e-15));
        }
    }

    /**
     * Where the float sigmoids saturate (their e^−w is clamped at e^−20 so that it never turns subnormal, see
     * kernel/ELEMENTWISE-NOTES.md), the clamp must change nothing: every 97th float z in [20, 200], across 87..104
     * where e^−z itself is subnormal, gives sigmoid 1, SiLU z and GELU (tanh) z exactly, and gradients (dy = 1)
     * sigmoid′ 0 (from y = 1), SiLU′ and GELU′ 1.
     */
    @ParameterizedTest
    @MethodSource("providers")
    void sigmoidsSaturateExactlyWhereTheirExpIsClamped(KernelProvider p) {
        int lo = Float.floatToRawIntBits(20f), hi = Float.floatToRawIntBits(200f);
        int n = (hi - lo) / 97 + 1;
        float[] z = new float[n], y = new float[n], dy = new float[n], dz = new float[n];
        for (int i = 0; i < n; i++) {
            z[i] = Float.intBitsToFloat(lo + 97 * i);
            dy[i] = 1f;
        }
        for (Activation.Function f : List.of(Activation.Function.SIGMOID, Activation.Function.SILU,
                Activation.Function.GELU_TANH)) {
            p.activationForward(f, 0f, n, z, 0, y, 0);
            boolean input = Activation.of(f).backwardOperand() == Activation.Operand.INPUT;
            p.activationBackward(f, 0f, n, input ? z : y, 0, dy, 0, dz, 0);
            for (int i = 0; i < n; i++) {
                float expectedY = f == Activation.Function.SIGMOID ? 1f : z[i];
                float expectedDz = f == Activation.Function.SIGMOID ? 0f : 1f;
                assertThat(y[i]).as("%s %s(%s)", p.name(), f, z[i]).isEqualTo(expectedY);
                assertThat(dz[i]).as("%s %s'(%s)", p.name(), f, z[i]).isEqualTo(expectedDz);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("providersAndFunctions")
    void specialValues(KernelProvider p, Activation.Function f) {
        float[] z = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e30f, -1e30f, 0f};
        float[] y = new float[z.length];
        p.activationForward(f, (float) slope(f), z.length, z, 0, y, 0);
        assertThat(y[0]).as("%s NaN propagates", f).isNaN();
        for (int i = 1; i < z.length; i++) {
            assertThat(Float.isNaN(y[i])).as("%s(%s) not NaN", f, z[i]).isFalse();
        }
        switch (f) {
            case SIGMOID -> assertThat(y).containsExactly(Float.NaN, 1f, 0f, 1f, 0f, 0.5f);
            case TANH -> assertThat(y).containsExactly(Float.NaN, 1f, -1f, 1f, -1f, 0f);
            case RELU, GELU_TANH, GELU_ERF, SILU -> {
                assertThat(y[1]).isEqualTo(Float.POSITIVE_INFINITY);
                assertThat(y[2]).isZero();
                assertThat(y[3]).isEqualTo(1e30f);
                assertThat(y[4]).isZero();
            }
            case SOFTPLUS -> assertThat(y).containsExactly(Float.NaN, Float.POSITIVE_INFINITY, 0f, 1e30f, 0f,
                    (float) Math.log(2));
            default -> {
            }
        }
        float[] dy = {1f, 1f, 1f, 1f, 1f, 1f};
        float[] operand = Activation.of(f).backwardOperand() == Activation.Operand.INPUT ? z : y;
        float[] dz = new float[z.length];
        p.activationBackward(f, (float) slope(f), z.length, operand, 0, dy, 0, dz, 0);
        boolean selects = f == Activation.Function.IDENTITY || f == Activation.Function.RELU
                || f == Activation.Function.LEAKY_RELU;
        if (selects) {
            // The ReLU family selects dy (no f′ to compute): a NaN operand is "not > 0"; a NaN dy propagates.
            float[] nanDy = {Float.NaN};
            p.activationBackward(f, (float) slope(f), 1, new float[]{1f}, 0, nanDy, 0, dz, 0);
        }
        assertThat(dz[0]).as("%s backward NaN propagates", f).isNaN();
        for (int i = 1; i < z.length; i++) {
            assertThat(Float.isNaN(dz[i])).as("%s'(%s) not NaN", f, z[i]).isFalse();
        }
    }

    /**
     * The special values of {@link #specialValues} in full vectors: there six elements are shorter than one vector at
     * 256 and 512 bits, so only the scalar tail saw them. Each value here fills 64 elements (every lane of several
     * vectors at any width), plus a scalar tail, and must give the short call's result bit for bit (any NaN where it
     * gave NaN).
     */
    @ParameterizedTest
    @MethodSource("providersAndFunctions")
    void specialValuesInVectorLanes(KernelProvider p, Activation.Function f) {
        // A NaN with the sign bit set too: x86's default NaN (of 0·∞, ∞ − ∞) has it, and bit tricks on signs meet it.
        float[] special = {Float.NaN, Float.intBitsToFloat(0xffc00000), Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY, 1e30f, -1e30f, 0f, -0f};
        int repeat = 64;
        int n = special.length * repeat + 3;
        float[] z = new float[n];
        for (int i = 0; i < n; i++) {
            z[i] = special[Math.min(i / repeat, special.length - 1)];
        }
        float[] y = new float[n], expected = new float[special.length];
        p.activationForward(f, (float) slope(f), n, z, 0, y, 0);
        p.activationForward(f, (float) slope(f), special.length, special, 0, expected, 0);
        for (int i = 0; i < n; i++) {
            float want = expected[Math.min(i / repeat, special.length - 1)];
            // Bits (floatToIntBits: every NaN the same, +0 and −0 not): TANH(−0) = −0, and GELU and SiLU of −∞
            // are −0 in vector lanes as in the scalar tail.
            assertThat(Float.floatToIntBits(y[i])).as("%s %s(%s) = %s, element %d, expected %s", p.name(), f, z[i],
                    y[i], i, want).isEqualTo(Float.floatToIntBits(want));
        }
    }

    /**
     * Double GELU_ERF's edges give the scalar twin's bits, forward and backward (dy = 1), in full vectors (a multiple
     * of every width, so no element takes the scalar tail): NaN, ±∞, ±0, subnormal and tiny z (y = z·½, f′ = ½),
     * where Φ underflows (y = −0 from z ≈ −38.6, as the twin's p == 0 ? −0 : z·p) or is 1 (y = z, f′ = 1 from
     * z ≈ 8.3), a = 40 (the clamp) and beyond; a = 2 (between the pieces) within the accuracy bound. Where the result
     * is subnormal the twin loses bits (its e^(−z²/2) and φ underflow first) and the kernel is checked against the
     * correctly rounded value instead (mpmath, 40 digits).
     */
    @org.junit.jupiter.api.Test
    void doubleGeluErfEdgesAsTheScalarTwin() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Providers.vectorAvailable());
        double[] z = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0, -Double.MIN_VALUE,
                0x1p-1060, -0x1p-1060, Double.MIN_NORMAL, -Double.MIN_NORMAL, 1e-300, -1e-300, 1e-17, -1e-17,
                -38.7, -40, -41, -1e300, -Double.MAX_VALUE, 8.2, 8.4, 9, 40, 1e300, Double.MAX_VALUE,
                2, -2, Math.nextDown(2.0), -Math.nextDown(2.0),
                // Subnormal results: {z, y, f′} correctly rounded below.
                Double.MIN_VALUE, -38.4, -38.6};
        double[][] subnormal = {{Double.MIN_VALUE, Double.MIN_VALUE, 0.5}, {-38.4, -2.535E-321, -9.7346E-320},
                {-38.6, -0.0, -4.4E-323}}; // y(−38.6) = −1.1e-324 rounds to −0, as the twin's saturation
        double[] ones = new double[z.length];
        java.util.Arrays.fill(ones, 1.0);
        KernelProvider s = Providers.scalar(), v = Providers.vector();
        double[] ys = new double[z.length], yv = new double[z.length];
        double[] ds = new double[z.length], dv = new double[z.length];
        s.activationForward(Activation.Function.GELU_ERF, 0.0, z.length, z, 0, ys, 0);
        v.activationForward(Activation.Function.GELU_ERF, 0.0, z.length, z, 0, yv, 0);
        s.activationBackward(Activation.Function.GELU_ERF, 0.0, z.length, z, 0, ones, 0, ds, 0);
        v.activationBackward(Activation.Function.GELU_ERF, 0.0, z.length, z, 0, ones, 0, dv, 0);
        int edges = z.length - subnormal.length;
        for (int i = 0; i < edges; i++) {
            if (Math.abs(z[i]) > 1.5 && Math.abs(z[i]) < 2.5) {
                // Not an edge: the pieces' seam, within the accuracy bound (DoubleActivationAccuracyTest).
                assertThat(yv[i]).as("y(%s)", z[i])
                        .isCloseTo(ys[i], org.assertj.core.data.Offset.offset(4 * Math.ulp(ys[i])));
                assertThat(dv[i]).as("f'(%s)", z[i])
                        .isCloseTo(ds[i], org.assertj.core.data.Offset.offset(4 * Math.ulp(ds[i])));
                continue;
            }
            // Bits (doubleToLongBits: every NaN the same, +0 and −0 not).
            assertThat(Double.doubleToLongBits(yv[i])).as("y(%s) = %s, twin %s", z[i], yv[i], ys[i])
                    .isEqualTo(Double.doubleToLongBits(ys[i]));
            assertThat(Double.doubleToLongBits(dv[i])).as("f'(%s) = %s, twin %s", z[i], dv[i], ds[i])
                    .isEqualTo(Double.doubleToLongBits(ds[i]));
        }
        for (int j = 0; j < subnormal.length; j++) {
            int i = edges + j;
            assertThat(z[i]).isEqualTo(subnormal[j][0]);
            assertThat(Double.doubleToLongBits(yv[i])).as("y(%s) = %s", z[i], yv[i])
                    .isEqualTo(Double.doubleToLongBits(subnormal[j][1]));
            assertThat(Double.doubleToLongBits(dv[i])).as("f'(%s) = %s", z[i], dv[i])
                    .isEqualTo(Double.doubleToLongBits(subnormal[j][2]));
        }
    }

    /**
     * Vector against scalar twin. The scalar float kernel is the double formula rounded once; the vector one is
     * within 4 ULP where the exponent argument w is exact, plus the argument's rounding: e^w's relative error is
     * |w|·(a few ε), giving eps·(6 + 4|w|) relative. Backward sums terms of magnitude up to 1 + |z|(1 + 0.14z²)
     * (GELU's z·s′·inner), each with that relative error.
     */
    @ParameterizedTest
    @MethodSource("functions")
    void vectorMatchesScalarTwin(Activation.Function f) {
        org.junit.jupiter.api.Assumptions.assumeTrue(Providers.vectorAvailable());
        KernelProvider s = Providers.scalar(), v = Providers.vector();
        SplittableRandom rnd = new SplittableRandom(f.ordinal());
        for (int n : SIZES) {
            int zOff = rnd.nextInt(5), yOff = rnd.nextInt(5), dOff = rnd.nextInt(5);
            float[] z = new float[n + zOff], dy = new float[n + dOff];
            double[] zd = new double[n + zOff], dyd = new double[n + dOff];
            for (int i = 0; i < n; i++) {
                zd[zOff + i] = z[zOff + i] = (float) (rnd.nextDouble() * 20 - 10);
                dyd[dOff + i] = dy[dOff + i] = (float) (rnd.nextDouble() * 2 - 1);
            }
            float[] ys = new float[n + yOff], yv = new float[n + yOff];
            double[] yds = new double[n + yOff], ydv = new double[n + yOff];
            s.activationForward(f, (float) slope(f), n, z, zOff, ys, yOff);
            v.activationForward(f, (float) slope(f), n, z, zOff, yv, yOff);
            s.activationForward(f, slope(f), n, zd, zOff, yds, yOff);
            v.activationForward(f, slope(f), n, zd, zOff, ydv, yOff);
            boolean input = Activation.of(f).backwardOperand() == Activation.Operand.INPUT;
            float[] dzs = new float[n + dOff], dzv = new float[n + dOff];
            double[] dzds = new double[n + dOff], dzdv = new double[n + dOff];
            s.activationBackward(f, (float) slope(f), n, input ? z : ys, input ? zOff : yOff, dy, dOff, dzs, dOff);
            v.activationBackward(f, (float) slope(f), n, input ? z : ys, input ? zOff : yOff, dy, dOff, dzv, dOff);
            s.activationBackward(f, slope(f), n, input ? zd : yds, input ? zOff : yOff, dyd, dOff, dzds, dOff);
            v.activationBackward(f, slope(f), n, input ? zd : yds, input ? zOff : yOff, dyd, dOff, dzdv, dOff);
            for (int i = 0; i < n; i++) {
                double zi = zd[zOff + i];
                double rel = 6 + 4 * expArgument(f, zi);
                double terms = 1 + Math.abs(zi) * (1 + 0.14 * zi * zi);
                double dyi = Math.abs(dyd[dOff + i]);
                assertThat((double) yv[yOff + i]).as("%s float y n=%d i=%d z=%s", f, n, i, zi)
                        .isCloseTo(ys[yOff + i], org.assertj.core.data.Offset.offset(rel * EPS_F * Math.abs(ys[yOff + i]) + Float.MIN_NORMAL));
                assertThat(ydv[yOff + i]).as("%s double y n=%d i=%d", f, n, i)
                        .isCloseTo(yds[yOff + i], org.assertj.core.data.Offset.offset(rel * EPS_D * Math.abs(yds[yOff + i]) + Double.MIN_NORMAL));
                assertThat((double) dzv[dOff + i]).as("%s float dz n=%d i=%d z=%s", f, n, i, zi)
                        .isCloseTo(dzs[dOff + i], org.assertj.core.data.Offset.offset(rel * EPS_F * dyi * terms + Float.MIN_NORMAL));
                assertThat(dzdv[dOff + i]).as("%s double dz n=%d i=%d", f, n, i)
                        .isCloseTo(dzds[dOff + i], org.assertj.core.data.Offset.offset(rel * EPS_D * dyi * terms + Double.MIN_NORMAL));
            }
            // Untouched outside [off, off + n): offsets' prefix stays zero.
            for (int i = 0; i < yOff; i++) {
                assertThat(yv[i]).isZero();
            }
        }
    }

    private static double expArgument(Activation.Function f, double z) {
        return switch (f) {
            case SIGMOID, SILU, SOFTPLUS -> Math.abs(z);
            case TANH -> 2 * Math.abs(z);
            case GELU_TANH -> 1.6 * (Math.abs(z) + 0.045 * Math.abs(z * z * z));
            default -> 0;
        };
    }

    /**
     * An element's result does not depend on where it sits: forward and backward over x[0, n) and over the suffix
     * x[s, n) agree bit for bit on the shared elements, for every start s, so elements move between the full vectors
     * and the tail. (Until session 17 the vector kernels' tails ran the scalar formula, which this fails.)
     */
    @ParameterizedTest
    @MethodSource("providersAndFunctions")
    void resultsDoNotDependOnAnElementsPosition(KernelProvider p, Activation.Function f) {
        int n = 41;
        SplittableRandom rnd = new SplittableRandom(f.ordinal() + 101L);
        float[] z = new float[n], dy = new float[n];
        double[] zd = new double[n], dyd = new double[n];
        for (int i = 0; i < n; i++) {
            zd[i] = rnd.nextDouble(-6, 6);
            dyd[i] = rnd.nextDouble(-2, 2);
            z[i] = (float) zd[i];
            dy[i] = (float) dyd[i];
        }
        float slope = (float) slope(f);
        float[] y = new float[n], dz = new float[n];
        double[] yd = new double[n], dzd = new double[n];
        p.activationForward(f, slope, n, z, 0, y, 0);
        p.activationBackward(f, slope, n, z, 0, dy, 0, dz, 0);
        p.activationForward(f, slope, n, zd, 0, yd, 0);
        p.activationBackward(f, slope, n, zd, 0, dyd, 0, dzd, 0);
        for (int s = 1; s < n; s++) {
            float[] ys = new float[n], dzs = new float[n];
            double[] yds = new double[n], dzds = new double[n];
            p.activationForward(f, slope, n - s, z, s, ys, s);
            p.activationBackward(f, slope, n - s, z, s, dy, s, dzs, s);
            p.activationForward(f, slope, n - s, zd, s, yds, s);
            p.activationBackward(f, slope, n - s, zd, s, dyd, s, dzds, s);
            for (int i = s; i < n; i++) {
                String at = p.name() + " " + f + " start " + s + " element " + i;
                assertThat(ys[i]).as("forward " + at).isEqualTo(y[i]);
                assertThat(dzs[i]).as("backward " + at).isEqualTo(dz[i]);
                assertThat(yds[i]).as("double forward " + at).isEqualTo(yd[i]);
                assertThat(dzds[i]).as("double backward " + at).isEqualTo(dzd[i]);
            }
        }
    }
}
