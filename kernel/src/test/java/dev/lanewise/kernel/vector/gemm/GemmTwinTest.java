package dev.lanewise.kernel.vector.gemm;

import dev.lanewise.kernel.Activation;
import dev.lanewise.kernel.Parallelism;
import dev.lanewise.kernel.scalar.ScalarMath;
import dev.lanewise.kernel.spi.KernelProvider;
import dev.lanewise.kernel.spi.Providers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The packed GEMM (through {@code VectorProvider.gemm/gemmFused}) against the scalar reference twin, on shapes
 * straddling every block boundary of the running JVM's {@link BlockSizes} (so the 128-bit run tests its own
 * boundaries), every transpose, offsets, ld &gt; cols, alpha/beta in {0, 1, -0.5, 2}, every epilogue, and thread
 * counts 1..4 (bit-identical).
 *
 * <p>Tolerance, per element: both sides compute the same exact value s = alpha·Σ a·b + beta·c. The packed kernel
 * uses a chain of k FMAs, one multiply by alpha and one FMA with beta·c; the scalar reference rounds alpha·a, then
 * a product and a sum per step. By the standard bound (Higham, Thm 3.5) each side is within
 * γ_n · (|alpha|·(|A||B|)_ij + |beta|·|c_ij|) of s with γ_n = n·u / (1 − n·u), n = 2k + 3 and u the unit roundoff;
 * their difference is within twice that. The epilogue adds one rounding for the bias (u·|z| per side) and the
 * activation, whose Lipschitz constant is at most 1.13 (GELU; 1 for the others) and whose own error is a few ulps of
 * |y| for the vector formulas (SVML, at most 4 ulp documented) plus one rounding of the reference: we allow 1.2·Δz
 * + 16·u·|y|.
 */
class GemmTwinTest {
    private static final double[] SCALARS = {0, 1, -0.5, 2};
    private static final Activation[] EPILOGUE_ACTIVATIONS = {Activation.IDENTITY, Activation.RELU,
            Activation.leakyRelu(0.1), Activation.SIGMOID, Activation.TANH, Activation.GELU_TANH, Activation.SILU,
            Activation.SOFTPLUS};

    private static KernelProvider vector;
    private static KernelProvider scalar;
    private final int savedThreads = Parallelism.threads();

    @BeforeAll
    static void providers() {
        vector = Providers.vector();
        scalar = Providers.scalar();
        assertThat(vector.name()).isEqualTo("vector");
        assertThat(scalar.name()).isEqualTo("scalar");
    }

    /** Every multi-threaded call here must really run on several threads, whatever the machine's load. */
    @BeforeEach
    void noBusyBackoff() {
        GemmDriver.backoffEnabled = false;
        GemmDriver.resetBackoff();
    }

    @AfterEach
    void restoreThreads() {
        Parallelism.setThreads(savedThreads);
        GemmDriver.backoffEnabled = true;
    }

    /** The busy test behind the back-off: a worker that never started during a long share of the caller's. */
    @Test
    void busyMachineIsRecognizedFromOneCallsTiming() {
        long min = GemmDriver.BUSY_MIN_NANOS;
        assertThat(GemmDriver.looksBusy(true, 2 * min)).isTrue();
        assertThat(GemmDriver.looksBusy(true, min / 2)).as("short call: a parked worker may wake late").isFalse();
        assertThat(GemmDriver.looksBusy(false, 100 * min)).as("the worker took part").isFalse();
    }

    /** One call's arguments, held in double; the float run rounds them (the random values are floats already). */
    private record Call(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int aOff,
                        int lda, double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc,
                        double[] bias, int biasOff, Activation act, boolean storePre, int preOff, int ldPre) {
        @Override
        public String toString() {
            return (transA ? "T" : "N") + (transB ? "T" : "N") + " m=" + m + " n=" + n + " k=" + k + " alpha=" + alpha
                    + " beta=" + beta + " ld=" + lda + "/" + ldb + "/" + ldc + " bias=" + (bias != null) + " act="
                    + act + " pre=" + storePre;
        }
    }

