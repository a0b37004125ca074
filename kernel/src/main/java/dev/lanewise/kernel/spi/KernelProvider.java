package dev.lanewise.kernel.spi;

import dev.lanewise.kernel.Activation;

/**
 * The kernels every implementation provides, in float and double. Implementations trust their arguments: the public
 * facades in {@code dev.lanewise.kernel} validate shapes, offsets and leading dimensions before calling here.
 *
 * <p>Matrices are row-major views: element (r, c) of a matrix with offset {@code off} and leading dimension
 * {@code ld} is {@code array[off + r * ld + c]}. Vectors are contiguous from their offset.
 *
 * <p>Two implementations exist: {@code ScalarProvider} (plain loops; the reference twin of every kernel) and
 * {@code VectorProvider} (the Vector API). {@link Providers#get()} picks one once per JVM.
 */
public interface KernelProvider {

    /** Short name: {@code "scalar"} or {@code "vector"}. */
    String name();

    /** One line on what this provider runs with, e.g. the vector species. */
    String description();

    // ---- GEMM: C = alpha * op(A) * op(B) + beta * C; op(A) is m x k, op(B) is k x n, C is m x n.
    // beta == 0 never reads C; alpha == 0 or k == 0 never reads A or B.

    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
              float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc);

    void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int aOff, int lda,
              double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc);

    // ---- Fused GEMM epilogue: Z = alpha * op(A) * op(B) + beta * C + 1 * biasᵀ (bias[biasOff + j] added to column
    // j of every row; bias == null: none); if pre != null, pre (m x n, ldPre) = Z; then C = f(Z) (param: leaky ReLU
    // slope). Shapes and the beta == 0 / alpha == 0 rules as for gemm.

    void gemmFused(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                   float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc, float[] bias, int biasOff,
                   Activation.Function f, float param, float[] pre, int preOff, int ldPre);

    void gemmFused(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int aOff, int lda,
                   double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc, double[] bias,
                   int biasOff, Activation.Function f, double param, double[] pre, int preOff, int ldPre);

    // ---- GEMV: y = alpha * op(A) * x + beta * y; A is stored m x n; op(A) is m x n or n x m (transA).
    // beta == 0 never reads y.

    void gemv(boolean transA, int m, int n, float alpha, float[] a, int aOff, int lda, float[] x, int xOff,
              float beta, float[] y, int yOff);

    void gemv(boolean transA, int m, int n, double alpha, double[] a, int aOff, int lda, double[] x, int xOff,
              double beta, double[] y, int yOff);

    // ---- GER: A += alpha * x * yᵀ; A is m x n, x has m elements, y has n.

    void ger(int m, int n, float alpha, float[] x, int xOff, float[] y, int yOff, float[] a, int aOff, int lda);

    void ger(int m, int n, double alpha, double[] x, int xOff, double[] y, int yOff, double[] a, int aOff, int lda);

    // ---- Level 1.

    /** y += alpha * x. */
    void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff);

    void axpy(int n, double alpha, double[] x, int xOff, double[] y, int yOff);

    /** x *= alpha. */
    void scal(int n, float alpha, float[] x, int xOff);

    void scal(int n, double alpha, double[] x, int xOff);

    /** Σ x[i]·y[i]. */
    float dot(int n, float[] x, int xOff, float[] y, int yOff);

    double dot(int n, double[] x, int xOff, double[] y, int yOff);

    // ---- Reductions over an m x n matrix. beta == 0 never reads the output.

    /** out[r] = Σ_c A[r][c] + beta * out[r]. */
    void rowSums(int m, int n, float[] a, int aOff, int lda, float beta, float[] out, int outOff);

    void rowSums(int m, int n, double[] a, int aOff, int lda, double beta, double[] out, int outOff);

    /** out[c] = Σ_r A[r][c] + beta * out[c]: the bias gradient of a dense layer. */
    void columnSums(int m, int n, float[] a, int aOff, int lda, float beta, float[] out, int outOff);

    void columnSums(int m, int n, double[] a, int aOff, int lda, double beta, double[] out, int outOff);

    /** out[r] = max_c A[r][c] (n &gt;= 1); NaN if the row holds a NaN. */
    void rowMax(int m, int n, float[] a, int aOff, int lda, float[] out, int outOff);

    void rowMax(int m, int n, double[] a, int aOff, int lda, double[] out, int outOff);

    /** out[r] = the smallest c with A[r][c] = max of row r (n &gt;= 1); the index of the first NaN if any. */
    void rowArgmax(int m, int n, float[] a, int aOff, int lda, int[] out, int outOff);

    void rowArgmax(int m, int n, double[] a, int aOff, int lda, int[] out, int outOff);

    // ---- Activations (param: leaky ReLU slope, unused otherwise).

    void activationForward(Activation.Function f, float param, int n, float[] z, int zOff, float[] y, int yOff);

    void activationForward(Activation.Function f, double param, int n, double[] z, int zOff, double[] y, int yOff);

    /** dz = dy ⊙ f′, with f′ computed from {@code operand} (z or y, see {@link Activation#backwardOperand()}). */
    void activationBackward(Activation.Function f, float param, int n, float[] operand, int operandOff,
                            float[] dy, int dyOff, float[] dz, int dzOff);

    void activationBackward(Activation.Function f, double param, int n, double[] operand, int operandOff,
                            double[] dy, int dyOff, double[] dz, int dzOff);

    /**
     * The activation backward pass of a dense layer fused with its bias gradient, in one pass over memory: over a
     * contiguous m x n batch (row-major, ld = n), dz = dy ⊙ f′ and biasGrad[c] = Σ_r dz[r][c] + beta·biasGrad[c]
     * (beta == 0 never reads biasGrad).
     */
    void activationBackwardBiasGradient(Activation.Function f, float param, int m, int n, float[] operand,
                                        int operandOff, float[] dy, int dyOff, float[] dz, int dzOff, float beta,
                                        float[] biasGrad, int biasOff);

    void activationBackwardBiasGradient(Activation.Function f, double param, int m, int n, double[] operand,
                                        int operandOff, double[] dy, int dyOff, double[] dz, int dzOff, double beta,
                                        double[] biasGrad, int biasOff);

    // ---- Softmax, row-wise over an m x n matrix (n >= 1), max-subtracted.

    void softmax(int m, int n, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy);

    void softmax(int m, int n, double[] x, int xOff, int ldx, double[] y, int yOff, int ldy);

    void logSoftmax(int m, int n, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy);

    void logSoftmax(int m, int n, double[] x, int xOff, int ldx, double[] y, int yOff, int ldy);

    // ---- Fused losses. Each returns the un-normalised sum of per-element (or per-row) losses, in double, and if
    // grad != null writes gradScale * dLoss/dInput (the caller's reduction, e.g. 1/B, is folded into gradScale).

    /** Σ_r −log softmax(z_r)[label_r]; grad = gradScale · (softmax(z) − onehot(label)). */
    double softmaxCrossEntropy(int m, int n, float[] z, int zOff, int ldz, int[] labels, int labelsOff,
                               float gradScale, float[] grad, int gOff, int ldg);

    double softmaxCrossEntropy(int m, int n, double[] z, int zOff, int ldz, int[] labels, int labelsOff,
                               double gradScale, double[] grad, int gOff, int ldg);

    /** Σ_r Σ_c −t[r][c]·log softmax(z_r)[c]; grad = gradScale · (softmax(z)·Σ_c t[r][c] − t). */
    double softmaxCrossEntropy(int m, int n, float[] z, int zOff, int ldz, float[] t, int tOff, int ldt,
                               float gradScale, float[] grad, int gOff, int ldg);

    double softmaxCrossEntropy(int m, int n, double[] z, int zOff, int ldz, double[] t, int tOff, int ldt,
                               double gradScale, double[] grad, int gOff, int ldg);

    /** Σ max(z,0) − z·t + log1p(e^−|z|); grad = gradScale · (sigmoid(z) − t). */
    double binaryCrossEntropyWithLogits(int n, float[] z, int zOff, float[] t, int tOff, float gradScale,
                                        float[] grad, int gOff);

    double binaryCrossEntropyWithLogits(int n, double[] z, int zOff, double[] t, int tOff, double gradScale,
                                        double[] grad, int gOff);

    /** Σ (y − t)²; grad = gradScale · (y − t). */
    double squaredError(int n, float[] y, int yOff, float[] t, int tOff, float gradScale, float[] grad, int gOff);

    double squaredError(int n, double[] y, int yOff, double[] t, int tOff, double gradScale, double[] grad,
                        int gOff);

    // ---- Optimizer updates (the formula: dev.lanewise.kernel.Updates).

    /** One Adam / AdamW step over n parameters p with gradient g and moments m, v, in place (g is only read). */
    void adam(int n, float[] p, int pOff, float[] g, int gOff, float[] m, int mOff, float[] v, int vOff, float l2,
              float decay, float oneMinusBeta1, float beta2, float oneMinusBeta2, float eps, float stepSize,
              float correction2Sqrt);

    void adam(int n, double[] p, int pOff, double[] g, int gOff, double[] m, int mOff, double[] v, int vOff,
              double l2, double decay, double oneMinusBeta1, double beta2, double oneMinusBeta2, double eps,
              double stepSize, double correction2Sqrt);
}
