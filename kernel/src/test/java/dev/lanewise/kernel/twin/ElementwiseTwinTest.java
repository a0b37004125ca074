package dev.lanewise.kernel.twin;

import dev.lanewise.kernel.Activation;
import dev.lanewise.kernel.spi.KernelProvider;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static dev.lanewise.kernel.testing.TestArrays.DOUBLE_EPS;
import static dev.lanewise.kernel.testing.TestArrays.FLOAT_EPS;
import static dev.lanewise.kernel.twin.Twins.SCALAR;
import static dev.lanewise.kernel.twin.Twins.SIZES;
import static dev.lanewise.kernel.twin.Twins.VECTOR;
import static dev.lanewise.kernel.twin.Twins.toDouble;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Activations, softmax and the fused losses, vector against scalar. These catch branch, tail and formula slips;
 * the ULP accuracy of the transcendental kernels has its own tests.
 *
 * <p>Bound for a transcendental activation at z: the float evaluation of an argument u ≈ c·(|z| + |z|³) carries an
 * absolute error of about |u|·eps, which exp and its neighbours turn into a relative error of the same size, plus a
 * few roundings; hence tol = 16·eps·(1 + |z| + |z|³)·(|f| + s) with |z| ≤ 8 here, where s is a tiny floor for
 * the forward pass and |dy| for the backward one (f′ is a sum of terms that cancel, e.g. GELU′ near z = −0.75).
 */
class ElementwiseTwinTest {

    private static float[] activationInputs(SplittableRandom rnd, int n) {
        float[] z = new float[n];
        for (int i = 0; i < n; i++) {
            z[i] = (float) (rnd.nextDouble() * 16 - 8);
        }
        return z;
    }

    private static double[] tolerance(double[] z, double[] ref, double[] scale, double eps) {
        double[] tol = new double[ref.length];
        for (int i = 0; i < ref.length; i++) {
            double az = Math.abs(z[i]);
            tol[i] = 16 * eps * (1 + az + az * az * az) * (Math.abs(ref[i]) + scale[i]);
        }
        return tol;
    }

    @Test
    void everyActivationForwardAndBackwardAtEverySize() {
        SplittableRandom rnd = new SplittableRandom(21);
        for (Activation.Function f : Activation.Function.values()) {
            double slope = f == Activation.Function.LEAKY_RELU ? 0.2 : 0;
            for (int n : SIZES) {
                int off = rnd.nextInt(3);
                float[] z = activationInputs(rnd, off + n);
                float[] dy = activationInputs(rnd, off + n);
                float[] ys = new float[off + n], yv = new float[off + n];
                SCALAR.activationForward(f, (float) slope, n, z, off, ys, off);
                VECTOR.activationForward(f, (float) slope, n, z, off, yv, off);
                double[] floor = new double[off + n];
                java.util.Arrays.fill(floor, 1e-30);
                Twins.assertClose(f + " forward float n=" + n, toDouble(ys), toDouble(yv),
                        tolerance(toDouble(z), toDouble(ys), floor, FLOAT_EPS));

                boolean fromOutput = Activation.of(f).backwardOperand() == Activation.Operand.OUTPUT;
                float[] operand = fromOutput ? ys : z;
                float[] ds = new float[off + n], dv = new float[off + n];
                SCALAR.activationBackward(f, (float) slope, n, operand, off, dy, off, ds, off);
                VECTOR.activationBackward(f, (float) slope, n, operand, off, dy, off, dv, off);
                double[] absDy = new double[off + n];
                for (int i = 0; i < absDy.length; i++) {
                    absDy[i] = Math.abs(dy[i]);
                }
                Twins.assertClose(f + " backward float n=" + n, toDouble(ds), toDouble(dv),
                        tolerance(toDouble(z), toDouble(ds), absDy, FLOAT_EPS));

                double[] zd = toDouble(z), yds = new double[off + n], ydv = new double[off + n];
                SCALAR.activationForward(f, slope, n, zd, off, yds, off);
                VECTOR.activationForward(f, slope, n, zd, off, ydv, off);
                Twins.assertClose(f + " forward double n=" + n, yds, ydv, tolerance(zd, yds, floor, DOUBLE_EPS));
                double[] dyd = toDouble(dy), dds = new double[off + n], ddv = new double[off + n];
                double[] operandD = fromOutput ? yds : zd;
                SCALAR.activationBackward(f, slope, n, operandD, off, dyd, off, dds, off);
                VECTOR.activationBackward(f, slope, n, operandD, off, dyd, off, ddv, off);
                Twins.assertClose(f + " backward double n=" + n, dds, ddv, tolerance(zd, dds, absDy, DOUBLE_EPS));
            }
        }
    }

