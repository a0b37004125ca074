package dev.lanewise.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Every facade validates before it writes: a bad call names the argument and leaves the output untouched. */
class ValidationTest {
    private static final float SENTINEL = 42f;

    private static float[] sentinel(int n) {
        float[] x = new float[n];
        Arrays.fill(x, SENTINEL);
        return x;
    }

    /** Runs the call, expects the exception type with the argument name in its message, and checks out is untouched. */
    private static void rejects(Class<? extends RuntimeException> type, String named, float[] out, Executable call) {
        float[] before = out.clone();
        RuntimeException e = assertThrows(type, call);
        assertThat(e.getMessage()).contains(named);
        assertThat(out).as("output written before validation").containsExactly(before);
    }

    @Test
    void gemmRejectsBadArgumentsWithoutTouchingC() {
        float[] a = new float[12], b = new float[12], c = sentinel(9);
        Transpose n = Transpose.NONE;
        rejects(NullPointerException.class, "a", c, () -> Gemm.gemm(n, n, 3, 3, 4, 1f, null, 0, 4, b, 0, 3, 0f, c, 0, 3));
        rejects(NullPointerException.class, "transB", c, () -> Gemm.gemm(n, null, 3, 3, 4, 1f, a, 0, 4, b, 0, 3, 0f, c, 0, 3));
        rejects(IllegalArgumentException.class, "m", c, () -> Gemm.gemm(n, n, -1, 3, 4, 1f, a, 0, 4, b, 0, 3, 0f, c, 0, 3));
        rejects(IllegalArgumentException.class, "k", c, () -> Gemm.gemm(n, n, 3, 3, -4, 1f, a, 0, 4, b, 0, 3, 0f, c, 0, 3));
        rejects(IllegalArgumentException.class, "lda", c, () -> Gemm.gemm(n, n, 3, 3, 4, 1f, a, 0, 3, b, 0, 3, 0f, c, 0, 3));
        rejects(IllegalArgumentException.class, "ldc", c, () -> Gemm.gemm(n, n, 3, 3, 4, 1f, a, 0, 4, b, 0, 3, 0f, c, 0, 2));
        rejects(IndexOutOfBoundsException.class, "b", c, () -> Gemm.gemm(n, n, 3, 3, 4, 1f, a, 0, 4, b, 1, 3, 0f, c, 0, 3));
        rejects(IndexOutOfBoundsException.class, "a", c, () -> Gemm.gemm(n, n, 3, 3, 4, 1f, a, -1, 4, b, 0, 3, 0f, c, 0, 3));
        // Transposed A is stored k x m: lda must cover m = 3 columns, and there must be k rows.
        rejects(IndexOutOfBoundsException.class, "a", c,
                () -> Gemm.gemm(Transpose.TRANSPOSE, n, 3, 3, 5, 1f, a, 0, 3, new float[15], 0, 3, 0f, c, 0, 3));
        // A 50 000 x 50 000 matrix: the last index does not fit an int; it must be rejected, not wrapped around.
        rejects(IndexOutOfBoundsException.class, "a", c,
                () -> Gemm.gemm(n, n, 50_000, 3, 50_000, 1f, a, 0, 50_000, b, 0, 3, 0f, c, 0, 3));
        rejects(IndexOutOfBoundsException.class, "c", c,
                () -> Gemm.gemm(n, n, 50_000, 50_000, 1, 1f, new float[50_000], 0, 1, new float[50_000], 0, 50_000, 0f,
                        c, 0, 50_000));
    }

    @Test
    void sizeZeroIsANoOpButBetaStillScalesC() {
        float[] c = {1f, 2f, 3f, 4f};
        Gemm.gemm(Transpose.NONE, Transpose.NONE, 0, 2, 2, 1f, new float[0], 0, 2, new float[4], 0, 2, 5f, c, 0, 2);
        assertThat(c).containsExactly(1f, 2f, 3f, 4f);
        Gemm.gemm(Transpose.NONE, Transpose.NONE, 2, 2, 0, 1f, new float[0], 0, 1, new float[0], 0, 2, 3f, c, 0, 2);
        assertThat(c).containsExactly(3f, 6f, 9f, 12f);
        assertThatCode(() -> Gemv.gemv(Transpose.NONE, 0, 0, 1f, new float[0], 0, 1, new float[0], 0, 0f,
                new float[0], 0)).doesNotThrowAnyException();
    }

    @Test
    void gemvGerBlasReductionsReject() {
        float[] a = new float[6], x = new float[3], y = sentinel(2);
        rejects(IndexOutOfBoundsException.class, "x", y,
                () -> Gemv.gemv(Transpose.NONE, 2, 3, 1f, a, 0, 3, x, 1, 0f, y, 0));
        rejects(IndexOutOfBoundsException.class, "y", y,
                () -> Gemv.gemv(Transpose.TRANSPOSE, 2, 3, 1f, a, 0, 3, x, 0, 0f, y, 0));
        float[] out = sentinel(6);
        rejects(IndexOutOfBoundsException.class, "y", out, () -> Ger.ger(2, 3, 1f, x, 0, y, 0, out, 0, 3));
        rejects(IllegalArgumentException.class, "lda", out, () -> Ger.ger(2, 3, 1f, x, 0, x, 0, out, 0, 2));
        rejects(IndexOutOfBoundsException.class, "y", out, () -> Blas1.axpy(4, 1f, new float[4], 0, out, 3));
        rejects(IllegalArgumentException.class, "length of x", out, () -> Blas1.scal(-1, 1f, out, 0));
        rejects(IndexOutOfBoundsException.class, "out", y, () -> Reductions.columnSums(2, 3, a, 0, 3, 0f, y, 0));
        rejects(IllegalArgumentException.class, "n must be >= 1", y,
                () -> Reductions.rowMax(2, 0, a, 0, 1, y, 0));
        rejects(NullPointerException.class, "out", y, () -> Reductions.rowSums(2, 3, a, 0, 3, 0f, null, 0));
    }

