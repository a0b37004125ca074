package dev.lanewise.kernel.vector;

import dev.lanewise.kernel.Activation;
import dev.lanewise.kernel.scalar.ScalarMath;
import dev.lanewise.kernel.spi.KernelProvider;
import dev.lanewise.kernel.vector.elementwise.ActivationKernels;
import dev.lanewise.kernel.vector.gemm.GemmDriver;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API implementation. This package is the only one that imports {@code jdk.incubator.vector}; it is
 * loaded by {@link dev.lanewise.kernel.spi.Providers} only when that module is present.
 *
 * <p>Every method is declared here (none is inherited from the scalar provider), so a twin test really compares
 * vector code with scalar code. Loops run over the preferred species (the widest the CPU and
 * {@code -XX:MaxVectorSize} allow) with a masked tail.
 */
public final class VectorProvider implements KernelProvider {

    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;

    /**
     * Whether masked tails are used. C2 (JDK 25, x86) compiles no mask of a 2-lane double vector (128-bit vectors,
     * see ActivationKernels): every mask operation there boxes its vectors, so those loops end in a scalar tail.
     */
    private static final boolean MASKS_F = F.length() > 2;
    private static final boolean MASKS_D = D.length() > 2;

    public VectorProvider() {
    }

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public String description() {
        return "Vector API, " + F.vectorBitSize() + "-bit vectors, " + F.length() + " float / " + D.length()
                + " double lanes";
    }

    /** The float species this provider runs with (tests check it against the expected width). */
    public static VectorSpecies<Float> floatSpecies() {
        return F;
    }

