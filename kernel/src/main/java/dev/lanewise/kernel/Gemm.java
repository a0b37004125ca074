package dev.lanewise.kernel;

import dev.lanewise.kernel.spi.Providers;

/**
 * General matrix multiply, row-major: {@code C = alpha · op(A) · op(B) + beta · C}.
 *
 * <p>Shapes: op(A) is m × k, op(B) is k × n, C is m × n. A is stored m × k when {@code transA} is
 * {@link Transpose#NONE} and k × m when it is {@link Transpose#TRANSPOSE}; likewise B is stored k × n or n × k.
 * Element (r, c) of a stored matrix X is {@code x[xOff + r * ldx + c]}, so {@code ldx} must be at least the stored
 * column count; a larger {@code ld} selects a sub-matrix of a bigger array without copying.
 *
 * <p>Semantics as in BLAS: {@code beta == 0} never reads C (a NaN in C does not leak into the result);
 * {@code alpha == 0} or {@code k == 0} never reads A or B and only scales C by beta; m = 0 or n = 0 is a no-op.
 *
 * <p>C must not overlap A or B: if it does, the result is unspecified (the arrays are not corrupted beyond C's
 * range). A and B may be the same array.
 *
 * <p>Every argument is checked before anything is written: a bad call throws and leaves C untouched. Nulls throw
 * {@link NullPointerException}, negative sizes and too-small leading dimensions {@link IllegalArgumentException},
 * views that reach outside their array {@link IndexOutOfBoundsException}; each message names the argument.
 */
public final class Gemm {
    private Gemm() {
    }

    /** Float GEMM; see the class documentation for shapes and layouts. */
    public static void gemm(Transpose transA, Transpose transB, int m, int n, int k,
                            float alpha, float[] a, int aOff, int lda,
                            float[] b, int bOff, int ldb,
                            float beta, float[] c, int cOff, int ldc) {
        check(transA, transB, m, n, k, a, a == null ? 0 : a.length, aOff, lda, b, b == null ? 0 : b.length, bOff,
                ldb, c, c == null ? 0 : c.length, cOff, ldc);
        Providers.get().gemm(transA.isTransposed(), transB.isTransposed(), m, n, k, alpha, a, aOff, lda, b, bOff, ldb,
                beta, c, cOff, ldc);
    }

    /** Double GEMM; see the class documentation for shapes and layouts. */
    public static void gemm(Transpose transA, Transpose transB, int m, int n, int k,
                            double alpha, double[] a, int aOff, int lda,
                            double[] b, int bOff, int ldb,
                            double beta, double[] c, int cOff, int ldc) {
        check(transA, transB, m, n, k, a, a == null ? 0 : a.length, aOff, lda, b, b == null ? 0 : b.length, bOff,
                ldb, c, c == null ? 0 : c.length, cOff, ldc);
        Providers.get().gemm(transA.isTransposed(), transB.isTransposed(), m, n, k, alpha, a, aOff, lda, b, bOff, ldb,
                beta, c, cOff, ldc);
    }

    /**
     * Fused float GEMM: C = f(alpha · op(A) · op(B) + beta · C + bias), optionally storing the pre-activation; see
     * {@link Epilogue}. Shapes and layouts as in the class documentation; the bias has n elements, the pre-activation
     * is m × n. The pre-activation must not overlap A, B or C.
     */
    public static void gemm(Transpose transA, Transpose transB, int m, int n, int k,
                            float alpha, float[] a, int aOff, int lda,
                            float[] b, int bOff, int ldb,
                            float beta, float[] c, int cOff, int ldc, Epilogue.OfFloat epilogue) {
        check(transA, transB, m, n, k, a, a == null ? 0 : a.length, aOff, lda, b, b == null ? 0 : b.length, bOff,
                ldb, c, c == null ? 0 : c.length, cOff, ldc);
        Checks.notNull(epilogue, "epilogue");
        float[] bias = epilogue.bias();
        float[] pre = epilogue.preActivation();
        checkEpilogue(m, n, bias, bias == null ? 0 : bias.length, epilogue.biasOffset(), pre,
                pre == null ? 0 : pre.length, epilogue.preActivationOffset(), epilogue.ldPreActivation());
        Activation act = epilogue.activation();
        Providers.get().gemmFused(transA.isTransposed(), transB.isTransposed(), m, n, k, alpha, a, aOff, lda, b, bOff,
                ldb, beta, c, cOff, ldc, bias, epilogue.biasOffset(), act.function(), (float) act.parameter(), pre,
                epilogue.preActivationOffset(), epilogue.ldPreActivation());
    }

