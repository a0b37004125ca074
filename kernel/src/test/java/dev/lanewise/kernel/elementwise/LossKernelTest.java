package dev.lanewise.kernel.elementwise;

import dev.lanewise.kernel.spi.KernelProvider;
import dev.lanewise.kernel.spi.Providers;
import org.assertj.core.data.Offset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Softmax and the fused losses of both providers: gradients against central differences of the returned loss
 * (double, random batches), the special values the issue lists, and float against the double kernel.
 */
class LossKernelTest {

    static List<KernelProvider> providers() {
        List<KernelProvider> providers = new ArrayList<>(List.of(Providers.scalar()));
        if (Providers.vectorAvailable()) {
            providers.add(Providers.vector());
        }
        return providers;
    }

    /**
     * Loss L(z) = Σ rows, gradScale = 1. Central difference with h = 1e−6 on logits in [−5, 5]: truncation
     * h²·|L‴|/6 &lt;= 1e−12·Σt (softmax-CE third derivatives are bounded by Σt per coordinate), plus rounding of the
     * two loss sums, each within n·m·ε·|L| of exact, over 2h. Tolerance: 4·m·n·ε·(|L₊| + |L₋|)/(2h) + 1e−9.
     */
    @ParameterizedTest
    @MethodSource("providers")
    void fusedLossGradientsMatchCentralDifferences(KernelProvider p) {
        SplittableRandom rnd = new SplittableRandom(11);
        // The first trials: rows of at most one vector at 4, 8 and 16 lanes (the vector one-register path).
        int[] shortRows = {1, 2, 3, 7, 10, 15};
        for (int trial = 0; trial < 20; trial++) {
            int m = 1 + rnd.nextInt(8), ld0 = rnd.nextInt(3);
            int n = trial < shortRows.length ? shortRows[trial] : 1 + rnd.nextInt(40), ld = n + ld0;
            double[] z = new double[m * ld], t = new double[m * ld];
            int[] labels = new int[m];
            for (int r = 0; r < m; r++) {
                labels[r] = rnd.nextInt(n);
                double rowSum = 0;
                for (int c = 0; c < n; c++) {
                    z[r * ld + c] = rnd.nextDouble() * 10 - 5;
                    t[r * ld + c] = rnd.nextDouble();
                    rowSum += t[r * ld + c];
                }
            }
            double[] gLabels = new double[m * ld], gTargets = new double[m * ld], gBce = new double[m * ld],
                    gMse = new double[m * ld];
            p.softmaxCrossEntropy(m, n, z, 0, ld, labels, 0, 1.0, gLabels, 0, ld);
            p.softmaxCrossEntropy(m, n, z, 0, ld, t, 0, ld, 1.0, gTargets, 0, ld);
            p.binaryCrossEntropyWithLogits(m * ld, z, 0, t, 0, 1.0, gBce, 0);
            p.squaredError(m * ld, z, 0, t, 0, 1.0, gMse, 0);
            double h = 1e-6;
            for (int k = 0; k < m * ld; k++) {
                if (k % ld >= n) {
                    continue;
                }
                double saved = z[k];
                z[k] = saved + h;
                double zp = z[k];
                double[] plus = {p.softmaxCrossEntropy(m, n, z, 0, ld, labels, 0, 1.0, null, 0, ld),
                        p.softmaxCrossEntropy(m, n, z, 0, ld, t, 0, ld, 1.0, null, 0, ld),
                        p.binaryCrossEntropyWithLogits(m * ld, z, 0, t, 0, 1.0, null, 0),
                        p.squaredError(m * ld, z, 0, t, 0, 1.0, null, 0)};
                z[k] = saved - h;
                double zm = z[k];
                double[] minus = {p.softmaxCrossEntropy(m, n, z, 0, ld, labels, 0, 1.0, null, 0, ld),
                        p.softmaxCrossEntropy(m, n, z, 0, ld, t, 0, ld, 1.0, null, 0, ld),
                        p.binaryCrossEntropyWithLogits(m * ld, z, 0, t, 0, 1.0, null, 0),
                        p.squaredError(m * ld, z, 0, t, 0, 1.0, null, 0)};
                z[k] = saved;
                double[][] analytic = {gLabels, gTargets, gBce, gMse};
                // MSE's gradient is defined as gradScale·(y − t), half the derivative of Σ(y − t)².
                double[] factor = {1, 1, 1, 0.5};
                String[] names = {"CE labels", "CE targets", "BCE", "MSE"};
                for (int l = 0; l < 4; l++) {
                    double numeric = factor[l] * (plus[l] - minus[l]) / (zp - zm);
                    assertThat(analytic[l][k]).as("%s %s m=%d n=%d k=%d", p.name(), names[l], m, n, k)
                            .isCloseTo(numeric, Offset.offset(4.0 * m * n * Math.ulp(1.0)
                                    * (Math.abs(plus[l]) + Math.abs(minus[l])) / (zp - zm) + 1e-9));
                }
            }
        }
    }

