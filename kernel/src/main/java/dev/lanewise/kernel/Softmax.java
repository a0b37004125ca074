package dev.lanewise.kernel;

import dev.lanewise.kernel.spi.Providers;

/**
 * Row-wise softmax and log-softmax of an m × n row-major matrix, in max-subtracted (log-sum-exp) form, so logits
 * as large as ±1e30 (float) are fine and −∞ entries get probability 0.
 *
 * <p>Special rows: a row holding NaN gives NaN throughout; a row that is all −∞, or holds +∞, gives NaN (there is no
 * meaningful distribution), as in PyTorch. y may be x itself with the same offset and ld (in place); other overlaps
 * are unspecified. Arguments are validated before y is written.
 */
public final class Softmax {
    private Softmax() {
    }

    public static void softmax(int m, int n, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy) {
        check(m, n, x, x == null ? 0 : x.length, xOff, ldx, y, y == null ? 0 : y.length, yOff, ldy);
        Providers.get().softmax(m, n, x, xOff, ldx, y, yOff, ldy);
    }

    public static void softmax(int m, int n, double[] x, int xOff, int ldx, double[] y, int yOff, int ldy) {
        check(m, n, x, x == null ? 0 : x.length, xOff, ldx, y, y == null ? 0 : y.length, yOff, ldy);
        Providers.get().softmax(m, n, x, xOff, ldx, y, yOff, ldy);
    }

    public static void logSoftmax(int m, int n, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy) {
        check(m, n, x, x == null ? 0 : x.length, xOff, ldx, y, y == null ? 0 : y.length, yOff, ldy);
        Providers.get().logSoftmax(m, n, x, xOff, ldx, y, yOff, ldy);
    }

    public static void logSoftmax(int m, int n, double[] x, int xOff, int ldx, double[] y, int yOff, int ldy) {
        check(m, n, x, x == null ? 0 : x.length, xOff, ldx, y, y == null ? 0 : y.length, yOff, ldy);
        Providers.get().logSoftmax(m, n, x, xOff, ldx, y, yOff, ldy);
    }

    private static void check(int m, int n, Object x, int xLength, int xOff, int ldx, Object y, int yLength,
                              int yOff, int ldy) {
        Checks.notNull(x, "x");
        Checks.notNull(y, "y");
        Checks.matrix("x", xLength, xOff, m, n, ldx);
        Checks.matrix("y", yLength, yOff, m, n, ldy);
    }
}