    /** Fused double GEMM; see the float overload. */
    public static void gemm(Transpose transA, Transpose transB, int m, int n, int k,
                            double alpha, double[] a, int aOff, int lda,
                            double[] b, int bOff, int ldb,
                            double beta, double[] c, int cOff, int ldc, Epilogue.OfDouble epilogue) {
        check(transA, transB, m, n, k, a, a == null ? 0 : a.length, aOff, lda, b, b == null ? 0 : b.length, bOff,
                ldb, c, c == null ? 0 : c.length, cOff, ldc);
        Checks.notNull(epilogue, "epilogue");
        double[] bias = epilogue.bias();
        double[] pre = epilogue.preActivation();
        checkEpilogue(m, n, bias, bias == null ? 0 : bias.length, epilogue.biasOffset(), pre,
                pre == null ? 0 : pre.length, epilogue.preActivationOffset(), epilogue.ldPreActivation());
        Activation act = epilogue.activation();
        Providers.get().gemmFused(transA.isTransposed(), transB.isTransposed(), m, n, k, alpha, a, aOff, lda, b, bOff,
                ldb, beta, c, cOff, ldc, bias, epilogue.biasOffset(), act.function(), act.parameter(), pre,
                epilogue.preActivationOffset(), epilogue.ldPreActivation());
    }

    /** C (m × n) = A (m × k) · B (k × n), dense row-major arrays with no padding. */
    public static void multiply(int m, int n, int k, float[] a, float[] b, float[] c) {
        gemm(Transpose.NONE, Transpose.NONE, m, n, k, 1f, a, 0, Math.max(1, k), b, 0, Math.max(1, n), 0f, c, 0,
                Math.max(1, n));
    }

    /** C (m × n) = A (m × k) · B (k × n), dense row-major arrays with no padding. */
    public static void multiply(int m, int n, int k, double[] a, double[] b, double[] c) {
        gemm(Transpose.NONE, Transpose.NONE, m, n, k, 1.0, a, 0, Math.max(1, k), b, 0, Math.max(1, n), 0.0, c, 0,
                Math.max(1, n));
    }

    private static void checkEpilogue(int m, int n, Object bias, int biasLength, int biasOff, Object pre,
                                      int preLength, int preOff, int ldPre) {
        if (bias != null) {
            Checks.vector("bias", biasLength, biasOff, n);
        }
        if (pre != null) {
            Checks.matrix("preActivation", preLength, preOff, m, n, ldPre);
        }
    }

    static void check(Transpose transA, Transpose transB, int m, int n, int k,
                      Object a, int aLength, int aOff, int lda,
                      Object b, int bLength, int bOff, int ldb,
                      Object c, int cLength, int cOff, int ldc) {
        Checks.notNull(transA, "transA");
        Checks.notNull(transB, "transB");
        Checks.notNull(a, "a");
        Checks.notNull(b, "b");
        Checks.notNull(c, "c");
        Checks.nonNegative(m, "m");
        Checks.nonNegative(n, "n");
        Checks.nonNegative(k, "k");
        if (transA.isTransposed()) {
            Checks.matrix("a", aLength, aOff, k, m, lda);
        } else {
            Checks.matrix("a", aLength, aOff, m, k, lda);
        }
        if (transB.isTransposed()) {
            Checks.matrix("b", bLength, bOff, n, k, ldb);
        } else {
            Checks.matrix("b", bLength, bOff, k, n, ldb);
        }
        Checks.matrix("c", cLength, cOff, m, n, ldc);
    }
}
