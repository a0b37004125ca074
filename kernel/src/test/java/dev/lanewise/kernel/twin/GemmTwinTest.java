package dev.lanewise.kernel.twin;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static dev.lanewise.kernel.testing.TestArrays.DOUBLE_EPS;
import static dev.lanewise.kernel.testing.TestArrays.FLOAT_EPS;
import static dev.lanewise.kernel.testing.TestArrays.randomDoubles;
import static dev.lanewise.kernel.twin.Twins.ALPHAS;
import static dev.lanewise.kernel.twin.Twins.BETAS;
import static dev.lanewise.kernel.twin.Twins.SCALAR;
import static dev.lanewise.kernel.twin.Twins.SIZES;
import static dev.lanewise.kernel.twin.Twins.VECTOR;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Vector GEMM against the scalar twin. Inputs are drawn in double and rounded to float for the float runs, so both
 * precisions share one case generator. The bound is the classic one for a dot product of length k accumulated in any
 * order: each result is within γ(k+2)·(|α|·Σ_p|a_ip||b_pj| + |β||c_ij|) of the exact value, γ(n) = n·u/(1 − n·u);
 * the two providers may err in opposite directions, hence twice that.
 */
class GemmTwinTest {

    private record Case(boolean ta, boolean tb, int m, int n, int k, double alpha, double beta,
                        int aOff, int lda, int bOff, int ldb, int cOff, int ldc) {
        int aRows() {
            return ta ? k : m;
        }

        int aCols() {
            return ta ? m : k;
        }

        int bRows() {
            return tb ? n : k;
        }

        int bCols() {
            return tb ? k : n;
        }

        double a(double[] a, int i, int p) {
            return ta ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
        }

        double b(double[] b, int p, int j) {
            return tb ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
        }
    }

    private static Case randomCase(SplittableRandom rnd, int m, int n, int k, boolean ta, boolean tb, double alpha,
                                   double beta) {
        int aCols = ta ? m : k, bCols = tb ? k : n;
        return new Case(ta, tb, m, n, k, alpha, beta,
                rnd.nextInt(4), Math.max(1, aCols) + rnd.nextInt(3),
                rnd.nextInt(4), Math.max(1, bCols) + rnd.nextInt(3),
                rnd.nextInt(4), Math.max(1, n) + rnd.nextInt(3));
    }

    private static int length(int off, int rows, int ld) {
        return off + rows * ld + 3; // a little slack past the view: it must stay untouched
    }

    /** Runs one case in float and in double through both providers and compares. */
    private static void check(SplittableRandom rnd, Case t) {
        double[] a = randomDoubles(rnd, length(t.aOff, t.aRows(), t.lda));
        double[] b = randomDoubles(rnd, length(t.bOff, t.bRows(), t.ldb));
        double[] c = randomDoubles(rnd, length(t.cOff, t.m, t.ldc));
        float[] af = floats(a), bf = floats(b), cf = floats(c);
        // Use the float-rounded inputs in double too, so the float bound is computed on the float data.
        a = Twins.toDouble(af);
        b = Twins.toDouble(bf);
        c = Twins.toDouble(cf);

        double[] bound = new double[c.length];
        for (int i = 0; i < t.m; i++) {
            for (int j = 0; j < t.n; j++) {
                double abs = 0;
                for (int p = 0; p < t.k; p++) {
                    abs += Math.abs(t.a(a, i, p) * t.b(b, p, j));
                }
                int idx = t.cOff + i * t.ldc + j;
                bound[idx] = Math.abs(t.alpha) * abs + Math.abs(t.beta) * Math.abs(c[idx]);
            }
        }

        float[] cs = cf.clone(), cv = cf.clone();
        SCALAR.gemm(t.ta, t.tb, t.m, t.n, t.k, (float) t.alpha, af, t.aOff, t.lda, bf, t.bOff, t.ldb, (float) t.beta,
                cs, t.cOff, t.ldc);
        VECTOR.gemm(t.ta, t.tb, t.m, t.n, t.k, (float) t.alpha, af, t.aOff, t.lda, bf, t.bOff, t.ldb, (float) t.beta,
                cv, t.cOff, t.ldc);
        compare("float " + t, t, cf, Twins.toDouble(cs), Twins.toDouble(cv), bound, FLOAT_EPS / 2);

        double[] ds = c.clone(), dv = c.clone();
        SCALAR.gemm(t.ta, t.tb, t.m, t.n, t.k, t.alpha, a, t.aOff, t.lda, b, t.bOff, t.ldb, t.beta, ds, t.cOff, t.ldc);
        VECTOR.gemm(t.ta, t.tb, t.m, t.n, t.k, t.alpha, a, t.aOff, t.lda, b, t.bOff, t.ldb, t.beta, dv, t.cOff, t.ldc);
        compare("double " + t, t, cf, ds, dv, bound, DOUBLE_EPS / 2);
    }

    private static void compare(String what, Case t, float[] original, double[] scalar, double[] vector,
                                double[] bound, double u) {
        double gamma = (t.k + 2) * u / (1 - (t.k + 2) * u);
        double[] tol = new double[bound.length];
        for (int i = 0; i < bound.length; i++) {
            tol[i] = 2 * gamma * bound[i];
        }
        Twins.assertClose(what, scalar, vector, tol);
        // Outside the C view nothing may change, in either provider.
        for (int idx = 0; idx < original.length; idx++) {
            int rel = idx - t.cOff;
            boolean inView = rel >= 0 && rel / t.ldc < t.m && rel % t.ldc < t.n;
            if (!inView) {
                assertThat(vector[idx]).as(what + " outside view at " + idx).isEqualTo((double) original[idx]);
                assertThat(scalar[idx]).as(what + " outside view at " + idx).isEqualTo((double) original[idx]);
            }
        }
    }