    @Test
    void saturationAndSpecialValuesAreExactInBothProviders() {
        float inf = Float.POSITIVE_INFINITY;
        float[] z = {inf, -inf, Float.NaN, 0f, -0f, 1e30f, -1e30f, 100f, -100f};
        for (KernelProvider p : new KernelProvider[] {SCALAR, VECTOR}) {
            float[] y = new float[z.length];
            p.activationForward(Activation.Function.SIGMOID, 0, z.length, z, 0, y, 0);
            assertThat(y[0]).as(p.name()).isEqualTo(1f);
            assertThat(y[1]).as(p.name()).isEqualTo(0f);
            assertThat(y[2]).as(p.name()).isNaN();
            assertThat(y[3]).as(p.name()).isEqualTo(0.5f);
            assertThat(y[5]).as(p.name()).isEqualTo(1f);
            assertThat(y[6]).as(p.name()).isEqualTo(0f);
            p.activationForward(Activation.Function.TANH, 0, z.length, z, 0, y, 0);
            assertThat(new float[] {y[0], y[1], y[5], y[6], y[7], y[8]}).as(p.name())
                    .containsExactly(1f, -1f, 1f, -1f, 1f, -1f);
            assertThat(y[2]).isNaN();
            p.activationForward(Activation.Function.RELU, 0, z.length, z, 0, y, 0);
            assertThat(y[0]).isEqualTo(inf);
            assertThat(y[1]).isEqualTo(0f);
            assertThat(y[2]).as(p.name() + " relu propagates NaN").isNaN();
            for (Activation.Function f : new Activation.Function[] {Activation.Function.GELU_TANH,
                    Activation.Function.SILU, Activation.Function.SOFTPLUS}) {
                p.activationForward(f, 0, z.length, z, 0, y, 0);
                assertThat(y[0]).as(p.name() + " " + f + "(+inf)").isEqualTo(inf);
                assertThat(y[1]).as(p.name() + " " + f + "(-inf)").isEqualTo(0f);
                assertThat(y[2]).as(p.name() + " " + f + "(NaN)").isNaN();
                assertThat(y[5]).as(p.name() + " " + f + "(1e30)").isEqualTo(1e30f);
                assertThat(y[6]).as(p.name() + " " + f + "(-1e30)").isEqualTo(0f);
                float[] d = new float[z.length], dy = new float[z.length];
                java.util.Arrays.fill(dy, 1f);
                p.activationBackward(f, 0, z.length, z, 0, dy, 0, d, 0);
                assertThat(new float[] {d[0], d[1], d[5], d[6]}).as(p.name() + " " + f + "' saturated")
                        .containsExactly(1f, 0f, 1f, 0f);
            }
        }
    }

