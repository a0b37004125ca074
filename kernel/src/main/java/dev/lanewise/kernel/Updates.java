package dev.lanewise.kernel;

import dev.lanewise.kernel.spi.Providers;

/**
 * Optimizer updates fused into one pass over the parameters and their state. Each array is {@code n} contiguous
 * elements from its offset; p, m and v are updated in place and must not overlap one another; g is only read.
 */
public final class Updates {
    private Updates() {
    }

    /**
     * One Adam or AdamW step, element by element, in the arrays' precision (as PyTorch's single-tensor Adam does):
     * <pre>
     * g' = g + l2·p                                  (Adam's L2 penalty; l2 = 0 for none or AdamW)
     * m  = m + (1 − β1)·(g' − m)
     * v  = β2·v + (1 − β2)·g'²
     * p  = decay·p − stepSize·m / (√v / correction2Sqrt + ε)   (decay = 1 − lr·wd for AdamW, else 1)
     * </pre>
     * with the caller's bias corrections for its step t: {@code stepSize = lr / (1 − β1ᵗ)},
     * {@code correction2Sqrt = √(1 − β2ᵗ)}. The complements 1 − β1 and 1 − β2 are arguments so that the caller can
     * round them from double (1 − 0.9f in float is 0.100000024). The vector and scalar implementations give the same
     * bits: the same operations in this order, no fused multiply-add. NaN and ±∞ propagate as IEEE arithmetic says
     * (an infinite g makes v infinite and that step's p NaN; an infinite p gives NaN too, through l2·p = 0·∞ even
     * when l2 = 0).
     *
     * @throws IllegalArgumentException if a range is negative or a hyper-parameter is not finite
     * @throws IndexOutOfBoundsException if a range passes its array's end
     */
    public static void adam(int n, float[] p, int pOff, float[] g, int gOff, float[] m, int mOff, float[] v, int vOff,
                            float l2, float decay, float oneMinusBeta1, float beta2, float oneMinusBeta2, float eps,
                            float stepSize, float correction2Sqrt) {
        checkAdam(n, p, p == null ? 0 : p.length, pOff, g, g == null ? 0 : g.length, gOff, m,
                m == null ? 0 : m.length, mOff, v, v == null ? 0 : v.length, vOff, l2, decay, oneMinusBeta1, beta2,
                oneMinusBeta2, eps, stepSize, correction2Sqrt);
        Providers.get().adam(n, p, pOff, g, gOff, m, mOff, v, vOff, l2, decay, oneMinusBeta1, beta2, oneMinusBeta2,
                eps, stepSize, correction2Sqrt);
    }

    /** {@link #adam(int, float[], int, float[], int, float[], int, float[], int, float, float, float, float, float,
     * float, float, float) adam} in double. */
    public static void adam(int n, double[] p, int pOff, double[] g, int gOff, double[] m, int mOff, double[] v,
                            int vOff, double l2, double decay, double oneMinusBeta1, double beta2,
                            double oneMinusBeta2, double eps, double stepSize, double correction2Sqrt) {
        checkAdam(n, p, p == null ? 0 : p.length, pOff, g, g == null ? 0 : g.length, gOff, m,
                m == null ? 0 : m.length, mOff, v, v == null ? 0 : v.length, vOff, l2, decay, oneMinusBeta1, beta2,
                oneMinusBeta2, eps, stepSize, correction2Sqrt);
        Providers.get().adam(n, p, pOff, g, gOff, m, mOff, v, vOff, l2, decay, oneMinusBeta1, beta2, oneMinusBeta2,
                eps, stepSize, correction2Sqrt);
    }

    private static void checkAdam(int n, Object p, int pLength, int pOff, Object g, int gLength, int gOff, Object m,
                                  int mLength, int mOff, Object v, int vLength, int vOff, double l2, double decay,
                                  double oneMinusBeta1, double beta2, double oneMinusBeta2, double eps,
                                  double stepSize, double correction2Sqrt) {
        Checks.notNull(p, "p");
        Checks.notNull(g, "g");
        Checks.notNull(m, "m");
        Checks.notNull(v, "v");
        Checks.vector("p", pLength, pOff, n);
        Checks.vector("g", gLength, gOff, n);
        Checks.vector("m", mLength, mOff, n);
        Checks.vector("v", vLength, vOff, n);
        Checks.finite(l2, "l2");
        Checks.finite(decay, "decay");
        Checks.finite(oneMinusBeta1, "oneMinusBeta1");
        Checks.finite(beta2, "beta2");
        Checks.finite(oneMinusBeta2, "oneMinusBeta2");
        Checks.finite(eps, "eps");
        Checks.finite(stepSize, "stepSize");
        Checks.finite(correction2Sqrt, "correction2Sqrt");
    }
}