    private static float[] floats(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            f[i] = (float) x[i];
        }
        return f;
    }

    @Test
    void everyListedSizeInEveryRoleAndTranspose() {
        SplittableRandom rnd = new SplittableRandom(1);
        int[] partners = {1, 7, 16, 33};
        int caseNo = 0;
        for (int s : SIZES) {
            for (int role = 0; role < 3; role++) {
                int x = partners[rnd.nextInt(partners.length)], y = partners[rnd.nextInt(partners.length)];
                int m = role == 0 ? s : x, n = role == 1 ? s : y, k = role == 2 ? s : (role == 0 ? y : x);
                for (int tr = 0; tr < 4; tr++) {
                    double alpha = ALPHAS[caseNo % 4], beta = BETAS[(caseNo / 4) % 4];
                    caseNo++;
                    check(rnd, randomCase(rnd, m, n, k, (tr & 1) != 0, (tr & 2) != 0, alpha, beta));
                }
            }
        }
    }

    @Test
    void everyAlphaBetaPairOnEveryTranspose() {
        SplittableRandom rnd = new SplittableRandom(2);
        for (double alpha : ALPHAS) {
            for (double beta : BETAS) {
                for (int tr = 0; tr < 4; tr++) {
                    check(rnd, randomCase(rnd, 17, 33, 15, (tr & 1) != 0, (tr & 2) != 0, alpha, beta));
                }
            }
        }
    }

    @Test
    void largeSquareAndMlpLikeShapes() {
        SplittableRandom rnd = new SplittableRandom(3);
        int[][] shapes = {{257, 257, 257}, {129, 100, 257}, {128, 10, 128}, {65, 257, 63}};
        for (int[] s : shapes) {
            for (int tr = 0; tr < 4; tr++) {
                check(rnd, randomCase(rnd, s[0], s[1], s[2], (tr & 1) != 0, (tr & 2) != 0, 1, tr == 3 ? 1 : 0));
            }
        }
    }

    /**
     * Narrow C, as in an output layer and its backward pass: every n from 1 to 33 (two AVX-512 float vectors + 1, so
     * every narrower species' one- and two-vector kernels and the general tile after them), rows around 12-row panel
     * boundaries, every transpose, every alpha/beta pair in turn, offsets and ld &gt; n.
     */
    @Test
    void narrowColumnsEveryTransposeAndScalar() {
        SplittableRandom rnd = new SplittableRandom(5);
        int caseNo = 0;
        for (int n = 1; n <= 33; n++) {
            for (int m : new int[] {1, 11, 13, 25, 128}) {
                for (int tr = 0; tr < 4; tr++) {
                    double alpha = ALPHAS[caseNo % 4], beta = BETAS[(caseNo / 4) % 4];
                    caseNo++;
                    check(rnd, randomCase(rnd, m, n, 1 + rnd.nextInt(m == 128 ? 130 : 20), (tr & 1) != 0,
                            (tr & 2) != 0, alpha, beta));
                }
            }
        }
    }

    @Test
    void randomShapes() {
        SplittableRandom rnd = new SplittableRandom(4);
        for (int i = 0; i < 60; i++) {
            check(rnd, randomCase(rnd, rnd.nextInt(150), rnd.nextInt(150), rnd.nextInt(150), rnd.nextBoolean(),
                    rnd.nextBoolean(), ALPHAS[rnd.nextInt(4)], BETAS[rnd.nextInt(4)]));
        }
    }

    @Test
    void betaZeroNeverReadsCAndAlphaZeroNeverReadsAOrB() {
        for (var p : new dev.lanewise.kernel.spi.KernelProvider[] {SCALAR, VECTOR}) {
            int m = 19, n = 21, k = 5;
            float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
            Arrays.fill(a, 1f);
            Arrays.fill(b, 2f);
            Arrays.fill(c, Float.NaN);
            p.gemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
            for (float v : c) {
                assertThat(v).as(p.name()).isEqualTo(10f);
            }
            Arrays.fill(a, Float.NaN);
            Arrays.fill(b, Float.POSITIVE_INFINITY);
            p.gemm(true, true, m, n, k, 0f, a, 0, m, b, 0, k, -0.5f, c, 0, n);
            for (float v : c) {
                assertThat(v).as(p.name()).isEqualTo(-5f);
            }
            // Deeper than any KC slice: the first slice stores (beta = 0, C not read), the later ones accumulate.
            int deep = 1300;
            float[] ad = new float[m * deep], bd = new float[deep * n];
            Arrays.fill(ad, 1f);
            Arrays.fill(bd, 2f);
            Arrays.fill(c, Float.NaN);
            p.gemm(false, false, m, n, deep, 1f, ad, 0, deep, bd, 0, n, 0f, c, 0, n);
            for (float v : c) {
                assertThat(v).as(p.name() + " k = " + deep).isEqualTo(2f * deep);
            }
            double[] cd = new double[m * n];
            Arrays.fill(cd, Double.NaN);
            double[] add = new double[m * deep], bdd = new double[deep * n];
            Arrays.fill(add, 1.0);
            Arrays.fill(bdd, 2.0);
            p.gemm(false, false, m, n, deep, 1.0, add, 0, deep, bdd, 0, n, 0.0, cd, 0, n);
            for (double v : cd) {
                assertThat(v).as(p.name() + " double k = " + deep).isEqualTo(2.0 * deep);
            }
            Arrays.fill(cd, Double.NaN);
            p.gemm(false, false, m, n, 0, 1.0, new double[0], 0, 1, new double[0], 0, n, 0.0, cd, 0, n);
            for (double v : cd) {
                assertThat(v).as(p.name()).isEqualTo(0.0);
            }
        }
    }
}