    @Test
    void softmaxAndLogSoftmaxRows() {
        SplittableRandom rnd = new SplittableRandom(22);
        for (int n : SIZES) {
            if (n == 0) {
                continue;
            }
            int m = 1 + rnd.nextInt(5), ld = n + rnd.nextInt(3);
            float[] x = new float[m * ld + 1];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (rnd.nextDouble() * 40 - 20);
            }
            x[0] = -1e30f; // extreme but finite entries must not break the row
            if (n > 1) {
                x[1] = Float.NEGATIVE_INFINITY;
            }
            for (boolean log : new boolean[] {false, true}) {
                float[] ys = new float[x.length], yv = new float[x.length];
                if (log) {
                    SCALAR.logSoftmax(m, n, x, 0, ld, ys, 0, ld);
                    VECTOR.logSoftmax(m, n, x, 0, ld, yv, 0, ld);
                } else {
                    SCALAR.softmax(m, n, x, 0, ld, ys, 0, ld);
                    VECTOR.softmax(m, n, x, 0, ld, yv, 0, ld);
                }
                double[] tol = new double[x.length];
                for (int i = 0; i < tol.length; i++) {
                    // exp of an argument up to 40 in magnitude: relative error ~ 40·eps; the row sum adds n·eps.
                    tol[i] = 8 * FLOAT_EPS * (40 + n) * (Math.abs(ys[i]) + (log ? 1 : 0)) + Double.MIN_VALUE;
                }
                Twins.assertClose((log ? "logSoftmax" : "softmax") + " n=" + n, toDouble(ys), toDouble(yv), tol);
                if (!log && n > 2) {
                    assertThat(yv[0]).as("softmax of -1e30 beside finite logits").isEqualTo(0f);
                    assertThat(yv[1]).as("softmax of -inf").isEqualTo(0f);
                }
            }
        }
    }

    @Test
    void fusedLossesValueAndGradient() {
        SplittableRandom rnd = new SplittableRandom(23);
        for (int n : SIZES) {
            if (n == 0) {
                continue;
            }
            int m = 1 + rnd.nextInt(7);
            float[] z = new float[m * n], t = new float[m * n];
            int[] labels = new int[m];
            for (int i = 0; i < z.length; i++) {
                z[i] = (float) (rnd.nextDouble() * 20 - 10);
                t[i] = (float) rnd.nextDouble();
            }
            for (int r = 0; r < m; r++) {
                labels[r] = rnd.nextInt(n);
            }
            float scale = 1f / m;
            double[] lossScale = new double[z.length];
            java.util.Arrays.fill(lossScale, 1);

            float[] gs = new float[z.length], gv = new float[z.length];
            double ls = SCALAR.softmaxCrossEntropy(m, n, z, 0, n, labels, 0, scale, gs, 0, n);
            double lv = VECTOR.softmaxCrossEntropy(m, n, z, 0, n, labels, 0, scale, gv, 0, n);
            assertThat(lv).as("CE labels n=" + n).isCloseTo(ls, org.assertj.core.data.Offset.offset(
                    8 * FLOAT_EPS * (20 + n) * m * (Math.abs(ls) / m + 1)));
            Twins.assertClose("CE labels grad n=" + n, toDouble(gs), toDouble(gv),
                    constant(z.length, 8 * FLOAT_EPS * (20 + n) * scale));
            assertThat(VECTOR.softmaxCrossEntropy(m, n, z, 0, n, labels, 0, scale, null, 0, n)).isEqualTo(lv);

            ls = SCALAR.softmaxCrossEntropy(m, n, z, 0, n, t, 0, n, scale, gs, 0, n);
            lv = VECTOR.softmaxCrossEntropy(m, n, z, 0, n, t, 0, n, scale, gv, 0, n);
            assertThat(lv).as("CE targets n=" + n).isCloseTo(ls, org.assertj.core.data.Offset.offset(
                    8 * FLOAT_EPS * (20 + n) * (Math.abs(ls) + m * n)));
            Twins.assertClose("CE targets grad n=" + n, toDouble(gs), toDouble(gv),
                    constant(z.length, 8 * FLOAT_EPS * (20 + n) * n * scale));

            ls = SCALAR.binaryCrossEntropyWithLogits(z.length, z, 0, t, 0, scale, gs, 0);
            lv = VECTOR.binaryCrossEntropyWithLogits(z.length, z, 0, t, 0, scale, gv, 0);
            assertThat(lv).as("BCE n=" + n).isCloseTo(ls, org.assertj.core.data.Offset.offset(
                    16 * FLOAT_EPS * (10 + z.length) * (Math.abs(ls) + 1)));
            Twins.assertClose("BCE grad n=" + n, toDouble(gs), toDouble(gv), constant(z.length, 32 * FLOAT_EPS * scale));

            ls = SCALAR.squaredError(z.length, z, 0, t, 0, scale, gs, 0);
            lv = VECTOR.squaredError(z.length, z, 0, t, 0, scale, gv, 0);
            assertThat(lv).as("MSE n=" + n).isCloseTo(ls, org.assertj.core.data.Offset.offset(
                    4 * FLOAT_EPS * (Math.abs(ls) + 1)));
            Twins.assertClose("MSE grad n=" + n, toDouble(gs), toDouble(gv), constant(z.length, 4 * FLOAT_EPS * 11 * scale));

            double[] zd = toDouble(z), td = toDouble(t), gds = new double[z.length], gdv = new double[z.length];
            double lds = SCALAR.softmaxCrossEntropy(m, n, zd, 0, n, labels, 0, 1.0 / m, gds, 0, n);
            double ldv = VECTOR.softmaxCrossEntropy(m, n, zd, 0, n, labels, 0, 1.0 / m, gdv, 0, n);
            assertThat(ldv).isCloseTo(lds, org.assertj.core.data.Offset.offset(
                    8 * DOUBLE_EPS * (20 + n) * m * (Math.abs(lds) / m + 1)));
            Twins.assertClose("dCE grad", gds, gdv, constant(z.length, 8 * DOUBLE_EPS * (20 + n)));
            lds = SCALAR.binaryCrossEntropyWithLogits(z.length, zd, 0, td, 0, 1.0, gds, 0);
            ldv = VECTOR.binaryCrossEntropyWithLogits(z.length, zd, 0, td, 0, 1.0, gdv, 0);
            assertThat(ldv).isCloseTo(lds, org.assertj.core.data.Offset.offset(
                    16 * DOUBLE_EPS * (10 + z.length) * (Math.abs(lds) + 1)));
            Twins.assertClose("dBCE grad", gds, gdv, constant(z.length, 32 * DOUBLE_EPS));
        }
    }

    @Test
    void extremeLogitsGiveFiniteLossesAndNoNaN() {
        for (KernelProvider p : new KernelProvider[] {SCALAR, VECTOR}) {
            float[] z = {1e30f, -1e30f, 0f, Float.NEGATIVE_INFINITY};
            float[] g = new float[4];
            double loss = p.softmaxCrossEntropy(1, 4, z, 0, 4, new int[] {1}, 0, 1f, g, 0, 4);
            assertThat(loss).as(p.name()).isEqualTo(2e30, org.assertj.core.data.Offset.offset(1e24));
            assertThat(g).as(p.name()).containsExactly(1f, -1f, 0f, 0f);
            float[] t = {1f, 0f, 1f, 0f};
            float[] zb = {1e30f, 1e30f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
            double bce = p.binaryCrossEntropyWithLogits(4, zb, 0, t, 0, 1f, g, 0);
            assertThat(bce).as(p.name() + " BCE").isEqualTo(1e30, org.assertj.core.data.Offset.offset(1e24));
            assertThat(g).as(p.name() + " BCE grad").containsExactly(0f, 1f, 0f, 0f);
        }
    }

    private static double[] constant(int n, double value) {
        double[] x = new double[n];
        java.util.Arrays.fill(x, value);
        return x;
    }
}
