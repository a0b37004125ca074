package dev.lanewise.kernel;

import dev.lanewise.kernel.spi.Providers;

/**
 * Fused loss kernels: each computes the loss and, in the same pass, its gradient with respect to its input.
 *
 * <p>Every kernel returns the <em>sum</em> of the per-row (softmax) or per-element losses, accumulated in double;
 * the caller picks the reduction. If {@code grad} is non-null it receives {@code gradScale · ∂(sum)/∂input}, so a
 * mean over B rows passes {@code gradScale = 1/B}. {@code grad} may be the input array itself (same offset and ld).
 *
 * <p>Extreme values: finite inputs never give NaN (a logit of 1e30 away from the label gives a large finite loss);
 * NaN inputs give NaN. Arguments, including every label, are validated before the gradient is written.
 */
public final class Losses {
    private Losses() {
    }

    /**
     * Softmax cross-entropy from integer labels: Σ_r −log softmax(z_r)[label_r] over an m × n logit matrix;
     * grad = gradScale · (softmax(z) − onehot(label)). Labels must lie in [0, n).
     */
    public static double softmaxCrossEntropy(int m, int n, float[] z, int zOff, int ldz, int[] labels, int labelsOff,
                                             float gradScale, float[] grad, int gOff, int ldg) {
        checkSoftmax(m, n, z, z == null ? 0 : z.length, zOff, ldz, grad, grad == null ? 0 : grad.length, gOff, ldg);
        checkLabels(m, n, labels, labelsOff);
        return Providers.get().softmaxCrossEntropy(m, n, z, zOff, ldz, labels, labelsOff, gradScale, grad, gOff, ldg);
    }

    /** Double twin of the float label version. */
    public static double softmaxCrossEntropy(int m, int n, double[] z, int zOff, int ldz, int[] labels,
                                             int labelsOff, double gradScale, double[] grad, int gOff, int ldg) {
        checkSoftmax(m, n, z, z == null ? 0 : z.length, zOff, ldz, grad, grad == null ? 0 : grad.length, gOff, ldg);
        checkLabels(m, n, labels, labelsOff);
        return Providers.get().softmaxCrossEntropy(m, n, z, zOff, ldz, labels, labelsOff, gradScale, grad, gOff, ldg);
    }

    /**
     * Softmax cross-entropy from target distributions t (m × n, e.g. one-hot or smoothed):
     * Σ_r Σ_c −t[r][c] · log softmax(z_r)[c]; grad = gradScale · (softmax(z_r) · Σ_c t[r][c] − t_r).
     * Terms with t = 0 contribute 0 even where z = −∞.
     */
    public static double softmaxCrossEntropy(int m, int n, float[] z, int zOff, int ldz, float[] t, int tOff, int ldt,
                                             float gradScale, float[] grad, int gOff, int ldg) {
        checkSoftmax(m, n, z, z == null ? 0 : z.length, zOff, ldz, grad, grad == null ? 0 : grad.length, gOff, ldg);
        Checks.notNull(t, "t");
        Checks.matrix("t", t.length, tOff, m, n, ldt);
        return Providers.get().softmaxCrossEntropy(m, n, z, zOff, ldz, t, tOff, ldt, gradScale, grad, gOff, ldg);
    }

    /** Double twin of the float target version. */
    public static double softmaxCrossEntropy(int m, int n, double[] z, int zOff, int ldz, double[] t, int tOff,
                                             int ldt, double gradScale, double[] grad, int gOff, int ldg) {
        checkSoftmax(m, n, z, z == null ? 0 : z.length, zOff, ldz, grad, grad == null ? 0 : grad.length, gOff, ldg);
        Checks.notNull(t, "t");
        Checks.matrix("t", t.length, tOff, m, n, ldt);
        return Providers.get().softmaxCrossEntropy(m, n, z, zOff, ldz, t, tOff, ldt, gradScale, grad, gOff, ldg);
    }

    /**
     * Binary cross-entropy from logits over n elements, in the stable form
     * Σ max(z,0) − z·t + log1p(e^−|z|); grad = gradScale · (sigmoid(z) − t).
     */
    public static double binaryCrossEntropyWithLogits(int n, float[] z, int zOff, float[] t, int tOff,
                                                      float gradScale, float[] grad, int gOff) {
        checkElementwise(n, z, z == null ? 0 : z.length, zOff, "z", t, t == null ? 0 : t.length, tOff, grad,
                grad == null ? 0 : grad.length, gOff);
        return Providers.get().binaryCrossEntropyWithLogits(n, z, zOff, t, tOff, gradScale, grad, gOff);
    }

    /** Double twin of the float version. */
    public static double binaryCrossEntropyWithLogits(int n, double[] z, int zOff, double[] t, int tOff,
                                                      double gradScale, double[] grad, int gOff) {
        checkElementwise(n, z, z == null ? 0 : z.length, zOff, "z", t, t == null ? 0 : t.length, tOff, grad,
                grad == null ? 0 : grad.length, gOff);
        return Providers.get().binaryCrossEntropyWithLogits(n, z, zOff, t, tOff, gradScale, grad, gOff);
    }

    /** Squared error Σ (y − t)² over n elements; grad = gradScale · (y − t) (so ½·MSE passes gradScale = 1/N). */
    public static double squaredError(int n, float[] y, int yOff, float[] t, int tOff, float gradScale, float[] grad,
                                      int gOff) {
        checkElementwise(n, y, y == null ? 0 : y.length, yOff, "y", t, t == null ? 0 : t.length, tOff, grad,
                grad == null ? 0 : grad.length, gOff);
        return Providers.get().squaredError(n, y, yOff, t, tOff, gradScale, grad, gOff);
    }

    /** Double twin of the float version. */
    public static double squaredError(int n, double[] y, int yOff, double[] t, int tOff, double gradScale,
                                      double[] grad, int gOff) {
        checkElementwise(n, y, y == null ? 0 : y.length, yOff, "y", t, t == null ? 0 : t.length, tOff, grad,
                grad == null ? 0 : grad.length, gOff);
        return Providers.get().squaredError(n, y, yOff, t, tOff, gradScale, grad, gOff);
    }

    private static void checkSoftmax(int m, int n, Object z, int zLength, int zOff, int ldz, Object grad,
                                     int gLength, int gOff, int ldg) {
        Checks.notNull(z, "z");
        Checks.matrix("z", zLength, zOff, m, n, ldz);
        if (grad != null) {
            Checks.matrix("grad", gLength, gOff, m, n, ldg);
        }
    }

    private static void checkLabels(int m, int n, int[] labels, int labelsOff) {
        Checks.notNull(labels, "labels");
        Checks.vector("labels", labels.length, labelsOff, m);
        for (int r = 0; r < m; r++) {
            int label = labels[labelsOff + r];
            if (label < 0 || label >= n) {
                throw new IllegalArgumentException(
                        "labels[" + (labelsOff + r) + "] = " + label + " is outside [0, " + n + ")");
            }
        }
    }

    private static void checkElementwise(int n, Object x, int xLength, int xOff, String xName, Object t, int tLength,
                                         int tOff, Object grad, int gLength, int gOff) {
        Checks.notNull(x, xName);
        Checks.notNull(t, "t");
        Checks.vector(xName, xLength, xOff, n);
        Checks.vector("t", tLength, tOff, n);
        if (grad != null) {
            Checks.vector("grad", gLength, gOff, n);
        }
    }
}