    /**
     * Equal logits in each row: every row's loss is exactly log n. 400 rows of n = 10 (one or two vectors) and of
     * n = 100: Π Σe = n^400 leaves the double range, so the vector kernels' product of row sums must be rescaled on
     * the way. Bound: m roundings of the product or of the running sum, 4·m·ulp(L).
     */
    @ParameterizedTest
    @MethodSource("providers")
    void crossEntropyOfManyRowsWithLargeRowSums(KernelProvider p) {
        int m = 400;
        for (int n : new int[] {10, 100}) {
            float[] z = new float[m * n], g = new float[m * n];
            java.util.Arrays.fill(z, 3f);
            double[] zd = new double[m * n], gd = new double[m * n];
            java.util.Arrays.fill(zd, -2.5);
            int[] labels = new int[m];
            for (int r = 0; r < m; r++) {
                labels[r] = r % n;
            }
            double want = m * Math.log(n);
            Offset<Double> bound = Offset.offset(4 * m * Math.ulp(want));
            assertThat(p.softmaxCrossEntropy(m, n, z, 0, n, labels, 0, 1f, g, 0, n)).as("float n=%d", n)
                    .isCloseTo(want, bound);
            assertThat(p.softmaxCrossEntropy(m, n, z, 0, n, labels, 0, 1f, null, 0, n)).as("float n=%d", n)
                    .isCloseTo(want, bound);
            assertThat(p.softmaxCrossEntropy(m, n, zd, 0, n, labels, 0, 1.0, gd, 0, n)).as("double n=%d", n)
                    .isCloseTo(want, bound);
            assertThat(g[n + 1]).as("gradient at the label").isCloseTo(1f / n - 1f, Offset.offset(2e-7f));
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void softmaxAndCrossEntropySpecialValues(KernelProvider p) {
        float inf = Float.POSITIVE_INFINITY;
        float[] x = {1e30f, -1e30f, 0f, -inf, /* row 2 */ -inf, 3f, -1e30f, 3f};
        float[] y = new float[8];
        p.softmax(2, 4, x, 0, 4, y, 0, 4);
        assertThat(y).containsExactly(1f, 0f, 0f, 0f, 0f, 0.5f, 0f, 0.5f);
        float[] logY = new float[8];
        p.logSoftmax(2, 4, x, 0, 4, logY, 0, 4);
        assertThat(logY[0]).isZero();
        assertThat(logY[3]).isEqualTo(-inf);
        assertThat(logY[5]).isCloseTo((float) -Math.log(2), Offset.offset(1e-7f));
        // CE with the label's probability underflowing to 0: large finite loss, finite gradient.
        float[] z = {100f, -100f, 0f};
        float[] g = new float[3];
        double loss = p.softmaxCrossEntropy(1, 3, z, 0, 3, new int[]{1}, 0, 1f, g, 0, 3);
        assertThat(loss).isCloseTo(200.0, Offset.offset(1e-4));
        assertThat(g[0]).isEqualTo(1f);
        assertThat(g[1]).isEqualTo(-1f);
        assertThat((double) g[2]).isCloseTo(Math.exp(-100), Offset.offset(2.0 * Float.MIN_VALUE));
        double bce = p.binaryCrossEntropyWithLogits(2, new float[]{100f, -100f}, 0, new float[]{0f, 1f}, 0, 1f,
                g, 0);
        assertThat(bce).isCloseTo(200.0, Offset.offset(1e-4));
        assertThat(g[0]).isEqualTo(1f);
        assertThat(g[1]).isEqualTo(-1f);
        // NaN propagates into the loss and the row's gradient.
        double nanLoss = p.softmaxCrossEntropy(1, 3, new float[]{0f, Float.NaN, 1f}, 0, 3, new int[]{0}, 0, 1f, g,
                0, 3);
        assertThat(nanLoss).isNaN();
        assertThat(g[1]).isNaN();
    }

    /**
     * Float BCE from logits with every element in vector lanes, against the twin's double formula of the same float
     * inputs: the loss term within 4 ULP of its float rounding, the gradient σ(z) − t within 4 ULP of σ plus 4 of t.
     * One element per call of 64 (a multiple of every width, so no scalar tail), at a lane that moves from call to
     * call; the other 63 are z = +∞, t = 1, whose terms and gradients are exactly 0, so the sum is the one term.
     * z over [−110, 110] (subnormal e^−|z| beyond 87.3) and ±2^−k near 0, for t in {0, 1, 0.25, 0.7}.
     */
    @org.junit.jupiter.api.Test
    void floatBceWithLogitsInVectorLanesWithinFourUlp() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Providers.vectorAvailable());
        KernelProvider v = Providers.vector();
        int n = 64;
        float[] z = new float[n], t = new float[n], g = new float[n];
        java.util.Arrays.fill(z, Float.POSITIVE_INFINITY);
        java.util.Arrays.fill(t, 1f);
        List<Float> zs = new ArrayList<>();
        for (int k = 0; k <= 220_000; k++) {
            zs.add(-110f + k * 0.001f);
        }
        for (int k = 1; k <= 140; k++) {
            zs.add((float) Math.scalb(1.0, -k));
            zs.add((float) -Math.scalb(1.0, -k));
        }
        double worstLoss = 0, worstGrad = 0;
        int call = 0;
        for (float ti : new float[] {0f, 1f, 0.25f, 0.7f}) {
            for (float zi : zs) {
                int at = call++ % n;
                z[at] = zi;
                t[at] = ti;
                double loss = v.binaryCrossEntropyWithLogits(n, z, 0, t, 0, 1f, g, 0);
                double ref = dev.lanewise.kernel.scalar.ScalarMath.bceWithLogits(zi, ti);
                double sigma = dev.lanewise.kernel.scalar.ScalarMath.sigmoid(zi);
                worstLoss = Math.max(worstLoss, Math.abs(loss - ref) / Math.ulp((float) ref));
                worstGrad = Math.max(worstGrad, Math.abs(g[at] - (sigma - ti))
                        / (Math.ulp((float) sigma) + Math.ulp(ti)));
                assertThat(Math.abs(loss - ref)).as("loss z=%s t=%s: %s, expected %s", zi, ti, loss, ref)
                        .isLessThanOrEqualTo(4 * Math.ulp((float) ref));
                assertThat(Math.abs(g[at] - (sigma - ti))).as("grad z=%s t=%s: %s, expected %s", zi, ti, g[at],
                        sigma - ti).isLessThanOrEqualTo(4 * (Math.ulp((float) sigma) + Math.ulp(ti)));
                z[at] = Float.POSITIVE_INFINITY;
                t[at] = 1f;
            }
        }
        System.out.printf("float BCE with logits in vector lanes: loss max %.3f ULP, gradient max %.3f ULP%n",
                worstLoss, worstGrad);
    }

