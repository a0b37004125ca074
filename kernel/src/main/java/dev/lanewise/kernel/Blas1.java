package dev.lanewise.kernel;

import dev.lanewise.kernel.spi.Providers;

/**
 * Vector kernels on contiguous ranges: {@code axpy}, {@code scal}, {@code dot}. Each vector is {@code n} elements
 * from its offset. For {@code axpy}, y must not partially overlap x (the same range is fine).
 */
public final class Blas1 {
    private Blas1() {
    }

    /** y += alpha · x. */
    public static void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        twoVectors(n, x, x == null ? 0 : x.length, xOff, y, y == null ? 0 : y.length, yOff);
        Providers.get().axpy(n, alpha, x, xOff, y, yOff);
    }

    /** y += alpha · x. */
    public static void axpy(int n, double alpha, double[] x, int xOff, double[] y, int yOff) {
        twoVectors(n, x, x == null ? 0 : x.length, xOff, y, y == null ? 0 : y.length, yOff);
        Providers.get().axpy(n, alpha, x, xOff, y, yOff);
    }

    /** x *= alpha. */
    public static void scal(int n, float alpha, float[] x, int xOff) {
        Checks.notNull(x, "x");
        Checks.vector("x", x.length, xOff, n);
        Providers.get().scal(n, alpha, x, xOff);
    }

    /** x *= alpha. */
    public static void scal(int n, double alpha, double[] x, int xOff) {
        Checks.notNull(x, "x");
        Checks.vector("x", x.length, xOff, n);
        Providers.get().scal(n, alpha, x, xOff);
    }

    /** Σ x[i] · y[i], accumulated in float (lane-wise partial sums, so the order differs from a plain loop). */
    public static float dot(int n, float[] x, int xOff, float[] y, int yOff) {
        twoVectors(n, x, x == null ? 0 : x.length, xOff, y, y == null ? 0 : y.length, yOff);
        return Providers.get().dot(n, x, xOff, y, yOff);
    }

    /** Σ x[i] · y[i]. */
    public static double dot(int n, double[] x, int xOff, double[] y, int yOff) {
        twoVectors(n, x, x == null ? 0 : x.length, xOff, y, y == null ? 0 : y.length, yOff);
        return Providers.get().dot(n, x, xOff, y, yOff);
    }

    private static void twoVectors(int n, Object x, int xLength, int xOff, Object y, int yLength, int yOff) {
        Checks.notNull(x, "x");
        Checks.notNull(y, "y");
        Checks.vector("x", xLength, xOff, n);
        Checks.vector("y", yLength, yOff, n);
    }
}
