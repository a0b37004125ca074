package dev.lanewise.kernel;

import dev.lanewise.kernel.spi.Providers;

/**
 * Row and column reductions of a row-major m × n matrix ({@code a[aOff + r * lda + c]}, {@code lda >= n}).
 * {@code columnSums} is the bias gradient of a dense layer (sum of dZ over the batch). With {@code beta != 0} the
 * sums are added to {@code beta ·} the previous output (gradient accumulation); {@code beta == 0} never reads it.
 * Outputs must not overlap A.
 */
public final class Reductions {
    private Reductions() {
    }

    /** out[r] = Σ_c A[r][c] + beta · out[r], r in [0, m). */
    public static void rowSums(int m, int n, float[] a, int aOff, int lda, float beta, float[] out, int outOff) {
        check(m, n, a, a == null ? 0 : a.length, aOff, lda, out, out == null ? 0 : out.length, outOff, m, false);
        Providers.get().rowSums(m, n, a, aOff, lda, beta, out, outOff);
    }

    /** out[r] = Σ_c A[r][c] + beta · out[r], r in [0, m). */
    public static void rowSums(int m, int n, double[] a, int aOff, int lda, double beta, double[] out, int outOff) {
        check(m, n, a, a == null ? 0 : a.length, aOff, lda, out, out == null ? 0 : out.length, outOff, m, false);
        Providers.get().rowSums(m, n, a, aOff, lda, beta, out, outOff);
    }

    /** out[c] = Σ_r A[r][c] + beta · out[c], c in [0, n). */
    public static void columnSums(int m, int n, float[] a, int aOff, int lda, float beta, float[] out, int outOff) {
        check(m, n, a, a == null ? 0 : a.length, aOff, lda, out, out == null ? 0 : out.length, outOff, n, false);
        Providers.get().columnSums(m, n, a, aOff, lda, beta, out, outOff);
    }

    /** out[c] = Σ_r A[r][c] + beta · out[c], c in [0, n). */
    public static void columnSums(int m, int n, double[] a, int aOff, int lda, double beta, double[] out,
                                  int outOff) {
        check(m, n, a, a == null ? 0 : a.length, aOff, lda, out, out == null ? 0 : out.length, outOff, n, false);
        Providers.get().columnSums(m, n, a, aOff, lda, beta, out, outOff);
    }

    /** out[r] = max of row r (NaN if the row holds one). Needs n ≥ 1 when m ≥ 1. */
    public static void rowMax(int m, int n, float[] a, int aOff, int lda, float[] out, int outOff) {
        check(m, n, a, a == null ? 0 : a.length, aOff, lda, out, out == null ? 0 : out.length, outOff, m, true);
        Providers.get().rowMax(m, n, a, aOff, lda, out, outOff);
    }

    /** out[r] = max of row r (NaN if the row holds one). Needs n ≥ 1 when m ≥ 1. */
    public static void rowMax(int m, int n, double[] a, int aOff, int lda, double[] out, int outOff) {
        check(m, n, a, a == null ? 0 : a.length, aOff, lda, out, out == null ? 0 : out.length, outOff, m, true);
        Providers.get().rowMax(m, n, a, aOff, lda, out, outOff);
    }

    /** out[r] = first column of row r's maximum, or of its first NaN. Needs n ≥ 1 when m ≥ 1. */
    public static void rowArgmax(int m, int n, float[] a, int aOff, int lda, int[] out, int outOff) {
        check(m, n, a, a == null ? 0 : a.length, aOff, lda, out, out == null ? 0 : out.length, outOff, m, true);
        Providers.get().rowArgmax(m, n, a, aOff, lda, out, outOff);
    }

    /** out[r] = first column of row r's maximum, or of its first NaN. Needs n ≥ 1 when m ≥ 1. */
    public static void rowArgmax(int m, int n, double[] a, int aOff, int lda, int[] out, int outOff) {
        check(m, n, a, a == null ? 0 : a.length, aOff, lda, out, out == null ? 0 : out.length, outOff, m, true);
        Providers.get().rowArgmax(m, n, a, aOff, lda, out, outOff);
    }

    private static void check(int m, int n, Object a, int aLength, int aOff, int lda, Object out, int outLength,
                              int outOff, int outCount, boolean needsColumns) {
        Checks.notNull(a, "a");
        Checks.notNull(out, "out");
        Checks.matrix("a", aLength, aOff, m, n, lda);
        if (needsColumns && m > 0 && n == 0) {
            throw new IllegalArgumentException("n must be >= 1 to take the maximum of a row, got 0");
        }
        Checks.vector("out", outLength, outOff, outCount);
    }
}