    /**
     * The special values of {@code softmaxAndCrossEntropySpecialValues}' BCE and ±∞ logits, in vector lanes (64
     * elements: no scalar tail at any width): finite losses where the linear term's coefficient is 0, NaN only in
     * the lanes that hold NaN.
     */
    @ParameterizedTest
    @MethodSource("providers")
    void bceSpecialValuesInVectorLanes(KernelProvider p) {
        float inf = Float.POSITIVE_INFINITY;
        float[] zPattern = {100f, -100f, 1e30f, 1e30f, inf, -inf, inf, -inf};
        float[] tPattern = {0f, 1f, 1f, 0f, 1f, 0f, 0f, 1f};
        float[] gPattern = {1f, -1f, 0f, 1f, 0f, 0f, 1f, -1f};
        int n = 64;
        float[] z = new float[n], t = new float[n], g = new float[n];
        for (int i = 0; i < n; i++) {
            z[i] = zPattern[i % 8];
            t[i] = tPattern[i % 8];
        }
        double loss = p.binaryCrossEntropyWithLogits(n, z, 0, t, 0, 1f, g, 0);
        // Per 8: 100 + 100 + 0 + 1e30 + 0 + 0 + ∞ + ∞.
        assertThat(loss).isInfinite().isPositive();
        for (int i = 0; i < n; i++) {
            assertThat(g[i]).as("%s grad %d", p.name(), i).isEqualTo(gPattern[i % 8]);
        }
        for (int i = 0; i < n; i++) {
            if (i % 8 >= 6) {
                z[i] = 0f;
            }
        }
        loss = p.binaryCrossEntropyWithLogits(n, z, 0, t, 0, 1f, g, 0);
        assertThat(loss).isCloseTo(8 * (200.0 + 1e30 + 2 * Math.log(2)), Offset.offset(8e24));
        z[37] = Float.NaN;
        loss = p.binaryCrossEntropyWithLogits(n, z, 0, t, 0, 1f, g, 0);
        assertThat(loss).isNaN();
        for (int i = 0; i < n; i++) {
            assertThat(Float.isNaN(g[i])).as("%s grad %d is NaN", p.name(), i).isEqualTo(i == 37);
        }
    }
}
