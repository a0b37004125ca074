package dev.lanewise.kernel;

import dev.lanewise.kernel.spi.Providers;

/**
 * Matrix-vector multiply, row-major: {@code y = alpha · op(A) · x + beta · y}.
 *
 * <p>A is stored m × n ({@code a[aOff + r * lda + c]}, {@code lda >= n}). With {@link Transpose#NONE}, x has n
 * elements and y has m; with {@link Transpose#TRANSPOSE} (y = alpha · Aᵀ · x + beta · y), x has m and y has n.
 * Vectors are contiguous from their offsets. {@code beta == 0} never reads y; {@code alpha == 0} never reads A or x.
 * y must not overlap A or x. Arguments are validated before y is written (see {@link Gemm} for the exceptions).
 */
public final class Gemv {
    private Gemv() {
    }

    public static void gemv(Transpose transA, int m, int n, float alpha, float[] a, int aOff, int lda,
                            float[] x, int xOff, float beta, float[] y, int yOff) {
        check(transA, m, n, a, a == null ? 0 : a.length, aOff, lda, x, x == null ? 0 : x.length, xOff,
                y, y == null ? 0 : y.length, yOff);
        Providers.get().gemv(transA.isTransposed(), m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
    }

    public static void gemv(Transpose transA, int m, int n, double alpha, double[] a, int aOff, int lda,
                            double[] x, int xOff, double beta, double[] y, int yOff) {
        check(transA, m, n, a, a == null ? 0 : a.length, aOff, lda, x, x == null ? 0 : x.length, xOff,
                y, y == null ? 0 : y.length, yOff);
        Providers.get().gemv(transA.isTransposed(), m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
    }

    private static void check(Transpose transA, int m, int n, Object a, int aLength, int aOff, int lda,
                              Object x, int xLength, int xOff, Object y, int yLength, int yOff) {
        Checks.notNull(transA, "transA");
        Checks.notNull(a, "a");
        Checks.notNull(x, "x");
        Checks.notNull(y, "y");
        Checks.nonNegative(m, "m");
        Checks.nonNegative(n, "n");
        Checks.matrix("a", aLength, aOff, m, n, lda);
        boolean t = transA.isTransposed();
        Checks.vector("x", xLength, xOff, t ? m : n);
        Checks.vector("y", yLength, yOff, t ? n : m);
    }
}
