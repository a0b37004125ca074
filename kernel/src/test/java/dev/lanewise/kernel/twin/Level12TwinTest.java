package dev.lanewise.kernel.twin;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static dev.lanewise.kernel.testing.TestArrays.DOUBLE_EPS;
import static dev.lanewise.kernel.testing.TestArrays.FLOAT_EPS;
import static dev.lanewise.kernel.testing.TestArrays.randomDoubles;
import static dev.lanewise.kernel.testing.TestArrays.randomFloats;
import static dev.lanewise.kernel.twin.Twins.SCALAR;
import static dev.lanewise.kernel.twin.Twins.SIZES;
import static dev.lanewise.kernel.twin.Twins.VECTOR;
import static dev.lanewise.kernel.twin.Twins.toDouble;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * GEMV, GER, axpy/scal/dot and the reductions, vector against scalar, at every listed size with non-zero offsets and
 * padded leading dimensions. Bounds: a sum of n products differs between two summation orders by at most
 * 2·γ(n+2)·Σ|terms|; an elementwise update (axpy, GER, scal) by at most 2 roundings of its result (fma vs mul+add).
 */
class Level12TwinTest {

    private static double gamma(int n, double u) {
        return (n + 2) * u / (1 - (n + 2) * u);
    }

    @Test
    void gemvBothOrientations() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int m : SIZES) {
            int n = SIZES[rnd.nextInt(SIZES.length)];
            for (boolean trans : new boolean[] {false, true}) {
                int lda = Math.max(1, n) + rnd.nextInt(3), aOff = rnd.nextInt(3), xOff = rnd.nextInt(3),
                        yOff = rnd.nextInt(3);
                int xn = trans ? m : n, yn = trans ? n : m, inner = trans ? m : n;
                float[] a = randomFloats(rnd, aOff + m * lda + 1), x = randomFloats(rnd, xOff + xn + 1);
                float[] y = randomFloats(rnd, yOff + yn + 1);
                float alpha = 1.5f, beta = m % 2 == 0 ? 0f : -0.5f;
                float[] ys = y.clone(), yv = y.clone();
                SCALAR.gemv(trans, m, n, alpha, a, aOff, lda, x, xOff, beta, ys, yOff);
                VECTOR.gemv(trans, m, n, alpha, a, aOff, lda, x, xOff, beta, yv, yOff);
                double[] tol = new double[y.length];
                for (int r = 0; r < yn; r++) {
                    double abs = 0;
                    for (int c = 0; c < inner; c++) {
                        int ai = trans ? aOff + c * lda + r : aOff + r * lda + c;
                        abs += Math.abs(a[ai] * x[xOff + c]);
                    }
                    tol[yOff + r] = 2 * gamma(inner, FLOAT_EPS / 2) * (Math.abs(alpha) * abs
                            + Math.abs(beta * y[yOff + r]));
                }
                Twins.assertClose("sgemv trans=" + trans + " m=" + m + " n=" + n, toDouble(ys), toDouble(yv), tol);

                double[] ad = toDouble(a), xd = toDouble(x), yd = toDouble(y);
                double[] yds = yd.clone(), ydv = yd.clone();
                SCALAR.gemv(trans, m, n, alpha, ad, aOff, lda, xd, xOff, beta, yds, yOff);
                VECTOR.gemv(trans, m, n, alpha, ad, aOff, lda, xd, xOff, beta, ydv, yOff);
                for (int i = 0; i < tol.length; i++) {
                    tol[i] *= DOUBLE_EPS / FLOAT_EPS;
                }
                Twins.assertClose("dgemv trans=" + trans + " m=" + m + " n=" + n, yds, ydv, tol);
            }
        }
    }

    @Test
    void gerRankOneUpdate() {
        SplittableRandom rnd = new SplittableRandom(12);
        for (int m : SIZES) {
            int n = SIZES[rnd.nextInt(SIZES.length)];
            int lda = Math.max(1, n) + rnd.nextInt(3), aOff = rnd.nextInt(3);
            float[] a = randomFloats(rnd, aOff + m * lda + 2), x = randomFloats(rnd, m + 1), y = randomFloats(rnd, n + 2);
            float[] as = a.clone(), av = a.clone();
            SCALAR.ger(m, n, -0.75f, x, 1, y, 2, as, aOff, lda);
            VECTOR.ger(m, n, -0.75f, x, 1, y, 2, av, aOff, lda);
            double[] tol = new double[a.length];
            for (int i = 0; i < tol.length; i++) {
                tol[i] = 2 * FLOAT_EPS * (Math.abs(a[i]) + 1);
            }
            Twins.assertClose("sger m=" + m + " n=" + n, toDouble(as), toDouble(av), tol);

            double[] ad = toDouble(a), ads = ad.clone(), adv = ad.clone();
            SCALAR.ger(m, n, -0.75, toDouble(x), 1, toDouble(y), 2, ads, aOff, lda);
            VECTOR.ger(m, n, -0.75, toDouble(x), 1, toDouble(y), 2, adv, aOff, lda);
            for (int i = 0; i < tol.length; i++) {
                tol[i] = 2 * DOUBLE_EPS * (Math.abs(ad[i]) + 1);
            }
            Twins.assertClose("dger m=" + m + " n=" + n, ads, adv, tol);
        }
    }

    @Test
    void axpyScalDot() {
        SplittableRandom rnd = new SplittableRandom(13);
        for (int n : SIZES) {
            int off = rnd.nextInt(5);
            float[] x = randomFloats(rnd, off + n), y = randomFloats(rnd, n + 3);
            float[] ys = y.clone(), yv = y.clone();
            SCALAR.axpy(n, 0.3f, x, off, ys, 0);
            VECTOR.axpy(n, 0.3f, x, off, yv, 0);
            double[] tol = new double[y.length];
            for (int i = 0; i < tol.length; i++) {
                tol[i] = 2 * FLOAT_EPS * (Math.abs(y[i]) + 1);
            }
            Twins.assertClose("saxpy n=" + n, toDouble(ys), toDouble(yv), tol);

            float[] xs = x.clone(), xv = x.clone();
            SCALAR.scal(n, -3f, xs, off);
            VECTOR.scal(n, -3f, xv, off);
            assertThat(xv).as("sscal n=" + n).containsExactly(xs); // one rounding, same in both

            double abs = 0;
            for (int i = 0; i < n; i++) {
                abs += Math.abs(x[off + i] * y[i]);
            }
            assertThat((double) VECTOR.dot(n, x, off, y, 0)).as("sdot n=" + n)
                    .isCloseTo(SCALAR.dot(n, x, off, y, 0), org.assertj.core.data.Offset.offset(
                            2 * gamma(n, FLOAT_EPS / 2) * abs + Double.MIN_VALUE));
            double[] xd = toDouble(x), yd = toDouble(y);
            assertThat(VECTOR.dot(n, xd, off, yd, 0)).as("ddot n=" + n)
                    .isCloseTo(SCALAR.dot(n, xd, off, yd, 0), org.assertj.core.data.Offset.offset(
                            2 * gamma(n, DOUBLE_EPS / 2) * abs + Double.MIN_VALUE));
        }
    }

    @Test
    void rowAndColumnSumsMaxArgmax() {
        SplittableRandom rnd = new SplittableRandom(14);
        for (int m : SIZES) {
            int n = Math.max(1, SIZES[rnd.nextInt(SIZES.length)]);
            int lda = n + rnd.nextInt(3), off = rnd.nextInt(3);
            double[] ad = randomDoubles(rnd, off + m * lda + 1);
            float[] af = new float[ad.length];
            for (int i = 0; i < ad.length; i++) {
                af[i] = (float) ad[i];
            }
            if (m > 2) {
                af[off + lda + n / 2] = Float.NaN; // row 1 holds a NaN: max is NaN, argmax points at it
                ad[off + lda + n / 2] = Double.NaN;
                af[off + 2 * lda] = af[off + 2 * lda + n - 1] = 5f; // row 2: a tie, the first index wins
                ad[off + 2 * lda] = ad[off + 2 * lda + n - 1] = 5.0;
            }
            float[] rs = new float[m + 1], rv = new float[m + 1];
            SCALAR.rowSums(m, n, af, off, lda, 0f, rs, 1);
            VECTOR.rowSums(m, n, af, off, lda, 0f, rv, 1);
            double[] tol = new double[m + 1];
            java.util.Arrays.fill(tol, 2 * gamma(n, FLOAT_EPS / 2) * n);
            Twins.assertClose("rowSums m=" + m, toDouble(rs), toDouble(rv), tol);

            for (float beta : new float[] {0f, 1f, 2f}) {
                float[] cs = randomFloats(rnd, n);
                if (beta == 0 && n > 0) {
                    cs[rnd.nextInt(n)] = Float.NaN; // beta 0 ignores what out held, NaN included
                }
                float[] cv = cs.clone(), c0 = cs.clone();
                SCALAR.columnSums(m, n, af, off, lda, beta, cs, 0);
                VECTOR.columnSums(m, n, af, off, lda, beta, cv, 0);
                double[] ctol = new double[n];
                for (int c = 0; c < n; c++) {
                    ctol[c] = 2 * gamma(m + 1, FLOAT_EPS / 2) * (m + (beta == 0 ? 0 : beta * Math.abs(c0[c])));
                }
                Twins.assertClose("columnSums m=" + m + " beta=" + beta, toDouble(cs), toDouble(cv), ctol);
                double[] ds = toDouble(c0), dv = ds.clone();
                SCALAR.columnSums(m, n, ad, off, lda, beta, ds, 0);
                VECTOR.columnSums(m, n, ad, off, lda, beta, dv, 0);
                assertThat(dv).as("double columnSums m=" + m + " beta=" + beta).containsExactly(ds);
            }

            float[] ms = new float[m], mv = new float[m];
            SCALAR.rowMax(m, n, af, off, lda, ms, 0);
            VECTOR.rowMax(m, n, af, off, lda, mv, 0);
            assertThat(mv).as("rowMax m=" + m).containsExactly(ms);
            int[] is = new int[m], iv = new int[m];
            SCALAR.rowArgmax(m, n, af, off, lda, is, 0);
            VECTOR.rowArgmax(m, n, af, off, lda, iv, 0);
            assertThat(iv).as("rowArgmax m=" + m).containsExactly(is);
            double[] mds = new double[m], mdv = new double[m];
            SCALAR.rowMax(m, n, ad, off, lda, mds, 0);
            VECTOR.rowMax(m, n, ad, off, lda, mdv, 0);
            assertThat(mdv).containsExactly(mds);
            SCALAR.rowArgmax(m, n, ad, off, lda, is, 0);
            VECTOR.rowArgmax(m, n, ad, off, lda, iv, 0);
            assertThat(iv).containsExactly(is);
            if (m > 2) {
                assertThat(ms[1]).isNaN();
                assertThat(is[1]).isEqualTo(n / 2);
                assertThat(is[2]).isEqualTo(0);
            }
        }
    }
}