    private static Call call(SplittableRandom rnd, boolean transA, boolean transB, int m, int n, int k, double alpha,
                             double beta, boolean bias, Activation act, boolean storePre) {
        return call(rnd, transA, transB, m, n, k, alpha, beta, bias, act, storePre, false);
    }

    /** {@code tight}: every leading dimension is its minimum (contiguous rows of C, the epilogue's panel path). */
    private static Call call(SplittableRandom rnd, boolean transA, boolean transB, int m, int n, int k, double alpha,
                             double beta, boolean bias, Activation act, boolean storePre, boolean tight) {
        int aRows = transA ? k : m, aCols = transA ? m : k;
        int bRows = transB ? n : k, bCols = transB ? k : n;
        int pad = tight ? 1 : 3;
        int lda = Math.max(1, aCols) + rnd.nextInt(pad), ldb = Math.max(1, bCols) + rnd.nextInt(pad);
        int ldc = Math.max(1, n) + rnd.nextInt(pad), ldPre = Math.max(1, n) + rnd.nextInt(pad);
        int aOff = rnd.nextInt(4), bOff = rnd.nextInt(4), cOff = rnd.nextInt(4), biasOff = rnd.nextInt(4);
        int preOff = rnd.nextInt(4);
        double[] a = randomFloats(rnd, aOff + aRows * lda + 3);
        double[] b = randomFloats(rnd, bOff + bRows * ldb + 3);
        double[] c = randomFloats(rnd, cOff + m * ldc + 3);
        if (beta == 0) {
            Arrays.fill(c, Double.NaN); // beta == 0 must never read C
        }
        return new Call(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc,
                bias ? randomFloats(rnd, biasOff + n + 2) : null, biasOff, act, storePre, preOff, ldPre);
    }

