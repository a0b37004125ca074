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

    /** Row lengths around 4-, 8- and 16-lane vectors (one vector or less takes the vector one-register path). */
    private static final int[] ROW_SIZES = {1, 2, 3, 4, 7, 8, 10, 15, 16, 17, 31, 33, 63, 65};
    /** Row counts that are not multiples of any lane count. */
    private static final int[] ROW_COUNTS = {1, 3, 13, 19};
    /** Logits are spread over [−R, R]. */
    private static final double R = 10;
    private static final double SENTINEL = 0.375;

    private enum RowKernel { SOFTMAX, LOG_SOFTMAX, CE_LABELS, CE_LABELS_LOSS, CE_TARGETS, CE_TARGETS_LOSS }

    /**
     * An m × n batch in strided storage: logits x and targets t, each with its own offset and leading dimension,
     * the output's offset and leading dimension, and labels. Each array ends with its last row, so the last rows'
     * vector accesses reach past the end and must be masked.
     */
    private record Batch(int m, int n, double[] x, int xOff, int ldx, double[] t, int tOff, int ldt, int[] labels,
                         int yOff, int ldy) {
        int yLength() {
            return yOff + (m - 1) * ldy + n;
        }

        static Batch random(SplittableRandom rnd, int m, int n) {
            int xOff = rnd.nextInt(4), ldx = n + rnd.nextInt(4), tOff = rnd.nextInt(4), ldt = n + rnd.nextInt(4);
            double[] x = new double[xOff + (m - 1) * ldx + n], t = new double[tOff + (m - 1) * ldt + n];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (rnd.nextDouble() * 2 * R - R);
            }
            for (int i = 0; i < t.length; i++) {
                t[i] = (float) rnd.nextDouble();
            }
            int[] labels = new int[m];
            for (int r = 0; r < m; r++) {
                labels[r] = rnd.nextInt(n);
            }
            return new Batch(m, n, x, xOff, ldx, t, tOff, ldt, labels, rnd.nextInt(4), n + rnd.nextInt(4));
        }
    }

    /**
     * Runs one row kernel on p in float (single) or double; returns the output array (initialised to SENTINEL, so
     * writes outside the rows show) and puts the loss into loss[0].
     */
    private static double[] run(KernelProvider p, RowKernel k, Batch b, boolean single, double[] loss) {
        int m = b.m(), n = b.n();
        double scale = 1.0 / m;
        if (single) {
            float[] x = toFloat(b.x()), t = toFloat(b.t()), y = new float[b.yLength()];
            java.util.Arrays.fill(y, (float) SENTINEL);
            loss[0] = switch (k) {
                case SOFTMAX -> { p.softmax(m, n, x, b.xOff(), b.ldx(), y, b.yOff(), b.ldy()); yield 0; }
                case LOG_SOFTMAX -> { p.logSoftmax(m, n, x, b.xOff(), b.ldx(), y, b.yOff(), b.ldy()); yield 0; }
                case CE_LABELS, CE_LABELS_LOSS -> p.softmaxCrossEntropy(m, n, x, b.xOff(), b.ldx(), b.labels(), 0,
                        (float) scale, k == RowKernel.CE_LABELS ? y : null, b.yOff(), b.ldy());
                case CE_TARGETS, CE_TARGETS_LOSS -> p.softmaxCrossEntropy(m, n, x, b.xOff(), b.ldx(), t, b.tOff(),
                        b.ldt(), (float) scale, k == RowKernel.CE_TARGETS ? y : null, b.yOff(), b.ldy());
            };
            return toDouble(y);
        }
        double[] x = b.x().clone(), t = b.t().clone(), y = new double[b.yLength()];
        java.util.Arrays.fill(y, SENTINEL);
        loss[0] = switch (k) {
            case SOFTMAX -> { p.softmax(m, n, x, b.xOff(), b.ldx(), y, b.yOff(), b.ldy()); yield 0; }
            case LOG_SOFTMAX -> { p.logSoftmax(m, n, x, b.xOff(), b.ldx(), y, b.yOff(), b.ldy()); yield 0; }
            case CE_LABELS, CE_LABELS_LOSS -> p.softmaxCrossEntropy(m, n, x, b.xOff(), b.ldx(), b.labels(), 0, scale,
                    k == RowKernel.CE_LABELS ? y : null, b.yOff(), b.ldy());
            case CE_TARGETS, CE_TARGETS_LOSS -> p.softmaxCrossEntropy(m, n, x, b.xOff(), b.ldx(), t, b.tOff(), b.ldt(),
                    scale, k == RowKernel.CE_TARGETS ? y : null, b.yOff(), b.ldy());
        };
        return y;
    }

    /**
     * Vector against scalar for every row kernel, both precisions. Bounds: an exp argument x − max of magnitude up to
     * 2R carries an absolute rounding error of 2R·eps, a relative one after exp; the row sum adds n·eps; 8x for
     * the few roundings besides. Probabilities: 8·eps·(2R + n)·|p|; log-probabilities the same on |y| + 1 (the
     * shift's error is absolute); gradients: that on gradScale (labels) or gradScale·n (targets: Σt ≤ n); losses:
     * on |L| + m (labels) or |L| + m·n (targets: their terms t·(lse − z) are all ≥ 0, no cancellation). A loss may
     * be ±∞ or NaN where the scalar one is.
     */
    private static void assertRowKernelsMatch(String what, Batch b) {
        int m = b.m(), n = b.n();
        for (boolean single : new boolean[] {true, false}) {
            double eps = single ? FLOAT_EPS : DOUBLE_EPS, bound = 8 * eps * (2 * R + n);
            for (RowKernel k : RowKernel.values()) {
                double[] ls = new double[1], lv = new double[1];
                double[] ys = run(SCALAR, k, b, single, ls), yv = run(VECTOR, k, b, single, lv);
                String name = what + " " + k + (single ? " float" : " double") + " m=" + m + " n=" + n;
                double[] tol = new double[ys.length];
                for (int i = 0; i < tol.length; i++) {
                    tol[i] = switch (k) {
                        case SOFTMAX -> bound * Math.abs(ys[i]);
                        case LOG_SOFTMAX -> bound * (Math.abs(ys[i]) + 1);
                        case CE_LABELS, CE_LABELS_LOSS -> bound / m;
                        case CE_TARGETS, CE_TARGETS_LOSS -> bound * n / m;
                    };
                }
                Twins.assertClose(name, ys, yv, tol);
                double lossTol = switch (k) {
                    case CE_LABELS, CE_LABELS_LOSS -> bound * (Math.abs(ls[0]) + m);
                    case CE_TARGETS, CE_TARGETS_LOSS -> bound * (Math.abs(ls[0]) + m * n);
                    default -> 0;
                };
                Twins.assertClose(name + " loss", ls, lv, new double[] {lossTol});
            }
        }
    }

    @Test
    void rowKernelsOnStridedShortAndLongRows() {
        SplittableRandom rnd = new SplittableRandom(24);
        for (int n : ROW_SIZES) {
            for (int m : ROW_COUNTS) {
                assertRowKernelsMatch("random", Batch.random(rnd, m, n));
            }
        }
    }

    /**
     * Finite special logits in every row pattern: ±1e30 beside ordinary logits, −∞ entries (targets 0 there, label
     * elsewhere), a label on −1e30 (confident and wrong: loss ≈ 1e30, finite). Then rows that give NaN: all −∞, a +∞,
     * a NaN; the scalar twin defines where. Every cross-entropy of finite logits is finite.
     */
    @Test
    void rowKernelsOnSpecialValuesInShortAndLongRows() {
        SplittableRandom rnd = new SplittableRandom(25);
        for (int n : ROW_SIZES) {
            for (int m : new int[] {5, 13}) {
                Batch b = Batch.random(rnd, m, n);
                for (int r = 0; r < m; r++) {
                    int row = b.xOff() + r * b.ldx(), label = b.labels()[r], other = (label + 1) % n;
                    switch (r % 4) {
                        case 1 -> {
                            b.x()[row + rnd.nextInt(n)] = (float) 1e30;
                            b.x()[row + rnd.nextInt(n)] = (float) -1e30;
                        }
                        case 2 -> {
                            if (n > 1) {
                                b.x()[row + other] = Double.NEGATIVE_INFINITY;
                                b.t()[b.tOff() + r * b.ldt() + other] = 0;
                            }
                        }
                        case 3 -> b.x()[row + label] = (float) -1e30;
                        default -> { }
                    }
                }
                assertRowKernelsMatch("finite specials", b);
                for (boolean single : new boolean[] {true, false}) {
                    for (RowKernel k : RowKernel.values()) {
                        double[] loss = new double[1];
                        run(VECTOR, k, b, single, loss);
                        assertThat(loss[0]).as("%s n=%d finite logits", k, n).isFinite();
                    }
                }
                for (int r = 0; r < m; r++) {
                    int row = b.xOff() + r * b.ldx();
                    switch (r % 4) {
                        case 1 -> java.util.Arrays.fill(b.x(), row, row + n, Double.NEGATIVE_INFINITY);
                        case 2 -> b.x()[row + rnd.nextInt(n)] = Double.POSITIVE_INFINITY;
                        case 3 -> b.x()[row + rnd.nextInt(n)] = Double.NaN;
                        default -> { }
                    }
                }
                assertRowKernelsMatch("NaN rows", b);
            }
        }
    }

    /** In place (y = x, same offset and ld): the same numbers as out of place, the gaps between rows untouched. */
    @Test
    void softmaxAndLogSoftmaxInPlace() {
        SplittableRandom rnd = new SplittableRandom(26);
        for (int n : ROW_SIZES) {
            Batch b = Batch.random(rnd, 7, n);
            Batch same = new Batch(b.m(), n, b.x(), b.xOff(), b.ldx(), b.t(), b.tOff(), b.ldt(), b.labels(), b.xOff(),
                    b.ldx());
            for (boolean log : new boolean[] {false, true}) {
                RowKernel k = log ? RowKernel.LOG_SOFTMAX : RowKernel.SOFTMAX;
                double[] outOfPlace = run(VECTOR, k, same, true, new double[1]);
                float[] x = toFloat(b.x());
                if (log) {
                    VECTOR.logSoftmax(b.m(), n, x, b.xOff(), b.ldx(), x, b.xOff(), b.ldx());
                } else {
                    VECTOR.softmax(b.m(), n, x, b.xOff(), b.ldx(), x, b.xOff(), b.ldx());
                }
                for (int i = 0; i < x.length; i++) {
                    boolean inRow = i >= b.xOff() && (i - b.xOff()) % b.ldx() < n;
                    assertThat((double) x[i]).as("%s in place n=%d i=%d", k, n, i)
                            .isEqualTo(inRow ? outOfPlace[i] : (float) b.x()[i]);
                }
            }
        }
    }

    private static float[] toFloat(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            f[i] = (float) x[i];
        }
        return f;
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
