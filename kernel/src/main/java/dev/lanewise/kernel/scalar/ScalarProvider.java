package dev.lanewise.kernel.scalar;

import dev.lanewise.kernel.Activation;
import dev.lanewise.kernel.spi.KernelProvider;

/**
 * The reference implementation: plain loops, no Vector API. Every kernel of the vector provider has its twin here
 * with the same signature, and the tests run the two against each other.
 *
 * <p>Float kernels accumulate in float (as a plain BLAS loop would), except the transcendental activations,
 * softmax and losses, which evaluate in double and round once: they are the accuracy reference.
 */
public final class ScalarProvider implements KernelProvider {

    public static final ScalarProvider INSTANCE = new ScalarProvider();

    public ScalarProvider() {
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public String description() {
        return "plain Java loops";
    }

    // ---------------------------------------------------------------- GEMM

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        int aRow = transA ? 1 : lda, aCol = transA ? lda : 1;
        int bRow = transB ? 1 : ldb, bCol = transB ? ldb : 1;
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
                c[ci + j] = beta == 0 ? 0f : beta * c[ci + j];
            }
            if (alpha == 0) {
                continue;
            }
            if (!transB) {
                // i-p-j order: the inner loop runs along a row of B and C.
                for (int p = 0; p < k; p++) {
                    float aip = alpha * a[aOff + i * aRow + p * aCol];
                    int bp = bOff + p * bRow;
                    for (int j = 0; j < n; j++) {
                        c[ci + j] += aip * b[bp + j];
                    }
                }
            } else {
                for (int j = 0; j < n; j++) {
                    float sum = 0f;
                    for (int p = 0; p < k; p++) {
                        sum += a[aOff + i * aRow + p * aCol] * b[bOff + p * bRow + j * bCol];
                    }
                    c[ci + j] += alpha * sum;
                }
            }
        }
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int aOff, int lda,
                     double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
        int aRow = transA ? 1 : lda, aCol = transA ? lda : 1;
        int bRow = transB ? 1 : ldb, bCol = transB ? ldb : 1;
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
                c[ci + j] = beta == 0 ? 0.0 : beta * c[ci + j];
            }
            if (alpha == 0) {
                continue;
            }
            if (!transB) {
                for (int p = 0; p < k; p++) {
                    double aip = alpha * a[aOff + i * aRow + p * aCol];
                    int bp = bOff + p * bRow;
                    for (int j = 0; j < n; j++) {
                        c[ci + j] += aip * b[bp + j];
                    }
                }
            } else {
                for (int j = 0; j < n; j++) {
                    double sum = 0.0;
                    for (int p = 0; p < k; p++) {
                        sum += a[aOff + i * aRow + p * aCol] * b[bOff + p * bRow + j * bCol];
                    }
                    c[ci + j] += alpha * sum;
                }
            }
        }
    }

    /** Reference: plain GEMM, then bias, pre-activation copy and activation per element. */
    @Override
    public void gemmFused(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff,
                          int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc, float[] bias,
                          int biasOff, Activation.Function f, float param, float[] pre, int preOff, int ldPre) {
        gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int ci = cOff + i * ldc + j;
                float z = bias == null ? c[ci] : c[ci] + bias[biasOff + j];
                if (pre != null) {
                    pre[preOff + i * ldPre + j] = z;
                }
                c[ci] = f == null ? z : (float) ScalarMath.forward(f, param, z);
            }
        }
    }

    /** Reference: plain GEMM, then bias, pre-activation copy and activation per element. */
    @Override
    public void gemmFused(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int aOff,
                          int lda, double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc,
                          double[] bias, int biasOff, Activation.Function f, double param, double[] pre, int preOff,
                          int ldPre) {
        gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int ci = cOff + i * ldc + j;
                double z = bias == null ? c[ci] : c[ci] + bias[biasOff + j];
                if (pre != null) {
                    pre[preOff + i * ldPre + j] = z;
                }
                c[ci] = f == null ? z : ScalarMath.forward(f, param, z);
            }
        }
    }

    // ---------------------------------------------------------------- GEMV, GER

    @Override
    public void gemv(boolean transA, int m, int n, float alpha, float[] a, int aOff, int lda, float[] x, int xOff,
                     float beta, float[] y, int yOff) {
        int rows = transA ? n : m;
        for (int i = 0; i < rows; i++) {
            y[yOff + i] = beta == 0 ? 0f : beta * y[yOff + i];
        }
        if (alpha == 0) {
            return;
        }
        if (!transA) {
            for (int i = 0; i < m; i++) {
                y[yOff + i] += alpha * dot(n, a, aOff + i * lda, x, xOff);
            }
        } else {
            for (int i = 0; i < m; i++) {
                axpy(n, alpha * x[xOff + i], a, aOff + i * lda, y, yOff);
            }
        }
    }

    @Override
    public void gemv(boolean transA, int m, int n, double alpha, double[] a, int aOff, int lda, double[] x, int xOff,
                     double beta, double[] y, int yOff) {
        int rows = transA ? n : m;
        for (int i = 0; i < rows; i++) {
            y[yOff + i] = beta == 0 ? 0.0 : beta * y[yOff + i];
        }
        if (alpha == 0) {
            return;
        }
        if (!transA) {
            for (int i = 0; i < m; i++) {
                y[yOff + i] += alpha * dot(n, a, aOff + i * lda, x, xOff);
            }
        } else {
            for (int i = 0; i < m; i++) {
                axpy(n, alpha * x[xOff + i], a, aOff + i * lda, y, yOff);
            }
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

    @Override
    public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    @Override
    public void axpy(int n, double alpha, double[] x, int xOff, double[] y, int yOff) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    @Override
    public void scal(int n, float alpha, float[] x, int xOff) {
        for (int i = 0; i < n; i++) {
            x[xOff + i] *= alpha;
        }
    }

    @Override
    public void scal(int n, double alpha, double[] x, int xOff) {
        for (int i = 0; i < n; i++) {
            x[xOff + i] *= alpha;
        }
    }

    @Override
    public float dot(int n, float[] x, int xOff, float[] y, int yOff) {
        float sum = 0f;
        for (int i = 0; i < n; i++) {
            sum += x[xOff + i] * y[yOff + i];
        }
        return sum;
    }

    @Override
    public double dot(int n, double[] x, int xOff, double[] y, int yOff) {
        double sum = 0.0;
        for (int i = 0; i < n; i++) {
            sum += x[xOff + i] * y[yOff + i];
        }
        return sum;
    }

    // ---------------------------------------------------------------- reductions

    @Override
    public void rowSums(int m, int n, float[] a, int aOff, int lda, float beta, float[] out, int outOff) {
        for (int r = 0; r < m; r++) {
            float sum = 0f;
            for (int c = 0; c < n; c++) {
                sum += a[aOff + r * lda + c];
            }
            out[outOff + r] = beta == 0 ? sum : sum + beta * out[outOff + r];
        }
    }

    @Override
    public void rowSums(int m, int n, double[] a, int aOff, int lda, double beta, double[] out, int outOff) {
        for (int r = 0; r < m; r++) {
            double sum = 0.0;
            for (int c = 0; c < n; c++) {
                sum += a[aOff + r * lda + c];
            }
            out[outOff + r] = beta == 0 ? sum : sum + beta * out[outOff + r];
        }
    }

    @Override
    public void columnSums(int m, int n, float[] a, int aOff, int lda, float beta, float[] out, int outOff) {
        for (int c = 0; c < n; c++) {
            out[outOff + c] = beta == 0 ? 0f : beta * out[outOff + c];
        }
        for (int r = 0; r < m; r++) {
            axpy(n, 1f, a, aOff + r * lda, out, outOff);
        }
    }

    @Override
    public void columnSums(int m, int n, double[] a, int aOff, int lda, double beta, double[] out, int outOff) {
        for (int c = 0; c < n; c++) {
            out[outOff + c] = beta == 0 ? 0.0 : beta * out[outOff + c];
        }
        for (int r = 0; r < m; r++) {
            axpy(n, 1.0, a, aOff + r * lda, out, outOff);
        }
    }

    @Override
    public void rowMax(int m, int n, float[] a, int aOff, int lda, float[] out, int outOff) {
        for (int r = 0; r < m; r++) {
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < n; c++) {
                max = Math.max(max, a[aOff + r * lda + c]);
            }
            out[outOff + r] = max;
        }
    }

    @Override
    public void rowMax(int m, int n, double[] a, int aOff, int lda, double[] out, int outOff) {
        for (int r = 0; r < m; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < n; c++) {
                max = Math.max(max, a[aOff + r * lda + c]);
            }
            out[outOff + r] = max;
        }
    }

    @Override
    public void rowArgmax(int m, int n, float[] a, int aOff, int lda, int[] out, int outOff) {
        for (int r = 0; r < m; r++) {
            int row = aOff + r * lda;
            int best = 0;
            float max = a[row];
            for (int c = 1; c < n && max == max; c++) {
                float v = a[row + c];
                if (v > max || v != v) {
                    max = v;
                    best = c;
                }
            }
            out[outOff + r] = best;
        }
    }

    @Override
    public void rowArgmax(int m, int n, double[] a, int aOff, int lda, int[] out, int outOff) {
        for (int r = 0; r < m; r++) {
            int row = aOff + r * lda;
            int best = 0;
            double max = a[row];
            for (int c = 1; c < n && max == max; c++) {
                double v = a[row + c];
                if (v > max || v != v) {
                    max = v;
                    best = c;
                }
            }
            out[outOff + r] = best;
        }
    }

    // ---------------------------------------------------------------- activations

    @Override
    public void activationForward(Activation.Function f, float param, int n, float[] z, int zOff, float[] y,
                                  int yOff) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = (float) ScalarMath.forward(f, param, z[zOff + i]);
        }
    }

    @Override
    public void activationForward(Activation.Function f, double param, int n, double[] z, int zOff, double[] y,
                                  int yOff) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = ScalarMath.forward(f, param, z[zOff + i]);
        }
    }

    @Override
    public void activationBackward(Activation.Function f, float param, int n, float[] operand, int operandOff,
                                   float[] dy, int dyOff, float[] dz, int dzOff) {
        for (int i = 0; i < n; i++) {
            dz[dzOff + i] = (float) ScalarMath.backward(f, param, operand[operandOff + i], dy[dyOff + i]);
        }
    }

    @Override
    public void activationBackward(Activation.Function f, double param, int n, double[] operand, int operandOff,
                                   double[] dy, int dyOff, double[] dz, int dzOff) {
        for (int i = 0; i < n; i++) {
            dz[dzOff + i] = ScalarMath.backward(f, param, operand[operandOff + i], dy[dyOff + i]);
        }
    }

    @Override
    public void activationBackwardBiasGradient(Activation.Function f, float param, int m, int n, float[] operand,
                                               int operandOff, float[] dy, int dyOff, float[] dz, int dzOff,
                                               float beta, float[] biasGrad, int biasOff) {
        for (int c = 0; c < n; c++) {
            biasGrad[biasOff + c] = beta == 0 ? 0f : beta * biasGrad[biasOff + c];
        }
        for (int r = 0; r < m; r++) {
            int row = r * n;
            for (int c = 0; c < n; c++) {
                float d = (float) ScalarMath.backward(f, param, operand[operandOff + row + c], dy[dyOff + row + c]);
                dz[dzOff + row + c] = d;
                biasGrad[biasOff + c] += d;
            }
        }
    }

    @Override
    public void activationBackwardBiasGradient(Activation.Function f, double param, int m, int n, double[] operand,
                                               int operandOff, double[] dy, int dyOff, double[] dz, int dzOff,
                                               double beta, double[] biasGrad, int biasOff) {
        for (int c = 0; c < n; c++) {
            biasGrad[biasOff + c] = beta == 0 ? 0.0 : beta * biasGrad[biasOff + c];
        }
        for (int r = 0; r < m; r++) {
            int row = r * n;
            for (int c = 0; c < n; c++) {
                double d = ScalarMath.backward(f, param, operand[operandOff + row + c], dy[dyOff + row + c]);
                dz[dzOff + row + c] = d;
                biasGrad[biasOff + c] += d;
            }
        }
    }

    // ---------------------------------------------------------------- softmax (double arithmetic, rounded once)

    @Override
    public void softmax(int m, int n, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy) {
        for (int r = 0; r < m; r++) {
            int xr = xOff + r * ldx, yr = yOff + r * ldy;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < n; c++) {
                max = Math.max(max, x[xr + c]);
            }
            double sum = 0.0;
            for (int c = 0; c < n; c++) {
                sum += Math.exp(x[xr + c] - max);
            }
            for (int c = 0; c < n; c++) {
                y[yr + c] = (float) (Math.exp(x[xr + c] - max) / sum);
            }
        }
    }

    @Override
    public void softmax(int m, int n, double[] x, int xOff, int ldx, double[] y, int yOff, int ldy) {
        for (int r = 0; r < m; r++) {
            int xr = xOff + r * ldx, yr = yOff + r * ldy;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < n; c++) {
                max = Math.max(max, x[xr + c]);
            }
            double sum = 0.0;
            for (int c = 0; c < n; c++) {
                sum += Math.exp(x[xr + c] - max);
            }
            for (int c = 0; c < n; c++) {
                y[yr + c] = Math.exp(x[xr + c] - max) / sum;
            }
        }
    }

    @Override
    public void logSoftmax(int m, int n, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy) {
        for (int r = 0; r < m; r++) {
            int xr = xOff + r * ldx, yr = yOff + r * ldy;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < n; c++) {
                max = Math.max(max, x[xr + c]);
            }
            double sum = 0.0;
            for (int c = 0; c < n; c++) {
                sum += Math.exp(x[xr + c] - max);
            }
            double shift = max + Math.log(sum);
            for (int c = 0; c < n; c++) {
                y[yr + c] = (float) (x[xr + c] - shift);
            }
        }
    }

    @Override
    public void logSoftmax(int m, int n, double[] x, int xOff, int ldx, double[] y, int yOff, int ldy) {
        for (int r = 0; r < m; r++) {
            int xr = xOff + r * ldx, yr = yOff + r * ldy;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < n; c++) {
                max = Math.max(max, x[xr + c]);
            }
            double sum = 0.0;
            for (int c = 0; c < n; c++) {
                sum += Math.exp(x[xr + c] - max);
            }
            double shift = max + Math.log(sum);
            for (int c = 0; c < n; c++) {
                y[yr + c] = x[xr + c] - shift;
            }
        }
    }

    // ---------------------------------------------------------------- fused losses

    @Override
    public double softmaxCrossEntropy(int m, int n, float[] z, int zOff, int ldz, int[] labels, int labelsOff,
                                      float gradScale, float[] grad, int gOff, int ldg) {
        double loss = 0.0;
        for (int r = 0; r < m; r++) {
            int zr = zOff + r * ldz;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < n; c++) {
                max = Math.max(max, z[zr + c]);
            }
            double sum = 0.0;
            for (int c = 0; c < n; c++) {
                sum += Math.exp(z[zr + c] - max);
            }
            int label = labels[labelsOff + r];
            loss += Math.log(sum) - (z[zr + label] - max);
            if (grad != null) {
                int gr = gOff + r * ldg;
                for (int c = 0; c < n; c++) {
                    double p = Math.exp(z[zr + c] - max) / sum;
                    grad[gr + c] = (float) (gradScale * (c == label ? p - 1.0 : p));
                }
            }
        }
        return loss;
    }

    @Override
    public double softmaxCrossEntropy(int m, int n, double[] z, int zOff, int ldz, int[] labels, int labelsOff,
                                      double gradScale, double[] grad, int gOff, int ldg) {
        double loss = 0.0;
        for (int r = 0; r < m; r++) {
            int zr = zOff + r * ldz;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < n; c++) {
                max = Math.max(max, z[zr + c]);
            }
            double sum = 0.0;
            for (int c = 0; c < n; c++) {
                sum += Math.exp(z[zr + c] - max);
            }
            int label = labels[labelsOff + r];
            loss += Math.log(sum) - (z[zr + label] - max);
            if (grad != null) {
                int gr = gOff + r * ldg;
                for (int c = 0; c < n; c++) {
                    double p = Math.exp(z[zr + c] - max) / sum;
                    grad[gr + c] = gradScale * (c == label ? p - 1.0 : p);
                }
            }
        }
        return loss;
    }

    @Override
    public double softmaxCrossEntropy(int m, int n, float[] z, int zOff, int ldz, float[] t, int tOff, int ldt,
                                      float gradScale, float[] grad, int gOff, int ldg) {
        double loss = 0.0;
        for (int r = 0; r < m; r++) {
            int zr = zOff + r * ldz, tr = tOff + r * ldt;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < n; c++) {
                max = Math.max(max, z[zr + c]);
            }
            double sum = 0.0, mass = 0.0;
            for (int c = 0; c < n; c++) {
                sum += Math.exp(z[zr + c] - max);
                mass += t[tr + c];
            }
            double lse = max + Math.log(sum);
            for (int c = 0; c < n; c++) {
                double tc = t[tr + c];
                if (tc != 0) {
                    loss -= tc * (z[zr + c] - lse);
                }
            }
            if (grad != null) {
                int gr = gOff + r * ldg;
                for (int c = 0; c < n; c++) {
                    double p = Math.exp(z[zr + c] - max) / sum;
                    grad[gr + c] = (float) (gradScale * (p * mass - t[tr + c]));
                }
            }
        }
        return loss;
    }

    @Override
    public double softmaxCrossEntropy(int m, int n, double[] z, int zOff, int ldz, double[] t, int tOff, int ldt,
                                      double gradScale, double[] grad, int gOff, int ldg) {
        double loss = 0.0;
        for (int r = 0; r < m; r++) {
            int zr = zOff + r * ldz, tr = tOff + r * ldt;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < n; c++) {
                max = Math.max(max, z[zr + c]);
            }
            double sum = 0.0, mass = 0.0;
            for (int c = 0; c < n; c++) {
                sum += Math.exp(z[zr + c] - max);
                mass += t[tr + c];
            }
            double lse = max + Math.log(sum);
            for (int c = 0; c < n; c++) {
                double tc = t[tr + c];
                if (tc != 0) {
                    loss -= tc * (z[zr + c] - lse);
                }
            }
            if (grad != null) {
                int gr = gOff + r * ldg;
                for (int c = 0; c < n; c++) {
                    double p = Math.exp(z[zr + c] - max) / sum;
                    grad[gr + c] = gradScale * (p * mass - t[tr + c]);
                }
            }
        }
        return loss;
    }

    @Override
    public double binaryCrossEntropyWithLogits(int n, float[] z, int zOff, float[] t, int tOff, float gradScale,
                                               float[] grad, int gOff) {
        double loss = 0.0;
        for (int i = 0; i < n; i++) {
            double zi = z[zOff + i], ti = t[tOff + i];
            loss += ScalarMath.bceWithLogits(zi, ti);
            if (grad != null) {
                grad[gOff + i] = (float) (gradScale * (ScalarMath.sigmoid(zi) - ti));
            }
        }
        return loss;
    }

    @Override
    public double binaryCrossEntropyWithLogits(int n, double[] z, int zOff, double[] t, int tOff, double gradScale,
                                               double[] grad, int gOff) {
        double loss = 0.0;
        for (int i = 0; i < n; i++) {
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
        for (int i = 0; i < n; i++) {
            double d = (double) y[yOff + i] - t[tOff + i];
            loss += d * d;
            if (grad != null) {
                grad[gOff + i] = (float) (gradScale * d);
            }
        }
        return loss;
    }

    @Override
    public double squaredError(int n, double[] y, int yOff, double[] t, int tOff, double gradScale, double[] grad,
                               int gOff) {
        double loss = 0.0;
        for (int i = 0; i < n; i++) {
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
        ScalarMath.adam(0, n, p, pOff, g, gOff, m, mOff, v, vOff, l2, decay, oneMinusBeta1, beta2, oneMinusBeta2, eps,
                stepSize, correction2Sqrt);
    }

    @Override
    public void adam(int n, double[] p, int pOff, double[] g, int gOff, double[] m, int mOff, double[] v, int vOff,
                     double l2, double decay, double oneMinusBeta1, double beta2, double oneMinusBeta2, double eps,
                     double stepSize, double correction2Sqrt) {
        ScalarMath.adam(0, n, p, pOff, g, gOff, m, mOff, v, vOff, l2, decay, oneMinusBeta1, beta2, oneMinusBeta2, eps,
                stepSize, correction2Sqrt);
    }
}