    private static double[] randomFloats(SplittableRandom rnd, int length) {
        double[] x = new double[length];
        for (int i = 0; i < length; i++) {
            x[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return x;
    }

    /** Results of one provider: C's whole array and the pre-activation array (or null). */
    private record Result(double[] c, double[] pre) {
    }

    private static Result run(KernelProvider p, Call x, boolean single) {
        int preLength = x.storePre ? x.preOff + x.m * x.ldPre + 2 : 0;
        Activation.Function f = x.act == null ? null : x.act.function();
        if (single) {
            float[] c = toFloat(x.c);
            float[] pre = x.storePre ? new float[preLength] : null;
            if (x.act == null && x.bias == null && !x.storePre) {
                p.gemm(x.transA, x.transB, x.m, x.n, x.k, (float) x.alpha, toFloat(x.a), x.aOff, x.lda, toFloat(x.b),
                        x.bOff, x.ldb, (float) x.beta, c, x.cOff, x.ldc);
            } else {
                p.gemmFused(x.transA, x.transB, x.m, x.n, x.k, (float) x.alpha, toFloat(x.a), x.aOff, x.lda,
                        toFloat(x.b), x.bOff, x.ldb, (float) x.beta, c, x.cOff, x.ldc,
                        x.bias == null ? null : toFloat(x.bias), x.biasOff, f,
                        x.act == null ? 0f : (float) x.act.parameter(), pre, x.preOff, x.ldPre);
            }
            return new Result(toDouble(c), pre == null ? null : toDouble(pre));
        }
        double[] c = x.c.clone();
        double[] pre = x.storePre ? new double[preLength] : null;
        if (x.act == null && x.bias == null && !x.storePre) {
            p.gemm(x.transA, x.transB, x.m, x.n, x.k, x.alpha, x.a.clone(), x.aOff, x.lda, x.b.clone(), x.bOff, x.ldb,
                    x.beta, c, x.cOff, x.ldc);
        } else {
            p.gemmFused(x.transA, x.transB, x.m, x.n, x.k, x.alpha, x.a.clone(), x.aOff, x.lda, x.b.clone(), x.bOff,
                    x.ldb, x.beta, c, x.cOff, x.ldc, x.bias == null ? null : x.bias.clone(), x.biasOff, f,
                    x.act == null ? 0.0 : x.act.parameter(), pre, x.preOff, x.ldPre);
        }
        return new Result(c, pre);
    }

    /** Runs vector and scalar and checks every element of C (and pre) against the derived bound. */
    private static void check(Call x, boolean single) {
        Result got = run(vector, x, single);
        Result want = run(scalar, x, single);
        double u = (single ? Math.ulp(1f) : Math.ulp(1.0)) / 2;
        int steps = 2 * x.k + 3;
        double gamma = steps * u / (1 - steps * u);
        for (int i = 0; i < x.m; i++) {
            for (int j = 0; j < x.n; j++) {
                double magnitude = Math.abs(x.beta) * (x.beta == 0 ? 0 : Math.abs(x.c[x.cOff + i * x.ldc + j]));
                if (x.alpha != 0) {
                    double s = 0;
                    for (int p = 0; p < x.k; p++) {
                        s += Math.abs(elemA(x, i, p) * elemB(x, p, j));
                    }
                    magnitude += Math.abs(x.alpha) * s;
                }
                double zBound = 2 * gamma * magnitude;
                int ci = x.cOff + i * x.ldc + j;
                double z = want.pre != null ? want.pre[x.preOff + i * x.ldPre + j] : want.c[ci];
                if (x.bias != null) {
                    zBound += 2 * u * Math.abs(z) + 2 * u * magnitude;
                }
                if (want.pre != null) {
                    int pi = x.preOff + i * x.ldPre + j;
                    assertClose(got.pre[pi], want.pre[pi], zBound, x, "pre", i, j, single);
                }
                double bound = x.act == null ? zBound : 1.2 * zBound + 16 * u * Math.abs(want.c[ci]);
                assertClose(got.c[ci], want.c[ci], bound, x, "c", i, j, single);
            }
        }
        assertOutsideUntouched(got.c, x, single);
    }

    private static void assertClose(double got, double want, double bound, Call x, String what, int i, int j,
                                    boolean single) {
        if (Double.isNaN(got) || Double.isNaN(want) || Math.abs(got - want) > bound) {
            fail((single ? "float " : "double ") + x + ": " + what + "[" + i + "][" + j + "] = " + got + ", want "
                    + want + " within " + bound);
        }
    }

    /** Elements of C's array outside the m x n view keep their values (padding, offsets, ld gaps). */
    private static void assertOutsideUntouched(double[] got, Call x, boolean single) {
        for (int idx = 0; idx < got.length; idx++) {
            int rel = idx - x.cOff;
            boolean inside = rel >= 0 && rel / x.ldc < x.m && rel % x.ldc < x.n;
            if (!inside) {
                double original = single ? (float) x.c[idx] : x.c[idx];
                assertThat(Double.doubleToRawLongBits(got[idx])).as("c[%d] outside the view, %s", idx, x)
                        .isEqualTo(Double.doubleToRawLongBits(original));
            }
        }
    }

    private static double elemA(Call x, int i, int p) {
        return x.transA ? x.a[x.aOff + p * x.lda + i] : x.a[x.aOff + i * x.lda + p];
    }

    private static double elemB(Call x, int p, int j) {
        return x.transB ? x.b[x.bOff + j * x.ldb + p] : x.b[x.bOff + p * x.ldb + j];
    }

    private static float[] toFloat(double[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = (float) x[i];
        }
        return y;
    }

    private static double[] toDouble(float[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i];
        }
        return y;
    }

    private static BlockSizes sizes(boolean single) {
        return single ? FloatOps.INSTANCE.sizes : DoubleOps.INSTANCE.sizes;
    }

    /** {v - 1, v, v + 1} for each boundary v, plus 1: the values that cut a block, fill it, and spill one over. */
    private static int[] around(int... boundaries) {
        List<Integer> values = new ArrayList<>(List.of(1));
        for (int v : boundaries) {
            for (int d = -1; d <= 1; d++) {
                if (v + d >= 1 && !values.contains(v + d)) {
                    values.add(v + d);
                }
            }
        }
        return values.stream().mapToInt(Integer::intValue).toArray();
    }

    // ---------------------------------------------------------------- tests

    @Test
    void microTileBoundariesEveryTransposeAndScalar() {
        for (boolean single : new boolean[] {true, false}) {
            BlockSizes bs = sizes(single);
            SplittableRandom rnd = new SplittableRandom(single ? 1 : 2);
            for (int m : around(bs.mr(), 2 * bs.mr())) {
                for (int n : around(bs.nr(), 2 * bs.nr())) {
                    for (int k : new int[] {1, 2, 9}) {
                        boolean tA = rnd.nextBoolean(), tB = rnd.nextBoolean();
                        double alpha = SCALARS[rnd.nextInt(4)], beta = SCALARS[rnd.nextInt(4)];
                        check(call(rnd, tA, tB, m, n, k, alpha, beta, false, null, false), single);
                    }
                }
            }
            // Every transpose x alpha x beta on one shape with partial tiles in both directions.
            for (int t = 0; t < 4; t++) {
                for (double alpha : SCALARS) {
                    for (double beta : SCALARS) {
                        check(call(rnd, (t & 1) != 0, (t & 2) != 0, 2 * bs.mr() + 1, bs.nr() + 3, 17, alpha, beta,
                                false, null, false), single);
                    }
                }
            }
        }
    }

    @Test
    void cacheBlockBoundaries() {
        for (boolean single : new boolean[] {true, false}) {
            BlockSizes bs = sizes(single);
            SplittableRandom rnd = new SplittableRandom(single ? 3 : 4);
            Parallelism.setThreads(1);
            // KC itself and where sliceDepth goes from one slice to two and from two to three.
            for (int k : around(bs.kc(), 2 * bs.kc(), bs.maxSliceDepth(), 2 * bs.maxSliceDepth())) {
                check(call(rnd, rnd.nextBoolean(), rnd.nextBoolean(), bs.mr() + 1, bs.nr() - 1, k, 1, 0.5 * (k % 3),
                        false, null, false), single);
            }
            for (int n : around(bs.nc(), 2 * bs.nc())) {
                check(call(rnd, rnd.nextBoolean(), rnd.nextBoolean(), bs.mr() - 1 + (n % 3), n, 5, 2, 1, false, null,
                        false), single);
            }
            for (int m : around(bs.mc())) {
                if (m > 1) {
                    check(call(rnd, rnd.nextBoolean(), rnd.nextBoolean(), m, bs.nr() + 1, 3, -0.5, 2, false, null,
                            false), single);
                }
            }
            // All three cache loops at once, every transpose.
            for (int t = 0; t < 4; t++) {
                check(call(rnd, (t & 1) != 0, (t & 2) != 0, bs.mr() * 3 + 1, bs.nc() + 1, bs.kc() + 1, 1, -0.5,
                        false, null, false), single);
            }
        }
    }

    /**
     * Untransposed A is packed only from {@link Precision#packAMinColumns} columns of C on (128 for float at 512 bits,
     * else {@link GemmDriver#PACK_A_MIN_COLUMNS}), and full panels are then packed 16 k steps at a time at 512 bits
     * (Transposes.f32x8x16) with a copied rest: k below, at and across multiples of 16 and KC, row counts with full
     * and partial panels, both sides of the column threshold.
     */
    @Test
    void packedUntransposedAAcrossItsBlockAndColumnThresholds() {
        for (boolean single : new boolean[] {true, false}) {
            BlockSizes bs = sizes(single);
            SplittableRandom rnd = new SplittableRandom(single ? 11 : 12);
            Parallelism.setThreads(1);
            int cols = (single ? FloatOps.INSTANCE : DoubleOps.INSTANCE).packAMinColumns();
            for (int k : new int[] {15, 16, 17, 33, 47, bs.kc() + 17}) {
                for (int m : new int[] {bs.mr(), 2 * bs.mr() + 3}) {
                    for (int n : new int[] {cols - 1, cols, cols + bs.nr() + 1}) {
                        check(call(rnd, false, rnd.nextBoolean(), m, n, k, SCALARS[1 + rnd.nextInt(3)],
                                SCALARS[rnd.nextInt(4)], false, null, false), single);
                    }
                }
            }
        }
    }

    private static Precision<?> variant(boolean single, int n) {
        return single ? FloatOps.forColumns(n) : DoubleOps.forColumns(n);
    }

    private static int lanes(boolean single) {
        return single ? FloatOps.INSTANCE.lanes() : DoubleOps.INSTANCE.lanes();
    }

    /**
     * Every column count from 1 to two vector lengths + 1 (the narrow one- and two-vector kernels, then the general
     * tile), rows around the variant's MR multiples, every transpose, random alpha/beta, offsets and ld &gt; n.
     */
    @Test
    void narrowEveryColumnCountRowCountAndTranspose() {
        for (boolean single : new boolean[] {true, false}) {
            int lanes = lanes(single);
            SplittableRandom rnd = new SplittableRandom(single ? 12 : 13);
            for (int n = 1; n <= 2 * lanes + 1; n++) {
                BlockSizes bs = variant(single, n).sizes;
                assertThat(bs.narrow()).as("n = %d of %d lanes", n, lanes).isEqualTo(n <= 2 * lanes);
                assertThat(bs.nr()).isGreaterThanOrEqualTo(Math.min(n, 2 * lanes));
                for (int m : around(bs.mr(), 2 * bs.mr())) {
                    for (int t = 0; t < 4; t++) {
                        check(call(rnd, (t & 1) != 0, (t & 2) != 0, m, n, 1 + rnd.nextInt(20), SCALARS[rnd.nextInt(4)],
                                SCALARS[rnd.nextInt(4)], false, null, false, rnd.nextBoolean()), single);
                    }
                }
            }
        }
    }

    /** Every alpha x beta x transpose for a one-vector, a two-vector and a one-lane narrow C, with a partial panel. */
    @Test
    void narrowEveryAlphaBetaAndTranspose() {
        for (boolean single : new boolean[] {true, false}) {
            int lanes = lanes(single);
            SplittableRandom rnd = new SplittableRandom(single ? 14 : 15);
            for (int n : new int[] {1, Math.max(1, lanes - 3), lanes + 2}) {
                int mr = variant(single, n).sizes.mr();
                for (int t = 0; t < 4; t++) {
                    for (double alpha : SCALARS) {
                        for (double beta : SCALARS) {
                            check(call(rnd, (t & 1) != 0, (t & 2) != 0, 2 * mr + 1, n, 17, alpha, beta, false, null,
                                    false), single);
                        }
                    }
                }
            }
        }
    }

    /**
     * Transposed A on narrow C runs along m: rows around one and two along-m panels (fewer than one falls back to
     * the row kernels, a partial last panel is shifted back), columns around one and two along-m calls (near-equal
     * column chunks), both B layouts, random alpha/beta, k across the KC slice.
     */
    @Test
    void narrowTransposedAAlongM() {
        for (boolean single : new boolean[] {true, false}) {
            int lanes = lanes(single);
            Precision<?> ops = variant(single, 1);
            int panel = ops.alongMRows(), cols = ops.alongMColumns();
            SplittableRandom rnd = new SplittableRandom(single ? 20 : 21);
            for (int n : around(cols, 2 * cols, lanes, 2 * lanes)) {
                if (n > 2 * lanes) {
                    continue;
                }
                BlockSizes bs = variant(single, n).sizes;
                assertThat(bs.narrow()).isTrue();
                for (int m : around(panel, 2 * panel, 3 * panel)) {
                    int k = rnd.nextBoolean() ? 1 + rnd.nextInt(20) : bs.kc() + 1;
                    check(call(rnd, true, rnd.nextBoolean(), m, n, k, SCALARS[rnd.nextInt(4)],
                            SCALARS[rnd.nextInt(4)], false, null, false, rnd.nextBoolean()), single);
                }
            }
        }
    }

    /** k around the narrow variants' KC and 2 KC (C accumulates over slices; a transposed B is packed per slice). */
    @Test
    void narrowKcBoundaries() {
        for (boolean single : new boolean[] {true, false}) {
            int lanes = lanes(single);
            SplittableRandom rnd = new SplittableRandom(single ? 16 : 17);
            for (int n : new int[] {lanes - 1, 2 * lanes}) {
                BlockSizes bs = variant(single, Math.max(1, n)).sizes;
                for (int k : around(bs.kc(), 2 * bs.kc(), bs.maxSliceDepth(), 2 * bs.maxSliceDepth())) {
                    for (int t = 0; t < 4; t++) {
                        check(call(rnd, (t & 1) != 0, (t & 2) != 0, bs.mr() + 1, Math.max(1, n), k, 1,
                                SCALARS[rnd.nextInt(4)], t == 1, t == 1 ? Activation.RELU : null, t == 1), single);
                    }
                }
            }
        }
    }

    /** Every epilogue on narrow C, with contiguous rows (one call per panel) and padded ones (per row). */
    @Test
    void narrowEveryEpilogue() {
        for (boolean single : new boolean[] {true, false}) {
            int lanes = lanes(single);
            SplittableRandom rnd = new SplittableRandom(single ? 18 : 19);
            for (int n : new int[] {Math.min(10, lanes), lanes + 1}) {
                int mr = variant(single, n).sizes.mr();
                for (Activation act : EPILOGUE_ACTIVATIONS) {
                    for (int variant = 0; variant < 8; variant++) {
                        boolean bias = (variant & 1) != 0, pre = (variant & 2) != 0, tight = (variant & 4) != 0;
                        check(call(rnd, rnd.nextBoolean(), rnd.nextBoolean(), 2 * mr + 3, n, 1 + rnd.nextInt(40),
                                SCALARS[1 + rnd.nextInt(3)], SCALARS[rnd.nextInt(4)], bias, act, pre, tight), single);
                    }
                }
            }
        }
    }

    @Test
    void randomShapesUpTo70() {
        for (boolean single : new boolean[] {true, false}) {
            SplittableRandom rnd = new SplittableRandom(single ? 5 : 6);
            for (int i = 0; i < 60; i++) {
                int m = rnd.nextInt(1, 70), n = rnd.nextInt(1, 70), k = rnd.nextInt(0, 70);
                check(call(rnd, rnd.nextBoolean(), rnd.nextBoolean(), m, n, k, SCALARS[rnd.nextInt(4)],
                        SCALARS[rnd.nextInt(4)], false, null, false), single);
            }
        }
    }

    @Test
    void everyEpilogueOnPackedAndUnpackedPaths() {
        for (boolean single : new boolean[] {true, false}) {
            BlockSizes bs = sizes(single);
            SplittableRandom rnd = new SplittableRandom(single ? 7 : 8);
            // The last shape spans two NC blocks of columns: the epilogue runs once per MR x NC row panel.
            int[][] shapes = {{3, 5, 4}, {2 * bs.mr() + 1, bs.nr() + 5, bs.kc() + 3}, {bs.mr(), 2 * bs.nr(), 40},
                    {bs.mr() + 1, bs.nc() + bs.nr() + 3, 9}};
            for (int[] s : shapes) {
                for (Activation act : EPILOGUE_ACTIVATIONS) {
                    for (int variant = 0; variant < 4; variant++) {
                        boolean bias = (variant & 1) != 0, pre = (variant & 2) != 0;
                        boolean tB = rnd.nextBoolean();
                        check(call(rnd, rnd.nextBoolean(), tB, s[0], s[1], s[2], SCALARS[1 + rnd.nextInt(3)],
                                SCALARS[rnd.nextInt(4)], bias, act, pre), single);
                    }
                }
            }
            // alpha == 0 and k == 0 still apply the epilogue to beta * C.
            check(call(rnd, false, false, 9, 33, 0, 1, 0.5, true, Activation.TANH, true), single);
            check(call(rnd, true, true, 9, 33, 12, 0, 2, true, Activation.GELU_TANH, true), single);
        }
    }

    @Test
    void threadCountsGiveBitIdenticalResults() {
        for (boolean single : new boolean[] {true, false}) {
            BlockSizes bs = sizes(single);
            SplittableRandom rnd = new SplittableRandom(single ? 9 : 10);
            // Tall (split over rows) and wide (split over columns), both above the per-thread work threshold for 4.
            // Then narrow C, one vector and two vectors wide (split over MR-row panels, k over several KC slices).
            int lanes = lanes(single);
            int[][] shapes = {{4 * 50 + 3, 2 * bs.nr() + 5, 0}, {bs.mr() * 3 + 2, 4 * bs.nr() * 4 + 7, 0},
                    {4 * 50 + 3, Math.min(10, lanes), 0}, {4 * 50 + 3, lanes + 1, 0}};
            for (int[] s : shapes) {
                s[2] = (int) (4 * GemmDriver.MIN_WORK_PER_THREAD / ((long) s[0] * s[1])) + 3;
                assertThat((long) s[0] * s[1] * s[2]).isGreaterThanOrEqualTo(4 * GemmDriver.MIN_WORK_PER_THREAD);
                // Leaky ReLU, not a transcendental: EXP/TANH may differ in the last bit between the interpreter, C1
                // and C2 (see VectorMath), which is a JIT-tier effect, not a thread-count one.
                Call x = call(rnd, rnd.nextBoolean(), rnd.nextBoolean(), s[0], s[1], s[2], 1.5, 0.5, true,
                        Activation.leakyRelu(0.1), true);
                Parallelism.setThreads(1);
                Result one = run(vector, x, single);
                check(x, single);
                for (int threads = 2; threads <= 4; threads++) {
                    Parallelism.setThreads(threads);
                    Result many = run(vector, x, single);
                    assertThat(many.c).as("C with %d threads, %s", threads, x).isEqualTo(one.c);
                    assertThat(many.pre).as("pre with %d threads, %s", threads, x).isEqualTo(one.pre);
                }
                // The split really ran on the driver's daemon workers (otherwise this would compare 1 thread with 1).
                assertThat(Thread.getAllStackTraces().keySet())
                        .anyMatch(th -> th.getName().startsWith("lanewise-gemm-") && th.isDaemon());
            }
        }
    }

    /**
     * More threads than this machine's cores, call after call: workers start late, so the caller takes their
     * chunks and takes back tasks no worker has claimed yet, and pooled tasks are handed off again while a late
     * worker may still hold an old one. Every call must still give the single-thread bits, including calls made
     * while other callers do the same.
     */
    @Test
    void lateWorkersAreTakenOverWithoutChangingResults() throws Exception {
        SplittableRandom rnd = new SplittableRandom(22);
        int threads = 4 * Runtime.getRuntime().availableProcessors();
        int n = 96, k = 64, m = (int) (threads * GemmDriver.MIN_WORK_PER_THREAD / ((long) n * k)) + 5;
        Call x = call(rnd, false, false, m, n, k, 1, 0.5, true, Activation.RELU, false);
        Parallelism.setThreads(1);
        Result one = run(vector, x, true);
        Parallelism.setThreads(threads);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Boolean>> futures = new ArrayList<>();
            for (int caller = 0; caller < 2; caller++) {
                Callable<Boolean> task = () -> {
                    for (int call = 0; call < 40; call++) {
                        assertThat(run(vector, x, true).c).as("call %d with %d threads", call, threads)
                                .isEqualTo(one.c);
                    }
                    return true;
                };
                futures.add(pool.submit(task));
            }
            for (Future<Boolean> f : futures) {
                assertThat(f.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentCallersGetTheirOwnResults() throws Exception {
        SplittableRandom rnd = new SplittableRandom(11);
        Parallelism.setThreads(2);
        List<Call> calls = new ArrayList<>();
        List<Result> expected = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Call x = call(rnd, i % 2 == 0, i % 3 == 0, 150 + i, 170 - i, 160, 1, 0, true, Activation.RELU, false);
            calls.add(x);
            expected.add(run(vector, x, true));
        }
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<Result>> futures = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (Call x : calls) {
                    Callable<Result> task = () -> run(vector, x, true);
                    futures.add(pool.submit(task));
                }
            }
            for (int i = 0; i < futures.size(); i++) {
                assertThat(futures.get(i).get().c).isEqualTo(expected.get(i % calls.size()).c);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
