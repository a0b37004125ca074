package dev.lanewise.kernel.vector;

import dev.lanewise.kernel.Activation;
import dev.lanewise.kernel.scalar.ScalarMath;
import dev.lanewise.kernel.spi.KernelProvider;
import dev.lanewise.kernel.vector.elementwise.ActivationKernels;
import dev.lanewise.kernel.vector.gemm.GemmDriver;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
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
        if (beta == 0) {
            fill(rows, 0.0, y, yOff);
        } else if (beta != 1) {
            scal(rows, beta, y, yOff);
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
        if (i < n) {
            VectorMask<Double> mask = D.indexInRange(i, n);
            DoubleVector.fromArray(D, x, xOff + i, mask).fma(va, DoubleVector.fromArray(D, y, yOff + i, mask))
                    .intoArray(y, yOff + i, mask);
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
        if (i < n) {
            VectorMask<Double> mask = D.indexInRange(i, n);
            DoubleVector.fromArray(D, x, xOff + i, mask).mul(alpha).intoArray(x, xOff + i, mask);
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
        FloatVector acc = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            acc = acc.max(FloatVector.fromArray(F, x, xOff + i));
        }
        float max = acc.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) {
            max = Math.max(max, x[xOff + i]);
        }
        return max;
    }

    private static double max(int n, double[] x, int xOff) {
        DoubleVector acc = DoubleVector.broadcast(D, Double.NEGATIVE_INFINITY);
        int i = 0;
        for (int bound = D.loopBound(n); i < bound; i += D.length()) {
            acc = acc.max(DoubleVector.fromArray(D, x, xOff + i));
        }
        double max = acc.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) {
            max = Math.max(max, x[xOff + i]);
        }
        return max;
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
        if (beta == 0) {
            fill(n, 0f, out, outOff);
        } else if (beta != 1) {
            scal(n, beta, out, outOff);
        }
        for (int r = 0; r < m; r++) {
            axpy(n, 1f, a, aOff + r * lda, out, outOff);
        }
    }

    @Override
    public void columnSums(int m, int n, double[] a, int aOff, int lda, double beta, double[] out, int outOff) {
        if (beta == 0) {
            fill(n, 0.0, out, outOff);
        } else if (beta != 1) {
            scal(n, beta, out, outOff);
        }
        for (int r = 0; r < m; r++) {
            axpy(n, 1.0, a, aOff + r * lda, out, outOff);
        }
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
            float max = max(n, a, row);
            // The first index holding the maximum (or the first NaN, which the max then is).
            int idx = 0;
            while (!(a[row + idx] == max || (max != max && a[row + idx] != a[row + idx]))) {
                idx++;
            }
            out[outOff + r] = idx;
        }
    }

    @Override
    public void rowArgmax(int m, int n, double[] a, int aOff, int lda, int[] out, int outOff) {
        for (int r = 0; r < m; r++) {
            int row = aOff + r * lda;
            double max = max(n, a, row);
            int idx = 0;
            while (!(a[row + idx] == max || (max != max && a[row + idx] != a[row + idx]))) {
                idx++;
            }
            out[outOff + r] = idx;
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

    // ---------------------------------------------------------------- softmax

    /** y = exp(x − shift) over n elements; returns the sum of y (accumulated in double). */
    private static double expShifted(int n, float[] x, int xOff, float shift, float[] y, int yOff) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector e = FloatVector.fromArray(F, x, xOff + i).sub(shift).lanewise(VectorOperators.EXP);
            e.intoArray(y, yOff + i);
            acc = acc.add(e);
        }
        double sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            float e = (float) Math.exp(x[xOff + i] - shift);
            y[yOff + i] = e;
            sum += e;
        }
        return sum;
    }

    private static double expShifted(int n, double[] x, int xOff, double shift, double[] y, int yOff) {
        DoubleVector acc = DoubleVector.zero(D);
        int i = 0;
        for (int bound = D.loopBound(n); i < bound; i += D.length()) {
            DoubleVector e = DoubleVector.fromArray(D, x, xOff + i).sub(shift).lanewise(VectorOperators.EXP);
            e.intoArray(y, yOff + i);
            acc = acc.add(e);
        }
        double sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            double e = Math.exp(x[xOff + i] - shift);
            y[yOff + i] = e;
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
        for (int r = 0; r < m; r++) {
            int xr = xOff + r * ldx, yr = yOff + r * ldy;
            double sum = expShifted(n, x, xr, max(n, x, xr), y, yr);
            scal(n, (float) (1.0 / sum), y, yr);
        }
    }

    @Override
    public void softmax(int m, int n, double[] x, int xOff, int ldx, double[] y, int yOff, int ldy) {
        for (int r = 0; r < m; r++) {
            int xr = xOff + r * ldx, yr = yOff + r * ldy;
            double sum = expShifted(n, x, xr, max(n, x, xr), y, yr);
            scal(n, 1.0 / sum, y, yr);
        }
    }

    @Override
    public void logSoftmax(int m, int n, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy) {
        for (int r = 0; r < m; r++) {
            int xr = xOff + r * ldx, yr = yOff + r * ldy;
            float max = max(n, x, xr);
            // exp pass into y only for the sum; y is then overwritten with the log-probabilities.
            double sum = expShifted(n, x, xr, max, y, yr);
            subtract(n, x, xr, (float) (max + Math.log(sum)), y, yr);
        }
    }

    @Override
    public void logSoftmax(int m, int n, double[] x, int xOff, int ldx, double[] y, int yOff, int ldy) {
        for (int r = 0; r < m; r++) {
            int xr = xOff + r * ldx, yr = yOff + r * ldy;
            double max = max(n, x, xr);
            double sum = expShifted(n, x, xr, max, y, yr);
            subtract(n, x, xr, max + Math.log(sum), y, yr);
        }
    }

    // ---------------------------------------------------------------- fused losses

    @Override
    public double softmaxCrossEntropy(int m, int n, float[] z, int zOff, int ldz, int[] labels, int labelsOff,
                                      float gradScale, float[] grad, int gOff, int ldg) {
        double loss = 0.0;
        for (int r = 0; r < m; r++) {
            int zr = zOff + r * ldz;
            float max = max(n, z, zr);
            int label = labels[labelsOff + r];
            double sum = grad != null ? expShifted(n, z, zr, max, grad, gOff + r * ldg) : sumExpShifted(n, z, zr, max);
            loss += Math.log(sum) - ((double) z[zr + label] - max);
            if (grad != null) {
                int gr = gOff + r * ldg;
                scal(n, (float) (gradScale / sum), grad, gr);
                grad[gr + label] -= gradScale;
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
            double max = max(n, z, zr);
            int label = labels[labelsOff + r];
            double sum = grad != null ? expShifted(n, z, zr, max, grad, gOff + r * ldg) : sumExpShifted(n, z, zr, max);
            loss += Math.log(sum) - (z[zr + label] - max);
            if (grad != null) {
                int gr = gOff + r * ldg;
                scal(n, gradScale / sum, grad, gr);
                grad[gr + label] -= gradScale;
            }
        }
        return loss;
    }

    private static double sumExpShifted(int n, float[] x, int xOff, float shift) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            acc = acc.add(FloatVector.fromArray(F, x, xOff + i).sub(shift).lanewise(VectorOperators.EXP));
        }
        double sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            sum += (float) Math.exp(x[xOff + i] - shift);
        }
        return sum;
    }

    private static double sumExpShifted(int n, double[] x, int xOff, double shift) {
        DoubleVector acc = DoubleVector.zero(D);
        int i = 0;
        for (int bound = D.loopBound(n); i < bound; i += D.length()) {
            acc = acc.add(DoubleVector.fromArray(D, x, xOff + i).sub(shift).lanewise(VectorOperators.EXP));
        }
        double sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            sum += Math.exp(x[xOff + i] - shift);
        }
        return sum;
    }

    @Override
    public double softmaxCrossEntropy(int m, int n, float[] z, int zOff, int ldz, float[] t, int tOff, int ldt,
                                      float gradScale, float[] grad, int gOff, int ldg) {
        double loss = 0.0;
        for (int r = 0; r < m; r++) {
            int zr = zOff + r * ldz, tr = tOff + r * ldt;
            float max = max(n, z, zr);
            double sum = grad != null ? expShifted(n, z, zr, max, grad, gOff + r * ldg) : sumExpShifted(n, z, zr, max);
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
                int gr = gOff + r * ldg;
                scal(n, (float) (gradScale * rowMass / sum), grad, gr);
                axpy(n, -gradScale, t, tr, grad, gr);
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
            double max = max(n, z, zr);
            double sum = grad != null ? expShifted(n, z, zr, max, grad, gOff + r * ldg) : sumExpShifted(n, z, zr, max);
            double lse = max + Math.log(sum);
            DoubleVector acc = DoubleVector.zero(D);
            DoubleVector mass = DoubleVector.zero(D);
            int c = 0;
            for (int bound = D.loopBound(n); c < bound; c += D.length()) {
                DoubleVector tv = DoubleVector.fromArray(D, t, tr + c);
                DoubleVector term = tv.mul(DoubleVector.fromArray(D, z, zr + c).sub(lse));
                acc = acc.add(term.blend(0.0, tv.eq(0.0)));
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
                int gr = gOff + r * ldg;
                scal(n, gradScale * rowMass / sum, grad, gr);
                axpy(n, -gradScale, t, tr, grad, gr);
            }
        }
        return loss;
    }

    @Override
    public double binaryCrossEntropyWithLogits(int n, float[] z, int zOff, float[] t, int tOff, float gradScale,
                                               float[] grad, int gOff) {
        double loss = 0.0;
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector zv = FloatVector.fromArray(F, z, zOff + i);
            FloatVector tv = FloatVector.fromArray(F, t, tOff + i);
            loss += VectorMath.bceWithLogits(zv, tv).reduceLanes(VectorOperators.ADD);
            if (grad != null) {
                VectorMath.sigmoid(zv).sub(tv).mul(gradScale).intoArray(grad, gOff + i);
            }
        }
        // Scalar tail (fewer than one vector): a masked vector here went through the generic switch, which C2 does
        // not inline, and was boxed on every call (100-700 bytes); the scalar twin's formula serves the last lanes.
        for (; i < n; i++) {
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
}
