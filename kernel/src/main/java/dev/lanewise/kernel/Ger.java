package dev.lanewise.kernel;

import dev.lanewise.kernel.spi.Providers;

/**
 * Rank-1 update (outer product), row-major: {@code A += alpha · x · yᵀ}.
 *
 * <p>A is m × n ({@code a[aOff + r * lda + c]}, {@code lda >= n}); x has m elements, y has n. To get a plain outer
 * product, zero A first. A must not overlap x or y. Arguments are validated before A is written.
 */
public final class Ger {
    private Ger() {
    }

    public static void ger(int m, int n, float alpha, float[] x, int xOff, float[] y, int yOff,
                           float[] a, int aOff, int lda) {
        check(m, n, x, x == null ? 0 : x.length, xOff, y, y == null ? 0 : y.length, yOff, a,
                a == null ? 0 : a.length, aOff, lda);
        Providers.get().ger(m, n, alpha, x, xOff, y, yOff, a, aOff, lda);
    }

    public static void ger(int m, int n, double alpha, double[] x, int xOff, double[] y, int yOff,
                           double[] a, int aOff, int lda) {
        check(m, n, x, x == null ? 0 : x.length, xOff, y, y == null ? 0 : y.length, yOff, a,
                a == null ? 0 : a.length, aOff, lda);
        Providers.get().ger(m, n, alpha, x, xOff, y, yOff, a, aOff, lda);
    }

    private static void check(int m, int n, Object x, int xLength, int xOff, Object y, int yLength, int yOff,
                              Object a, int aLength, int aOff, int lda) {
        Checks.notNull(x, "x");
        Checks.notNull(y, "y");
        Checks.notNull(a, "a");
        Checks.nonNegative(m, "m");
        Checks.nonNegative(n, "n");
        Checks.vector("x", xLength, xOff, m);
        Checks.vector("y", yLength, yOff, n);
        Checks.matrix("a", aLength, aOff, m, n, lda);
    }
}