    // ---------------------------------------------------------------- GEMM

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        gemmFused(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, null, 0, null, 0f,
                null, 0, 0);
    }

    @Override
    public void gemmFused(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff,
                          int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc, float[] bias,
                          int biasOff, Activation.Function f, float param, float[] pre, int preOff, int ldPre) {
        GemmDriver.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, bias, biasOff,
                f, param, pre, preOff, ldPre, this);
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int aOff, int lda,
                     double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
        gemmFused(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, null, 0, null, 0.0,
                null, 0, 0);
    }

    @Override
    public void gemmFused(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int aOff,
                          int lda, double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc,
                          double[] bias, int biasOff, Activation.Function f, double param, double[] pre, int preOff,
                          int ldPre) {
        GemmDriver.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, bias, biasOff,
                f, param, pre, preOff, ldPre, this);
    }

    // ---------------------------------------------------------------- GEMV, GER

    @Override
    public void gemv(boolean transA, int m, int n, float alpha, float[] a, int aOff, int lda, float[] x, int xOff,
                     float beta, float[] y, int yOff) {
        int rows = transA ? n : m;
        if (beta == 0) {
            fill(rows, 0f, y, yOff);
        } else if (beta != 1) {
            scal(rows, beta, y, yOff);
        }
        if (alpha == 0) {
            return;
        }
        if (!transA) {
            int i = 0;
            for (; i + 4 <= m; i += 4) {
                dots4(n, alpha, a, aOff + i * lda, lda, x, xOff, y, yOff + i);
            }
            for (; i < m; i++) {
                y[yOff + i] += alpha * dot(n, a, aOff + i * lda, x, xOff);
            }
        } else {
            int i = 0;
            for (; i + 4 <= m; i += 4) {
                axpy4(n, alpha, x, xOff + i, a, aOff + i * lda, lda, y, yOff);
            }
            for (; i < m; i++) {
                axpy(n, alpha * x[xOff + i], a, aOff + i * lda, y, yOff);
            }
        }
    }

    @Override
    public void gemv(boolean transA, int m, int n, double alpha, double[] a, int aOff, int lda, double[] x, int xOff,
                     double beta, double[] y, int yOff) {
        int rows = transA ? n : m;
        if (beta == 0) {
            fill(rows, 0.0, y, yOff);
        } else if (beta != 1) {
            scal(rows, beta, y, yOff);
        }
        if (alpha == 0) {
            return;
        }
        if (!transA) {
            int i = 0;
            for (; i + 4 <= m; i += 4) {
                dots4(n, alpha, a, aOff + i * lda, lda, x, xOff, y, yOff + i);
            }
            for (; i < m; i++) {
                y[yOff + i] += alpha * dot(n, a, aOff + i * lda, x, xOff);
            }
        } else {
            int i = 0;
            for (; i + 4 <= m; i += 4) {
                axpy4(n, alpha, x, xOff + i, a, aOff + i * lda, lda, y, yOff);
            }
            for (; i < m; i++) {
                axpy(n, alpha * x[xOff + i], a, aOff + i * lda, y, yOff);
            }
        }
    }

    /*
     * GEMV four rows of A at a time. Untransposed: four dot products share each load of x and give the memory system
     * four streams. Transposed: y = y + a0·c0 + a1·c1 + a2·c2 + a3·c3 per load and store of y, instead of one
     * read-modify-write of y per row, with the same fma chain (and bits) as four axpy calls in row order.
     * Scalar tails: masks box on some species (see MASKS_D).
     */

    /** y[0..3] += alpha · (rows r0 .. r0+3 of A) · x. */
    private static void dots4(int n, float alpha, float[] a, int r0, int lda, float[] x, int xOff, float[] y,
                              int yOff) {
        int r1 = r0 + lda, r2 = r1 + lda, r3 = r2 + lda;
        FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
        int j = 0;
        for (int bound = F.loopBound(n); j < bound; j += F.length()) {
            FloatVector xv = FloatVector.fromArray(F, x, xOff + j);
            s0 = FloatVector.fromArray(F, a, r0 + j).fma(xv, s0);
            s1 = FloatVector.fromArray(F, a, r1 + j).fma(xv, s1);
            s2 = FloatVector.fromArray(F, a, r2 + j).fma(xv, s2);
            s3 = FloatVector.fromArray(F, a, r3 + j).fma(xv, s3);
        }
        float d0 = s0.reduceLanes(VectorOperators.ADD), d1 = s1.reduceLanes(VectorOperators.ADD);
        float d2 = s2.reduceLanes(VectorOperators.ADD), d3 = s3.reduceLanes(VectorOperators.ADD);
        for (; j < n; j++) {
            float xj = x[xOff + j];
            d0 = Math.fma(a[r0 + j], xj, d0);
            d1 = Math.fma(a[r1 + j], xj, d1);
            d2 = Math.fma(a[r2 + j], xj, d2);
            d3 = Math.fma(a[r3 + j], xj, d3);
        }
        y[yOff] += alpha * d0;
        y[yOff + 1] += alpha * d1;
        y[yOff + 2] += alpha * d2;
        y[yOff + 3] += alpha * d3;
    }

    /** Double twin of the float method. */
    private static void dots4(int n, double alpha, double[] a, int r0, int lda, double[] x, int xOff, double[] y,
                              int yOff) {
        int r1 = r0 + lda, r2 = r1 + lda, r3 = r2 + lda;
        DoubleVector s0 = DoubleVector.zero(D), s1 = s0, s2 = s0, s3 = s0;
        int j = 0;
        for (int bound = D.loopBound(n); j < bound; j += D.length()) {
            DoubleVector xv = DoubleVector.fromArray(D, x, xOff + j);
            s0 = DoubleVector.fromArray(D, a, r0 + j).fma(xv, s0);
            s1 = DoubleVector.fromArray(D, a, r1 + j).fma(xv, s1);
            s2 = DoubleVector.fromArray(D, a, r2 + j).fma(xv, s2);
            s3 = DoubleVector.fromArray(D, a, r3 + j).fma(xv, s3);
        }
        double d0 = s0.reduceLanes(VectorOperators.ADD), d1 = s1.reduceLanes(VectorOperators.ADD);
        double d2 = s2.reduceLanes(VectorOperators.ADD), d3 = s3.reduceLanes(VectorOperators.ADD);
        for (; j < n; j++) {
            double xj = x[xOff + j];
            d0 = Math.fma(a[r0 + j], xj, d0);
            d1 = Math.fma(a[r1 + j], xj, d1);
            d2 = Math.fma(a[r2 + j], xj, d2);
            d3 = Math.fma(a[r3 + j], xj, d3);
        }
        y[yOff] += alpha * d0;
        y[yOff + 1] += alpha * d1;
        y[yOff + 2] += alpha * d2;
        y[yOff + 3] += alpha * d3;
    }

    /** y += alpha · (x[0..3] · rows r0 .. r0+3 of A), i.e. four axpy calls in row order fused into one pass over y. */
    private static void axpy4(int n, float alpha, float[] x, int xOff, float[] a, int r0, int lda, float[] y,
                              int yOff) {
        int r1 = r0 + lda, r2 = r1 + lda, r3 = r2 + lda;
        float c0 = alpha * x[xOff], c1 = alpha * x[xOff + 1], c2 = alpha * x[xOff + 2], c3 = alpha * x[xOff + 3];
        FloatVector v0 = FloatVector.broadcast(F, c0), v1 = FloatVector.broadcast(F, c1);
        FloatVector v2 = FloatVector.broadcast(F, c2), v3 = FloatVector.broadcast(F, c3);
        int j = 0;
        for (int bound = F.loopBound(n); j < bound; j += F.length()) {
            FloatVector acc = FloatVector.fromArray(F, a, r0 + j).fma(v0, FloatVector.fromArray(F, y, yOff + j));
            acc = FloatVector.fromArray(F, a, r1 + j).fma(v1, acc);
            acc = FloatVector.fromArray(F, a, r2 + j).fma(v2, acc);
            FloatVector.fromArray(F, a, r3 + j).fma(v3, acc).intoArray(y, yOff + j);
        }
        for (; j < n; j++) {
            float t = Math.fma(a[r0 + j], c0, y[yOff + j]);
            t = Math.fma(a[r1 + j], c1, t);
            t = Math.fma(a[r2 + j], c2, t);
            y[yOff + j] = Math.fma(a[r3 + j], c3, t);
        }
    }

    /** Double twin of the float method. */
    private static void axpy4(int n, double alpha, double[] x, int xOff, double[] a, int r0, int lda, double[] y,
                              int yOff) {
        int r1 = r0 + lda, r2 = r1 + lda, r3 = r2 + lda;
        double c0 = alpha * x[xOff], c1 = alpha * x[xOff + 1], c2 = alpha * x[xOff + 2], c3 = alpha * x[xOff + 3];
        DoubleVector v0 = DoubleVector.broadcast(D, c0), v1 = DoubleVector.broadcast(D, c1);
        DoubleVector v2 = DoubleVector.broadcast(D, c2), v3 = DoubleVector.broadcast(D, c3);
        int j = 0;
        for (int bound = D.loopBound(n); j < bound; j += D.length()) {
            DoubleVector acc = DoubleVector.fromArray(D, a, r0 + j).fma(v0, DoubleVector.fromArray(D, y, yOff + j));
            acc = DoubleVector.fromArray(D, a, r1 + j).fma(v1, acc);
            acc = DoubleVector.fromArray(D, a, r2 + j).fma(v2, acc);
            DoubleVector.fromArray(D, a, r3 + j).fma(v3, acc).intoArray(y, yOff + j);
        }
        for (; j < n; j++) {
            double t = Math.fma(a[r0 + j], c0, y[yOff + j]);
            t = Math.fma(a[r1 + j], c1, t);
            t = Math.fma(a[r2 + j], c2, t);
            y[yOff + j] = Math.fma(a[r3 + j], c3, t);
        }
    }

    @Override
    public void ger(int m, int n, float alpha, float[] x, int xOff, float[] y, int yOff, float[] a, int aOff, int lda) {
        if (alpha == 0) {
            return;
        }
        for (int i = 0; i < m; i++) {
            axpy(n, alpha * x[xOff + i], y, yOff, a, aOff + i * lda);
        }
    }

    @Override
    public void ger(int m, int n, double alpha, double[] x, int xOff, double[] y, int yOff, double[] a, int aOff,
                    int lda) {
        if (alpha == 0) {
            return;
        }
        for (int i = 0; i < m; i++) {
            axpy(n, alpha * x[xOff + i], y, yOff, a, aOff + i * lda);
        }
    }

    // ---------------------------------------------------------------- level 1

    private static void fill(int n, float value, float[] x, int xOff) {
        java.util.Arrays.fill(x, xOff, xOff + n, value);
    }

    private static void fill(int n, double value, double[] x, int xOff) {
        java.util.Arrays.fill(x, xOff, xOff + n, value);
    }

    @Override
    public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        FloatVector va = FloatVector.broadcast(F, alpha);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector.fromArray(F, x, xOff + i).fma(va, FloatVector.fromArray(F, y, yOff + i))
                    .intoArray(y, yOff + i);
        }
        if (i < n) {
            VectorMask<Float> mask = F.indexInRange(i, n);
            FloatVector.fromArray(F, x, xOff + i, mask).fma(va, FloatVector.fromArray(F, y, yOff + i, mask))
                    .intoArray(y, yOff + i, mask);
        }
    }

    @Override
    public void axpy(int n, double alpha, double[] x, int xOff, double[] y, int yOff) {
        DoubleVector va = DoubleVector.broadcast(D, alpha);
        int i = 0;
        for (int bound = D.loopBound(n); i < bound; i += D.length()) {
            DoubleVector.fromArray(D, x, xOff + i).fma(va, DoubleVector.fromArray(D, y, yOff + i))
                    .intoArray(y, yOff + i);
        }
        if (MASKS_D && i < n) {
            VectorMask<Double> mask = D.indexInRange(i, n);
            DoubleVector.fromArray(D, x, xOff + i, mask).fma(va, DoubleVector.fromArray(D, y, yOff + i, mask))
                    .intoArray(y, yOff + i, mask);
            i = n;
        }
        for (; i < n; i++) {
            y[yOff + i] = Math.fma(alpha, x[xOff + i], y[yOff + i]);
        }
    }

    @Override
    public void scal(int n, float alpha, float[] x, int xOff) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector.fromArray(F, x, xOff + i).mul(alpha).intoArray(x, xOff + i);
        }
        if (i < n) {
            VectorMask<Float> mask = F.indexInRange(i, n);
            FloatVector.fromArray(F, x, xOff + i, mask).mul(alpha).intoArray(x, xOff + i, mask);
        }
    }

    @Override
    public void scal(int n, double alpha, double[] x, int xOff) {
        int i = 0;
        for (int bound = D.loopBound(n); i < bound; i += D.length()) {
            DoubleVector.fromArray(D, x, xOff + i).mul(alpha).intoArray(x, xOff + i);
        }
        if (MASKS_D && i < n) {
            VectorMask<Double> mask = D.indexInRange(i, n);
            DoubleVector.fromArray(D, x, xOff + i, mask).mul(alpha).intoArray(x, xOff + i, mask);
            i = n;
        }
        for (; i < n; i++) {
            x[xOff + i] *= alpha;
        }
    }

    @Override
    public float dot(int n, float[] x, int xOff, float[] y, int yOff) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            acc = FloatVector.fromArray(F, x, xOff + i).fma(FloatVector.fromArray(F, y, yOff + i), acc);
        }
        if (i < n) {
            VectorMask<Float> mask = F.indexInRange(i, n);
            acc = FloatVector.fromArray(F, x, xOff + i, mask).fma(FloatVector.fromArray(F, y, yOff + i, mask), acc);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }

    @Override
    public double dot(int n, double[] x, int xOff, double[] y, int yOff) {
        DoubleVector acc = DoubleVector.zero(D);
        int i = 0;
        for (int bound = D.loopBound(n); i < bound; i += D.length()) {
            acc = DoubleVector.fromArray(D, x, xOff + i).fma(DoubleVector.fromArray(D, y, yOff + i), acc);
        }
        if (i < n) {
            VectorMask<Double> mask = D.indexInRange(i, n);
            acc = DoubleVector.fromArray(D, x, xOff + i, mask).fma(DoubleVector.fromArray(D, y, yOff + i, mask), acc);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }

    // ---------------------------------------------------------------- reductions

    private static float sum(int n, float[] x, int xOff) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            acc = acc.add(FloatVector.fromArray(F, x, xOff + i));
        }
        if (i < n) {
            acc = acc.add(FloatVector.fromArray(F, x, xOff + i, F.indexInRange(i, n)));
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }

    private static double sum(int n, double[] x, int xOff) {
        DoubleVector acc = DoubleVector.zero(D);
        int i = 0;
        for (int bound = D.loopBound(n); i < bound; i += D.length()) {
            acc = acc.add(DoubleVector.fromArray(D, x, xOff + i));
        }
        if (i < n) {
            acc = acc.add(DoubleVector.fromArray(D, x, xOff + i, D.indexInRange(i, n)));
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }

    private static float max(int n, float[] x, int xOff) {
        int l = F.length();
        // Four chains: MAX with Math.max's NaN and signed-zero rules is a several-instruction sequence, so one chain
        // waits on its own latency. The order does not matter: that max is associative and commutative.
        FloatVector acc0 = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        int i = 0;
        for (; i <= n - 4 * l; i += 4 * l) {
            acc0 = acc0.max(FloatVector.fromArray(F, x, xOff + i));
            acc1 = acc1.max(FloatVector.fromArray(F, x, xOff + i + l));
            acc2 = acc2.max(FloatVector.fromArray(F, x, xOff + i + 2 * l));
            acc3 = acc3.max(FloatVector.fromArray(F, x, xOff + i + 3 * l));
        }
        FloatVector acc = acc0.max(acc1).max(acc2.max(acc3));
        for (; i <= n - l; i += l) {
            acc = acc.max(FloatVector.fromArray(F, x, xOff + i));
        }
        if (MASKS_F && i < n) {
            VectorMask<Float> tail = F.indexInRange(i, n);
            acc = acc.lanewise(VectorOperators.MAX, FloatVector.fromArray(F, x, xOff + i, tail), tail);
            i = n;
        }
        float max = acc.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) {
            max = Math.max(max, x[xOff + i]);
        }
        return max;
    }

    /**
     * The first index in x[xOff, xOff + n) holding {@code value}, or the first NaN when value is NaN; value must
     * occur there (it is the row's max).
     */
    private static int firstIndexOf(int n, float[] x, int xOff, float value) {
        int i = 0;
        if (value == value) {
            for (int bound = F.loopBound(n); i < bound; i += F.length()) {
                VectorMask<Float> hit = FloatVector.fromArray(F, x, xOff + i).eq(value);
                if (hit.anyTrue()) {
                    return i + hit.firstTrue();
                }
            }
            while (x[xOff + i] != value) {
                i++;
            }
        } else {
            while (x[xOff + i] == x[xOff + i]) {
                i++;
            }
        }
        return i;
    }

    private static double max(int n, double[] x, int xOff) {
        int l = D.length();
        // Four chains: MAX with Math.max's NaN and signed-zero rules is a several-instruction sequence, so one chain
        // waits on its own latency. The order does not matter: that max is associative and commutative.
        DoubleVector acc0 = DoubleVector.broadcast(D, Double.NEGATIVE_INFINITY), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        int i = 0;
        for (; i <= n - 4 * l; i += 4 * l) {
            acc0 = acc0.max(DoubleVector.fromArray(D, x, xOff + i));
            acc1 = acc1.max(DoubleVector.fromArray(D, x, xOff + i + l));
            acc2 = acc2.max(DoubleVector.fromArray(D, x, xOff + i + 2 * l));
            acc3 = acc3.max(DoubleVector.fromArray(D, x, xOff + i + 3 * l));
        }
        DoubleVector acc = acc0.max(acc1).max(acc2.max(acc3));
        for (; i <= n - l; i += l) {
            acc = acc.max(DoubleVector.fromArray(D, x, xOff + i));
        }
        if (MASKS_D && i < n) {
            VectorMask<Double> tail = D.indexInRange(i, n);
            acc = acc.lanewise(VectorOperators.MAX, DoubleVector.fromArray(D, x, xOff + i, tail), tail);
            i = n;
        }
        double max = acc.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) {
            max = Math.max(max, x[xOff + i]);
        }
        return max;
    }

    /**
     * The first index in x[xOff, xOff + n) holding {@code value}, or the first NaN when value is NaN; value must
     * occur there (it is the row's max).
     */
    private static int firstIndexOf(int n, double[] x, int xOff, double value) {
        int i = 0;
        if (value == value) {
            for (int bound = D.loopBound(n); i < bound; i += D.length()) {
                VectorMask<Double> hit = DoubleVector.fromArray(D, x, xOff + i).eq(value);
                if (hit.anyTrue()) {
                    return i + hit.firstTrue();
                }
            }
            while (x[xOff + i] != value) {
                i++;
            }
        } else {
            while (x[xOff + i] == x[xOff + i]) {
                i++;
            }
        }
        return i;
    }

    @Override
    public void rowSums(int m, int n, float[] a, int aOff, int lda, float beta, float[] out, int outOff) {
        for (int r = 0; r < m; r++) {
            float s = sum(n, a, aOff + r * lda);
            out[outOff + r] = beta == 0 ? s : s + beta * out[outOff + r];
        }
    }

    @Override
    public void rowSums(int m, int n, double[] a, int aOff, int lda, double beta, double[] out, int outOff) {
        for (int r = 0; r < m; r++) {
            double s = sum(n, a, aOff + r * lda);
            out[outOff + r] = beta == 0 ? s : s + beta * out[outOff + r];
        }
    }

    @Override
    public void columnSums(int m, int n, float[] a, int aOff, int lda, float beta, float[] out, int outOff) {
        int l = F.length();
        int c = 0;
        // Four column vectors at a time down all rows: out is read and written once, not once per row, and four
        // add chains run side by side. Each element still adds its rows in row order, as the scalar twin does.
        for (; c <= n - 4 * l; c += 4 * l) {
            FloatVector s0 = columnStart(beta, out, outOff + c), s1 = columnStart(beta, out, outOff + c + l);
            FloatVector s2 = columnStart(beta, out, outOff + c + 2 * l);
            FloatVector s3 = columnStart(beta, out, outOff + c + 3 * l);
            for (int r = 0, p = aOff + c; r < m; r++, p += lda) {
                s0 = s0.add(FloatVector.fromArray(F, a, p));
                s1 = s1.add(FloatVector.fromArray(F, a, p + l));
                s2 = s2.add(FloatVector.fromArray(F, a, p + 2 * l));
                s3 = s3.add(FloatVector.fromArray(F, a, p + 3 * l));
            }
            s0.intoArray(out, outOff + c);
            s1.intoArray(out, outOff + c + l);
            s2.intoArray(out, outOff + c + 2 * l);
            s3.intoArray(out, outOff + c + 3 * l);
        }
        for (; c <= n - l; c += l) {
            FloatVector s = columnStart(beta, out, outOff + c);
            for (int r = 0, p = aOff + c; r < m; r++, p += lda) {
                s = s.add(FloatVector.fromArray(F, a, p));
            }
            s.intoArray(out, outOff + c);
        }
        if (MASKS_F && c < n) {
            VectorMask<Float> tail = F.indexInRange(c, n);
            FloatVector s = beta == 0 ? FloatVector.zero(F)
                    : FloatVector.fromArray(F, out, outOff + c, tail).mul(beta);
            for (int r = 0, p = aOff + c; r < m; r++, p += lda) {
                s = s.add(FloatVector.fromArray(F, a, p, tail));
            }
            s.intoArray(out, outOff + c, tail);
            c = n;
        }
        for (; c < n; c++) {
            float s = beta == 0 ? 0f : beta * out[outOff + c];
            for (int r = 0, p = aOff + c; r < m; r++, p += lda) {
                s += a[p];
            }
            out[outOff + c] = s;
        }
    }

    /** The starting value of a column sum: 0, out, or beta · out (0 ignores out, NaN included). */
    private static FloatVector columnStart(float beta, float[] out, int off) {
        if (beta == 0) {
            return FloatVector.zero(F);
        }
        FloatVector o = FloatVector.fromArray(F, out, off);
        return beta == 1 ? o : o.mul(beta);
    }

    @Override
    public void columnSums(int m, int n, double[] a, int aOff, int lda, double beta, double[] out, int outOff) {
        int l = D.length();
        int c = 0;
        // Four column vectors at a time down all rows: out is read and written once, not once per row, and four
        // add chains run side by side. Each element still adds its rows in row order, as the scalar twin does.
        for (; c <= n - 4 * l; c += 4 * l) {
            DoubleVector s0 = columnStart(beta, out, outOff + c), s1 = columnStart(beta, out, outOff + c + l);
            DoubleVector s2 = columnStart(beta, out, outOff + c + 2 * l);
            DoubleVector s3 = columnStart(beta, out, outOff + c + 3 * l);
            for (int r = 0, p = aOff + c; r < m; r++, p += lda) {
                s0 = s0.add(DoubleVector.fromArray(D, a, p));
                s1 = s1.add(DoubleVector.fromArray(D, a, p + l));
                s2 = s2.add(DoubleVector.fromArray(D, a, p + 2 * l));
                s3 = s3.add(DoubleVector.fromArray(D, a, p + 3 * l));
            }
            s0.intoArray(out, outOff + c);
            s1.intoArray(out, outOff + c + l);
            s2.intoArray(out, outOff + c + 2 * l);
            s3.intoArray(out, outOff + c + 3 * l);
        }
        for (; c <= n - l; c += l) {
            DoubleVector s = columnStart(beta, out, outOff + c);
            for (int r = 0, p = aOff + c; r < m; r++, p += lda) {
                s = s.add(DoubleVector.fromArray(D, a, p));
            }
            s.intoArray(out, outOff + c);
        }
        if (MASKS_D && c < n) {
            VectorMask<Double> tail = D.indexInRange(c, n);
            DoubleVector s = beta == 0 ? DoubleVector.zero(D)
                    : DoubleVector.fromArray(D, out, outOff + c, tail).mul(beta);
            for (int r = 0, p = aOff + c; r < m; r++, p += lda) {
                s = s.add(DoubleVector.fromArray(D, a, p, tail));
            }
            s.intoArray(out, outOff + c, tail);
            c = n;
        }
        for (; c < n; c++) {
            double s = beta == 0 ? 0.0 : beta * out[outOff + c];
            for (int r = 0, p = aOff + c; r < m; r++, p += lda) {
                s += a[p];
            }
            out[outOff + c] = s;
        }
    }

    /** The starting value of a column sum: 0, out, or beta · out (0 ignores out, NaN included). */
    private static DoubleVector columnStart(double beta, double[] out, int off) {
        if (beta == 0) {
            return DoubleVector.zero(D);
        }
        DoubleVector o = DoubleVector.fromArray(D, out, off);
        return beta == 1 ? o : o.mul(beta);
    }

    @Override
    public void rowMax(int m, int n, float[] a, int aOff, int lda, float[] out, int outOff) {
        for (int r = 0; r < m; r++) {
            out[outOff + r] = max(n, a, aOff + r * lda);
        }
    }

    @Override
    public void rowMax(int m, int n, double[] a, int aOff, int lda, double[] out, int outOff) {
        for (int r = 0; r < m; r++) {
            out[outOff + r] = max(n, a, aOff + r * lda);
        }
    }

    @Override
    public void rowArgmax(int m, int n, float[] a, int aOff, int lda, int[] out, int outOff) {
        for (int r = 0; r < m; r++) {
            int row = aOff + r * lda;
            // The first index holding the maximum (or the first NaN, which the max then is).
            out[outOff + r] = firstIndexOf(n, a, row, max(n, a, row));
        }
    }

    @Override
    public void rowArgmax(int m, int n, double[] a, int aOff, int lda, int[] out, int outOff) {
        for (int r = 0; r < m; r++) {
            int row = aOff + r * lda;
            // The first index holding the maximum (or the first NaN, which the max then is).
            out[outOff + r] = firstIndexOf(n, a, row, max(n, a, row));
        }
    }

    // ---------------------------------------------------------------- activations
    // The loops live in ActivationKernels, one method per function (see there why).

    @Override
    public void activationForward(Activation.Function f, float param, int n, float[] z, int zOff, float[] y,
                                  int yOff) {
        ActivationKernels.forward(f, param, n, z, zOff, y, yOff);
    }

    @Override
    public void activationForward(Activation.Function f, double param, int n, double[] z, int zOff, double[] y,
                                  int yOff) {
        ActivationKernels.forward(f, param, n, z, zOff, y, yOff);
    }

    @Override
    public void activationBackward(Activation.Function f, float param, int n, float[] operand, int operandOff,
                                   float[] dy, int dyOff, float[] dz, int dzOff) {
        ActivationKernels.backward(f, param, n, operand, operandOff, dy, dyOff, dz, dzOff);
    }

    @Override
    public void activationBackward(Activation.Function f, double param, int n, double[] operand, int operandOff,
                                   double[] dy, int dyOff, double[] dz, int dzOff) {
        ActivationKernels.backward(f, param, n, operand, operandOff, dy, dyOff, dz, dzOff);
    }

    @Override
    public void activationBackwardBiasGradient(Activation.Function f, float param, int m, int n, float[] operand,
                                               int operandOff, float[] dy, int dyOff, float[] dz, int dzOff,
                                               float beta, float[] biasGrad, int biasOff) {
        ActivationKernels.backwardBiasGradient(f, param, m, n, operand, operandOff, dy, dyOff, dz, dzOff, beta,
                biasGrad, biasOff);
    }

    @Override
    public void activationBackwardBiasGradient(Activation.Function f, double param, int m, int n, double[] operand,
                                               int operandOff, double[] dy, int dyOff, double[] dz, int dzOff,
                                               double beta, double[] biasGrad, int biasOff) {
        ActivationKernels.backwardBiasGradient(f, param, m, n, operand, operandOff, dy, dyOff, dz, dzOff, beta,
                biasGrad, biasOff);
    }

    // ---------------------------------------------------------------- softmax and the softmax cross-entropies
    //
    // softmax, logSoftmax and both cross-entropies share their row work: per row the max, e = exp(x − max) and Σe,
    // then the kernel's output (its "kind"). Rows of at most two vectors (the MLP's 10 classes: one vector of 16
    // floats, two of 8) go through shortRows: the row is loaded once under masks built once per call and stays in
    // registers through max, exp, sum and the output. Before, such rows ran each pass as a loop of zero or one
    // iteration plus a scalar tail with one Math.exp per element: 1.6x the scalar twin at 128 x 10. Longer rows run
    // the passes below, over full vectors and then a masked tail (a vector exp too).
    //
    // Without MASKS_D (2-lane doubles) the tail of one element is scalar and no row takes shortRows.

    /**
     * The cross-entropy from labels sums Σ_r log Σe_r as log Π_r Σe_r: one log per call instead of one per row
     * (about 40% of a short row's time, by ablation). Each Σe lies in [1, n] (the max's term is exp(0) = 1), so
     * the product does not underflow; once above RENORMALIZE its log goes into the loss and it restarts at 1
     * (2^900 · n stays below the double range). The log's error, ε·|log Π| plus m·ε from the product, is that of
     * the per-row sum of logs; NaN and ∞ propagate.
     */
    private static final double RENORMALIZE = 0x1p900;

    private static final int SOFTMAX = 0;
    private static final int LOG_SOFTMAX = 1;
    private static final int CE_LABELS = 2;
    private static final int CE_TARGETS = 3;

    /**
     * The four row kernels for rows of at most two vectors, each row in registers. y = softmax (SOFTMAX),
     * log-softmax (LOG_SOFTMAX), or the gradient of the cross-entropy against labels (CE_LABELS) or targets t
     * (CE_TARGETS), gradScale = scale; y may be null for the cross-entropies. Returns the loss (0 for softmax and
     * log-softmax). Two methods, not one with a branch per step: vectors merged from two branches were boxed.
     */
    private static double shortRows(int kind, int m, int n, float[] x, int xOff, int ldx, int[] labels,
                                    int labelsOff, float[] t, int tOff, int ldt, float scale, float[] y, int yOff,
                                    int ldy) {
        return n <= F.length()
                ? oneVectorRows(kind, m, n, x, xOff, ldx, labels, labelsOff, t, tOff, ldt, scale, y, yOff, ldy)
                : twoVectorRows(kind, m, n, x, xOff, ldx, labels, labelsOff, t, tOff, ldt, scale, y, yOff, ldy);
    }

    /** Whether a float row of n elements goes through shortRows: at most two vectors, with masks available. */
    private static boolean isShortRowF(int n) {
        return MASKS_F && n <= 2 * F.length();
    }

    /** Whether a double row of n elements goes through shortRows (never for 2-lane doubles: no masks there). */
    private static boolean isShortRowD(int n) {
        return MASKS_D && n <= 2 * D.length();
    }

    /** shortRows for n ≤ F.length(): the row is v, masked to n. */
    private static double oneVectorRows(int kind, int m, int n, float[] x, int xOff, int ldx, int[] labels,
                                        int labelsOff, float[] t, int tOff, int ldt, float scale, float[] y,
                                        int yOff, int ldy) {
        VectorMask<Float> in = F.indexInRange(0, n);
        FloatVector iota = FloatVector.zero(F).addIndex(1);
        double loss = 0.0, product = 1.0;
        for (int r = 0; r < m; r++) {
            int xr = xOff + r * ldx, yr = yOff + r * ldy;
            FloatVector v = FloatVector.fromArray(F, x, xr, in);
            float max = v.reduceLanes(VectorOperators.MAX, in);
            // Lanes beyond n hold exp(−max), possibly ∞ or NaN: every use of them is masked.
            FloatVector e = v.sub(max).lanewise(VectorOperators.EXP);
            double sum = e.reduceLanes(VectorOperators.ADD, in);
            if (kind == SOFTMAX) {
                e.mul((float) (1.0 / sum)).intoArray(y, yr, in);
            } else if (kind == LOG_SOFTMAX) {
                v.sub((float) (max + Math.log(sum))).intoArray(y, yr, in);
            } else if (kind == CE_LABELS) {
                int label = labels[labelsOff + r];
                // log Σe goes into the product (RENORMALIZE says why).
                loss += (double) max - x[xr + label];
                product *= sum;
                if (product > RENORMALIZE) {
                    loss += Math.log(product);
                    product = 1.0;
                }
                if (y != null) {
                    // The one-hot subtraction in the register, not on the stored row (a load right after a masked
                    // store of the same line waits for the store).
                    e.mul((float) (scale / sum)).lanewise(VectorOperators.SUB, scale, iota.eq(label))
                            .intoArray(y, yr, in);
                }
            } else {
                FloatVector tv = FloatVector.fromArray(F, t, tOff + r * ldt, in);
                float lse = (float) (max + Math.log(sum));
                // −Σ t·(z − lse), skipping t = 0 so that z = −∞ there contributes 0, not NaN.
                loss -= tv.mul(v.sub(lse)).blend(0f, tv.eq(0f)).reduceLanes(VectorOperators.ADD);
                if (y != null) {
                    float s = (float) (scale * tv.reduceLanes(VectorOperators.ADD) / sum);
                    tv.mul(-scale).add(e.mul(s)).intoArray(y, yr, in);
                }
            }
        }
        return loss + Math.log(product);
    }

    /** shortRows for F.length() < n ≤ 2·F.length(): the row is v (a full vector) and w (the rest, masked). */
    private static double twoVectorRows(int kind, int m, int n, float[] x, int xOff, int ldx, int[] labels,
                                        int labelsOff, float[] t, int tOff, int ldt, float scale, float[] y,
                                        int yOff, int ldy) {
        int lanes = F.length();
        VectorMask<Float> in = F.indexInRange(lanes, n);
        FloatVector iota = FloatVector.zero(F).addIndex(1);
        double loss = 0.0, product = 1.0;
        for (int r = 0; r < m; r++) {
            int xr = xOff + r * ldx, yr = yOff + r * ldy;
            FloatVector v = FloatVector.fromArray(F, x, xr);
            FloatVector w = FloatVector.fromArray(F, x, xr + lanes, in);
            float max = v.lanewise(VectorOperators.MAX, w, in).reduceLanes(VectorOperators.MAX);
            FloatVector e = v.sub(max).lanewise(VectorOperators.EXP);
            FloatVector f = w.sub(max).lanewise(VectorOperators.EXP);
            double sum = e.lanewise(VectorOperators.ADD, f, in).reduceLanes(VectorOperators.ADD);
            if (kind == SOFTMAX) {
                float s = (float) (1.0 / sum);
                e.mul(s).intoArray(y, yr);
                f.mul(s).intoArray(y, yr + lanes, in);
            } else if (kind == LOG_SOFTMAX) {
                float shift = (float) (max + Math.log(sum));
                v.sub(shift).intoArray(y, yr);
                w.sub(shift).intoArray(y, yr + lanes, in);
            } else if (kind == CE_LABELS) {
                int label = labels[labelsOff + r];
                loss += (double) max - x[xr + label];
                product *= sum;
                if (product > RENORMALIZE) {
                    loss += Math.log(product);
                    product = 1.0;
                }
                if (y != null) {
                    float s = (float) (scale / sum);
                    e.mul(s).lanewise(VectorOperators.SUB, scale, iota.eq(label)).intoArray(y, yr);
                    f.mul(s).lanewise(VectorOperators.SUB, scale, iota.eq(label - lanes)).intoArray(y, yr + lanes, in);
                }
            } else {
                int tr = tOff + r * ldt;
                FloatVector tv = FloatVector.fromArray(F, t, tr), tw = FloatVector.fromArray(F, t, tr + lanes, in);
                float lse = (float) (max + Math.log(sum));
                FloatVector terms = tv.mul(v.sub(lse)).blend(0f, tv.eq(0f))
                        .add(tw.mul(w.sub(lse)).blend(0f, tw.eq(0f)));
                loss -= terms.reduceLanes(VectorOperators.ADD);
                if (y != null) {
                    float s = (float) (scale * tv.add(tw).reduceLanes(VectorOperators.ADD) / sum);
                    tv.mul(-scale).add(e.mul(s)).intoArray(y, yr);
                    tw.mul(-scale).add(f.mul(s)).intoArray(y, yr + lanes, in);
                }
            }
        }
        return loss + Math.log(product);
    }

    /** As the float shortRows (only with MASKS_D). */
    private static double shortRows(int kind, int m, int n, double[] x, int xOff, int ldx, int[] labels,
                                    int labelsOff, double[] t, int tOff, int ldt, double scale, double[] y, int yOff,
                                    int ldy) {
        return n <= D.length()
                ? oneVectorRows(kind, m, n, x, xOff, ldx, labels, labelsOff, t, tOff, ldt, scale, y, yOff, ldy)
                : twoVectorRows(kind, m, n, x, xOff, ldx, labels, labelsOff, t, tOff, ldt, scale, y, yOff, ldy);
    }

    /** As the float oneVectorRows. */
    private static double oneVectorRows(int kind, int m, int n, double[] x, int xOff, int ldx, int[] labels,
                                        int labelsOff, double[] t, int tOff, int ldt, double scale, double[] y,
                                        int yOff, int ldy) {
        VectorMask<Double> in = D.indexInRange(0, n);
        DoubleVector iota = DoubleVector.zero(D).addIndex(1);
        double loss = 0.0, product = 1.0;
        for (int r = 0; r < m; r++) {
            int xr = xOff + r * ldx, yr = yOff + r * ldy;
            DoubleVector v = DoubleVector.fromArray(D, x, xr, in);
            double max = v.reduceLanes(VectorOperators.MAX, in);
            DoubleVector e = v.sub(max).lanewise(VectorOperators.EXP);
            double sum = e.reduceLanes(VectorOperators.ADD, in);
            if (kind == SOFTMAX) {
                e.mul(1.0 / sum).intoArray(y, yr, in);
            } else if (kind == LOG_SOFTMAX) {
                v.sub(max + Math.log(sum)).intoArray(y, yr, in);
            } else if (kind == CE_LABELS) {
                int label = labels[labelsOff + r];
                loss += max - x[xr + label];
                product *= sum;
                if (product > RENORMALIZE) {
                    loss += Math.log(product);
                    product = 1.0;
                }
                if (y != null) {
                    e.mul(scale / sum).lanewise(VectorOperators.SUB, scale, iota.eq(label))
                            .intoArray(y, yr, in);
                }
            } else {
                DoubleVector tv = DoubleVector.fromArray(D, t, tOff + r * ldt, in);
                double lse = max + Math.log(sum);
                loss -= tv.mul(v.sub(lse)).blend(0.0, tv.eq(0.0)).reduceLanes(VectorOperators.ADD);
                if (y != null) {
                    double s = scale * tv.reduceLanes(VectorOperators.ADD) / sum;
                    tv.mul(-scale).add(e.mul(s)).intoArray(y, yr, in);
                }
            }
        }
        return loss + Math.log(product);
    }

    /** As the float twoVectorRows. */
    private static double twoVectorRows(int kind, int m, int n, double[] x, int xOff, int ldx, int[] labels,
                                        int labelsOff, double[] t, int tOff, int ldt, double scale, double[] y,
                                        int yOff, int ldy) {
        int lanes = D.length();
        VectorMask<Double> in = D.indexInRange(lanes, n);
        DoubleVector iota = DoubleVector.zero(D).addIndex(1);
        double loss = 0.0, product = 1.0;
        for (int r = 0; r < m; r++) {
            int xr = xOff + r * ldx, yr = yOff + r * ldy;
            DoubleVector v = DoubleVector.fromArray(D, x, xr);
            DoubleVector w = DoubleVector.fromArray(D, x, xr + lanes, in);
            double max = v.lanewise(VectorOperators.MAX, w, in).reduceLanes(VectorOperators.MAX);
            DoubleVector e = v.sub(max).lanewise(VectorOperators.EXP);
            DoubleVector f = w.sub(max).lanewise(VectorOperators.EXP);
            double sum = e.lanewise(VectorOperators.ADD, f, in).reduceLanes(VectorOperators.ADD);
            if (kind == SOFTMAX) {
                double s = 1.0 / sum;
                e.mul(s).intoArray(y, yr);
                f.mul(s).intoArray(y, yr + lanes, in);
            } else if (kind == LOG_SOFTMAX) {
                double shift = max + Math.log(sum);
                v.sub(shift).intoArray(y, yr);
                w.sub(shift).intoArray(y, yr + lanes, in);
            } else if (kind == CE_LABELS) {
                int label = labels[labelsOff + r];
                loss += max - x[xr + label];
                product *= sum;
                if (product > RENORMALIZE) {
                    loss += Math.log(product);
                    product = 1.0;
                }
                if (y != null) {
                    double s = scale / sum;
                    e.mul(s).lanewise(VectorOperators.SUB, scale, iota.eq(label)).intoArray(y, yr);
                    f.mul(s).lanewise(VectorOperators.SUB, scale, iota.eq(label - lanes)).intoArray(y, yr + lanes, in);
                }
            } else {
                int tr = tOff + r * ldt;
                DoubleVector tv = DoubleVector.fromArray(D, t, tr), tw = DoubleVector.fromArray(D, t, tr + lanes, in);
                double lse = max + Math.log(sum);
                DoubleVector terms = tv.mul(v.sub(lse)).blend(0.0, tv.eq(0.0))
                        .add(tw.mul(w.sub(lse)).blend(0.0, tw.eq(0.0)));
                loss -= terms.reduceLanes(VectorOperators.ADD);
                if (y != null) {
                    double s = scale * tv.add(tw).reduceLanes(VectorOperators.ADD) / sum;
                    tv.mul(-scale).add(e.mul(s)).intoArray(y, yr);
                    tw.mul(-scale).add(f.mul(s)).intoArray(y, yr + lanes, in);
                }
            }
        }
        return loss + Math.log(product);
    }

    /** Σ exp(x − shift) over n elements (accumulated in float lanes, then in double); y = the terms unless null. */
    private static double expShifted(int n, float[] x, int xOff, float shift, float[] y, int yOff) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector e = FloatVector.fromArray(F, x, xOff + i).sub(shift).lanewise(VectorOperators.EXP);
            if (y != null) {
                e.intoArray(y, yOff + i);
            }
            acc = acc.add(e);
        }
        if (MASKS_F && i < n) {
            VectorMask<Float> tail = F.indexInRange(i, n);
            FloatVector e = FloatVector.fromArray(F, x, xOff + i, tail).sub(shift).lanewise(VectorOperators.EXP);
            if (y != null) {
                e.intoArray(y, yOff + i, tail);
            }
            acc = acc.lanewise(VectorOperators.ADD, e, tail);
            i = n;
        }
        double sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            float e = (float) Math.exp(x[xOff + i] - shift);
            if (y != null) {
                y[yOff + i] = e;
            }
            sum += e;
        }
        return sum;
    }

    private static double expShifted(int n, double[] x, int xOff, double shift, double[] y, int yOff) {
        DoubleVector acc = DoubleVector.zero(D);
        int i = 0;
        for (int bound = D.loopBound(n); i < bound; i += D.length()) {
            DoubleVector e = DoubleVector.fromArray(D, x, xOff + i).sub(shift).lanewise(VectorOperators.EXP);
            if (y != null) {
                e.intoArray(y, yOff + i);
            }
            acc = acc.add(e);
        }
        if (MASKS_D && i < n) {
            VectorMask<Double> tail = D.indexInRange(i, n);
            DoubleVector e = DoubleVector.fromArray(D, x, xOff + i, tail).sub(shift).lanewise(VectorOperators.EXP);
            if (y != null) {
                e.intoArray(y, yOff + i, tail);
            }
            acc = acc.lanewise(VectorOperators.ADD, e, tail);
            i = n;
        }
        double sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            double e = Math.exp(x[xOff + i] - shift);
            if (y != null) {
                y[yOff + i] = e;
            }
            sum += e;
        }
        return sum;
    }

    /** y = (x − shift) over n elements. */
    private static void subtract(int n, float[] x, int xOff, float shift, float[] y, int yOff) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector.fromArray(F, x, xOff + i).sub(shift).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = x[xOff + i] - shift;
        }
    }

    private static void subtract(int n, double[] x, int xOff, double shift, double[] y, int yOff) {
        int i = 0;
        for (int bound = D.loopBound(n); i < bound; i += D.length()) {
            DoubleVector.fromArray(D, x, xOff + i).sub(shift).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = x[xOff + i] - shift;
        }
    }

    @Override
    public void softmax(int m, int n, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy) {
        if (isShortRowF(n)) {
            shortRows(SOFTMAX, m, n, x, xOff, ldx, null, 0, null, 0, 0, 0f, y, yOff, ldy);
            return;
        }
        for (int r = 0; r < m; r++) {
            int xr = xOff + r * ldx, yr = yOff + r * ldy;
            double sum = expShifted(n, x, xr, max(n, x, xr), y, yr);
            scal(n, (float) (1.0 / sum), y, yr);
        }
    }

    @Override
    public void softmax(int m, int n, double[] x, int xOff, int ldx, double[] y, int yOff, int ldy) {
        if (isShortRowD(n)) {
            shortRows(SOFTMAX, m, n, x, xOff, ldx, null, 0, null, 0, 0, 0.0, y, yOff, ldy);
            return;
        }
        for (int r = 0; r < m; r++) {
            int xr = xOff + r * ldx, yr = yOff + r * ldy;
            double sum = expShifted(n, x, xr, max(n, x, xr), y, yr);
            scal(n, 1.0 / sum, y, yr);
        }
    }

    @Override
    public void logSoftmax(int m, int n, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy) {
        if (isShortRowF(n)) {
            shortRows(LOG_SOFTMAX, m, n, x, xOff, ldx, null, 0, null, 0, 0, 0f, y, yOff, ldy);
            return;
        }
        for (int r = 0; r < m; r++) {
            int xr = xOff + r * ldx, yr = yOff + r * ldy;
            float max = max(n, x, xr);
            // The exps are not stored: in place, y is x, which the second pass still reads.
            double sum = expShifted(n, x, xr, max, null, 0);
            subtract(n, x, xr, (float) (max + Math.log(sum)), y, yr);
        }
    }

    @Override
    public void logSoftmax(int m, int n, double[] x, int xOff, int ldx, double[] y, int yOff, int ldy) {
        if (isShortRowD(n)) {
            shortRows(LOG_SOFTMAX, m, n, x, xOff, ldx, null, 0, null, 0, 0, 0.0, y, yOff, ldy);
            return;
        }
        for (int r = 0; r < m; r++) {
            int xr = xOff + r * ldx, yr = yOff + r * ldy;
            double max = max(n, x, xr);
            double sum = expShifted(n, x, xr, max, null, 0);
            subtract(n, x, xr, max + Math.log(sum), y, yr);
        }
    }

    @Override
    public double softmaxCrossEntropy(int m, int n, float[] z, int zOff, int ldz, int[] labels, int labelsOff,
                                      float gradScale, float[] grad, int gOff, int ldg) {
        if (isShortRowF(n)) {
            return shortRows(CE_LABELS, m, n, z, zOff, ldz, labels, labelsOff, null, 0, 0, gradScale, grad, gOff,
                    ldg);
        }
        double loss = 0.0, product = 1.0;
        for (int r = 0; r < m; r++) {
            int zr = zOff + r * ldz, gr = gOff + r * ldg;
            float max = max(n, z, zr);
            int label = labels[labelsOff + r];
            double sum = expShifted(n, z, zr, max, grad, gr);
            loss += (double) max - z[zr + label];
            product *= sum;
            if (product > RENORMALIZE) {
                loss += Math.log(product);
                product = 1.0;
            }
            if (grad != null) {
                scal(n, (float) (gradScale / sum), grad, gr);
                grad[gr + label] -= gradScale;
            }
        }
        return loss + Math.log(product);
    }

    @Override
    public double softmaxCrossEntropy(int m, int n, double[] z, int zOff, int ldz, int[] labels, int labelsOff,
                                      double gradScale, double[] grad, int gOff, int ldg) {
        if (isShortRowD(n)) {
            return shortRows(CE_LABELS, m, n, z, zOff, ldz, labels, labelsOff, null, 0, 0, gradScale, grad, gOff,
                    ldg);
        }
        double loss = 0.0, product = 1.0;
        for (int r = 0; r < m; r++) {
            int zr = zOff + r * ldz, gr = gOff + r * ldg;
            double max = max(n, z, zr);
            int label = labels[labelsOff + r];
            double sum = expShifted(n, z, zr, max, grad, gr);
            loss += max - z[zr + label];
            product *= sum;
            if (product > RENORMALIZE) {
                loss += Math.log(product);
                product = 1.0;
            }
            if (grad != null) {
                scal(n, gradScale / sum, grad, gr);
                grad[gr + label] -= gradScale;
            }
        }
        return loss + Math.log(product);
    }

    @Override
    public double softmaxCrossEntropy(int m, int n, float[] z, int zOff, int ldz, float[] t, int tOff, int ldt,
                                      float gradScale, float[] grad, int gOff, int ldg) {
        if (isShortRowF(n)) {
            return shortRows(CE_TARGETS, m, n, z, zOff, ldz, null, 0, t, tOff, ldt, gradScale, grad, gOff, ldg);
        }
        double loss = 0.0;
        for (int r = 0; r < m; r++) {
            int zr = zOff + r * ldz, tr = tOff + r * ldt, gr = gOff + r * ldg;
            float max = max(n, z, zr);
            double sum = expShifted(n, z, zr, max, grad, gr);
            float lse = (float) (max + Math.log(sum));
            // −Σ t·(z − lse), skipping t = 0 so that z = −∞ there contributes 0, not NaN.
            FloatVector acc = FloatVector.zero(F);
            FloatVector mass = FloatVector.zero(F);
            int c = 0;
            for (int bound = F.loopBound(n); c < bound; c += F.length()) {
                FloatVector tv = FloatVector.fromArray(F, t, tr + c);
                FloatVector term = tv.mul(FloatVector.fromArray(F, z, zr + c).sub(lse));
                acc = acc.add(term.blend(0f, tv.eq(0f)));
                mass = mass.add(tv);
            }
            double rowLoss = -acc.reduceLanes(VectorOperators.ADD);
            double rowMass = mass.reduceLanes(VectorOperators.ADD);
            for (; c < n; c++) {
                float tc = t[tr + c];
                rowMass += tc;
                if (tc != 0) {
                    rowLoss -= tc * (z[zr + c] - lse);
                }
            }
            loss += rowLoss;
            if (grad != null) {
                scal(n, (float) (gradScale * rowMass / sum), grad, gr);
                axpy(n, -gradScale, t, tr, grad, gr);
            }
        }
        return loss;
    }

    @Override
    public double softmaxCrossEntropy(int m, int n, double[] z, int zOff, int ldz, double[] t, int tOff, int ldt,
                                      double gradScale, double[] grad, int gOff, int ldg) {
        if (isShortRowD(n)) {
            return shortRows(CE_TARGETS, m, n, z, zOff, ldz, null, 0, t, tOff, ldt, gradScale, grad, gOff, ldg);
        }
        double loss = 0.0;
        for (int r = 0; r < m; r++) {
            int zr = zOff + r * ldz, tr = tOff + r * ldt, gr = gOff + r * ldg;
            double max = max(n, z, zr);
            double sum = expShifted(n, z, zr, max, grad, gr);
            double lse = max + Math.log(sum);
            DoubleVector acc = DoubleVector.zero(D);
            DoubleVector mass = DoubleVector.zero(D);
            int c = 0;
            for (int bound = D.loopBound(n); c < bound; c += D.length()) {
                DoubleVector tv = DoubleVector.fromArray(D, t, tr + c);
                DoubleVector term = tv.mul(DoubleVector.fromArray(D, z, zr + c).sub(lse));
                // term where t != 0, else 0, by bits (no mask, see MASKS_D): the doubled bits of t are 0 only for
                // ±0, and b | −b has its sign set for every b != 0; the arithmetic shift spreads it.
                LongVector twice = tv.viewAsIntegralLanes().lanewise(VectorOperators.LSHL, 1);
                LongVector nonzero = twice.or(twice.neg()).lanewise(VectorOperators.ASHR, Long.SIZE - 1);
                acc = acc.add(term.viewAsIntegralLanes().and(nonzero).viewAsFloatingLanes());
                mass = mass.add(tv);
            }
            double rowLoss = -acc.reduceLanes(VectorOperators.ADD);
            double rowMass = mass.reduceLanes(VectorOperators.ADD);
            for (; c < n; c++) {
                double tc = t[tr + c];
                rowMass += tc;
                if (tc != 0) {
                    rowLoss -= tc * (z[zr + c] - lse);
                }
            }
            loss += rowLoss;
            if (grad != null) {
                scal(n, gradScale * rowMass / sum, grad, gr);
                axpy(n, -gradScale, t, tr, grad, gr);
            }
        }
        return loss;
    }

    @Override
    public double binaryCrossEntropyWithLogits(int n, float[] z, int zOff, float[] t, int tOff, float gradScale,
                                               float[] grad, int gOff) {
        // Generated with the activation kernels: it shares their own e^x and softplus's log1p polynomial.
        return ActivationKernels.bceWithLogits(n, z, zOff, t, tOff, gradScale, grad, gOff);
    }

    @Override
    public double binaryCrossEntropyWithLogits(int n, double[] z, int zOff, double[] t, int tOff, double gradScale,
                                               double[] grad, int gOff) {
        double loss = 0.0;
        int i = 0;
        for (int bound = D.loopBound(n); i < bound; i += D.length()) {
            DoubleVector zv = DoubleVector.fromArray(D, z, zOff + i);
            DoubleVector tv = DoubleVector.fromArray(D, t, tOff + i);
            loss += VectorMath.bceWithLogits(zv, tv).reduceLanes(VectorOperators.ADD);
            if (grad != null) {
                VectorMath.sigmoid(zv).sub(tv).mul(gradScale).intoArray(grad, gOff + i);
            }
        }
        for (; i < n; i++) {
            double zi = z[zOff + i], ti = t[tOff + i];
            loss += ScalarMath.bceWithLogits(zi, ti);
            if (grad != null) {
                grad[gOff + i] = gradScale * (ScalarMath.sigmoid(zi) - ti);
            }
        }
        return loss;
    }

    @Override
    public double squaredError(int n, float[] y, int yOff, float[] t, int tOff, float gradScale, float[] grad,
                               int gOff) {
        double loss = 0.0;
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector d = FloatVector.fromArray(F, y, yOff + i).sub(FloatVector.fromArray(F, t, tOff + i));
            loss += d.mul(d).reduceLanes(VectorOperators.ADD);
            if (grad != null) {
                d.mul(gradScale).intoArray(grad, gOff + i);
            }
        }
        for (; i < n; i++) {
            float d = y[yOff + i] - t[tOff + i];
            loss += d * d;
            if (grad != null) {
                grad[gOff + i] = gradScale * d;
            }
        }
        return loss;
    }

    @Override
    public double squaredError(int n, double[] y, int yOff, double[] t, int tOff, double gradScale, double[] grad,
                               int gOff) {
        double loss = 0.0;
        int i = 0;
        for (int bound = D.loopBound(n); i < bound; i += D.length()) {
            DoubleVector d = DoubleVector.fromArray(D, y, yOff + i).sub(DoubleVector.fromArray(D, t, tOff + i));
            loss += d.mul(d).reduceLanes(VectorOperators.ADD);
            if (grad != null) {
                d.mul(gradScale).intoArray(grad, gOff + i);
            }
        }
        for (; i < n; i++) {
            double d = y[yOff + i] - t[tOff + i];
            loss += d * d;
            if (grad != null) {
                grad[gOff + i] = gradScale * d;
            }
        }
        return loss;
    }

    // ---------------------------------------------------------------- optimizer updates

    @Override
    public void adam(int n, float[] p, int pOff, float[] g, int gOff, float[] m, int mOff, float[] v, int vOff,
                     float l2, float decay, float oneMinusBeta1, float beta2, float oneMinusBeta2, float eps,
                     float stepSize, float correction2Sqrt) {
        // One pass over p, g, m and v (a tensor library makes one per operation); ScalarMath.adam's steps in order.
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector pi = FloatVector.fromArray(F, p, pOff + i);
            FloatVector gi = FloatVector.fromArray(F, g, gOff + i).add(pi.mul(l2));
            FloatVector mi = FloatVector.fromArray(F, m, mOff + i);
            mi = mi.add(gi.sub(mi).mul(oneMinusBeta1));
            FloatVector vi = FloatVector.fromArray(F, v, vOff + i).mul(beta2).add(gi.mul(oneMinusBeta2).mul(gi));
            mi.intoArray(m, mOff + i);
            vi.intoArray(v, vOff + i);
            pi.mul(decay).sub(mi.mul(stepSize).div(vi.sqrt().div(correction2Sqrt).add(eps))).intoArray(p, pOff + i);
        }
        ScalarMath.adam(i, n, p, pOff, g, gOff, m, mOff, v, vOff, l2, decay, oneMinusBeta1, beta2, oneMinusBeta2, eps,
                stepSize, correction2Sqrt);
    }

    @Override
    public void adam(int n, double[] p, int pOff, double[] g, int gOff, double[] m, int mOff, double[] v, int vOff,
                     double l2, double decay, double oneMinusBeta1, double beta2, double oneMinusBeta2, double eps,
                     double stepSize, double correction2Sqrt) {
        // One pass over p, g, m and v (a tensor library makes one per operation); ScalarMath.adam's steps in order.
        int i = 0;
        for (int bound = D.loopBound(n); i < bound; i += D.length()) {
            DoubleVector pi = DoubleVector.fromArray(D, p, pOff + i);
            DoubleVector gi = DoubleVector.fromArray(D, g, gOff + i).add(pi.mul(l2));
            DoubleVector mi = DoubleVector.fromArray(D, m, mOff + i);
            mi = mi.add(gi.sub(mi).mul(oneMinusBeta1));
            DoubleVector vi = DoubleVector.fromArray(D, v, vOff + i).mul(beta2).add(gi.mul(oneMinusBeta2).mul(gi));
            mi.intoArray(m, mOff + i);
            vi.intoArray(v, vOff + i);
            pi.mul(decay).sub(mi.mul(stepSize).div(vi.sqrt().div(correction2Sqrt).add(eps))).intoArray(p, pOff + i);
        }
        ScalarMath.adam(i, n, p, pOff, g, gOff, m, mOff, v, vOff, l2, decay, oneMinusBeta1, beta2, oneMinusBeta2, eps,
                stepSize, correction2Sqrt);
    }
}