    @Test
    void adamRejectsBeforeWritingAnyState() {
        float[] p = sentinel(4), g = new float[4], m = sentinel(4), v = sentinel(3);
        float[] mBefore = m.clone();
        rejects(IndexOutOfBoundsException.class, "v needs 4", p,
                () -> Updates.adam(4, p, 0, g, 0, m, 0, v, 0, 0f, 1f, 0.1f, 0.999f, 0.001f, 1e-8f, 1e-3f, 0.03f));
        rejects(IndexOutOfBoundsException.class, "g needs 4", p,
                () -> Updates.adam(4, p, 0, g, 1, m, 0, sentinel(4), 0, 0f, 1f, 0.1f, 0.999f, 0.001f, 1e-8f, 1e-3f,
                        0.03f));
        rejects(NullPointerException.class, "m", p,
                () -> Updates.adam(4, p, 0, g, 0, null, 0, sentinel(4), 0, 0f, 1f, 0.1f, 0.999f, 0.001f, 1e-8f,
                        1e-3f, 0.03f));
        rejects(IllegalArgumentException.class, "stepSize", p,
                () -> Updates.adam(4, p, 0, g, 0, m, 0, sentinel(4), 0, 0f, 1f, 0.1f, 0.999f, 0.001f, 1e-8f,
                        Float.NaN, 0.03f));
        rejects(IllegalArgumentException.class, "eps", p,
                () -> Updates.adam(4, p, 0, g, 0, m, 0, sentinel(4), 0, 0f, 1f, 0.1f, 0.999f, 0.001f,
                        Float.POSITIVE_INFINITY, 1e-3f, 0.03f));
        rejects(IllegalArgumentException.class, "length of p", p,
                () -> Updates.adam(-1, p, 0, g, 0, m, 0, v, 0, 0f, 1f, 0.1f, 0.999f, 0.001f, 1e-8f, 1e-3f, 0.03f));
        assertThat(m).as("m written before validation").containsExactly(mBefore);
        double[] pd = new double[2];
        rejects(IllegalArgumentException.class, "decay", p,
                () -> Updates.adam(2, pd, 0, new double[2], 0, new double[2], 0, new double[2], 0, 0, Double.NaN,
                        0.1, 0.999, 0.001, 1e-8, 1e-3, 0.03));
    }

    @Test
    void activationSoftmaxLossesReject() {
        float[] z = new float[4], y = sentinel(4);
        rejects(IndexOutOfBoundsException.class, "y", y, () -> Activation.RELU.forward(4, z, 0, y, 1));
        rejects(NullPointerException.class, "z", y, () -> Activation.SIGMOID.forward(4, null, 0, y, 0));
        // Sigmoid's backward reads y, GELU's reads z: the message names the one this activation needs.
        rejects(IndexOutOfBoundsException.class, "y", y,
                () -> Activation.SIGMOID.backward(4, new float[3], 0, z, 0, y, 0));
        rejects(IndexOutOfBoundsException.class, "z", y,
                () -> Activation.GELU_TANH.backward(4, new float[3], 0, z, 0, y, 0));
        rejects(IllegalArgumentException.class, "slope", y, () -> Activation.leakyRelu(Double.NaN));
        rejects(IndexOutOfBoundsException.class, "y", y, () -> Softmax.softmax(2, 2, z, 0, 2, y, 1, 2));
        float[] grad = sentinel(4);
        rejects(IllegalArgumentException.class, "labels[1] = 2", grad,
                () -> Losses.softmaxCrossEntropy(2, 2, z, 0, 2, new int[] {0, 2}, 0, 1f, grad, 0, 2));
        rejects(IllegalArgumentException.class, "labels[0] = -1", grad,
                () -> Losses.softmaxCrossEntropy(2, 2, z, 0, 2, new int[] {-1, 0}, 0, 1f, grad, 0, 2));
        rejects(IndexOutOfBoundsException.class, "labels", grad,
                () -> Losses.softmaxCrossEntropy(2, 2, z, 0, 2, new int[] {0}, 0, 1f, grad, 0, 2));
        rejects(IndexOutOfBoundsException.class, "t", grad,
                () -> Losses.binaryCrossEntropyWithLogits(4, z, 0, new float[3], 0, 1f, grad, 0));
        rejects(IndexOutOfBoundsException.class, "grad", grad,
                () -> Losses.squaredError(4, z, 0, z, 0, 1f, grad, 1));
    }

    @Test
    void doubleOverloadsShareTheSameChecks() {
        double[] c = {7, 7, 7, 7};
        assertThrows(IllegalArgumentException.class, () -> Gemm.gemm(Transpose.NONE, Transpose.NONE, 2, 2, 2, 1.0,
                new double[4], 0, 1, new double[4], 0, 2, 0.0, c, 0, 2));
        assertThat(c).containsExactly(7, 7, 7, 7);
        assertThrows(IndexOutOfBoundsException.class, () -> Activation.TANH.forward(4, new double[4], 1, c, 0));
        assertThat(c).containsExactly(7, 7, 7, 7);
    }
}
