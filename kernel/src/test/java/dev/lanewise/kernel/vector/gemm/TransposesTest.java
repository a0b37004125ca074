package dev.lanewise.kernel.vector.gemm;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every generated transpose (float at 512, 256 and 128 bits, double at 512), whatever width this JVM's GEMM runs at (a width the CPU lacks runs the
 * Vector API's Java fallback, which computes the same lanes): dst[dOff + c * ldd + r] = src[off + r * ld + c], and
 * the head variants store exactly their first count rows, leaving the rest of dst untouched.
 */
class TransposesTest {

    /** A transpose of one L x L block: (src, off, ld, count, dst, dOff, ldd), count = L for the full variants. */
    private interface Square {
        void apply(double[] src, int off, int ld, int count, double[] dst, int dOff, int ldd);
    }

    private interface FloatSquare {
        void apply(float[] src, int off, int ld, int count, float[] dst, int dOff, int ldd);
    }

    @Test
    void floatTransposes() {
        checkFloat(16, (s, o, ld, n, d, dOff, ldd) -> Transposes.f32x16(s, o, ld, d, dOff, ldd), false);
        checkFloat(16, Transposes::f32x16Head, true);
        checkFloat(8, (s, o, ld, n, d, dOff, ldd) -> Transposes.f32x8(s, o, ld, d, dOff, ldd), false);
        checkFloat(8, Transposes::f32x8Head, true);
        checkFloat(4, (s, o, ld, n, d, dOff, ldd) -> Transposes.f32x4(s, o, ld, d, dOff, ldd), false);
        checkFloat(4, Transposes::f32x4Head, true);
    }

    @Test
    void doubleTransposes() {
        check(8, (s, o, ld, n, d, dOff, ldd) -> Transposes.f64x8(s, o, ld, d, dOff, ldd), false);
        check(8, Transposes::f64x8Head, true);
    }

    /** 8 rows x 16 k values of an untransposed A into k-major 8-row panel order. */
    @Test
    void floatPanelTranspose() {
        int off = 3, ld = 21, dOff = 5;
        float[] src = new float[off + 8 * ld];
        for (int i = 0; i < src.length; i++) {
            src[i] = i + 1;
        }
        float[] dst = new float[dOff + 128 + 4];
        java.util.Arrays.fill(dst, -1);
        Transposes.f32x8x16(src, off, ld, dst, dOff);
        for (int i = 0; i < dst.length; i++) {
            int p = (i - dOff) / 8, r = (i - dOff) % 8;
            float expected = i >= dOff && p < 16 ? src[off + r * ld + p] : -1;
            assertThat(dst[i]).as("dst[%d] (k %d, row %d)", i, p, r).isEqualTo(expected);
        }
    }

    private static void checkFloat(int lanes, FloatSquare t, boolean head) {
        check(lanes, (s, o, ld, n, d, dOff, ldd) -> {
            float[] fs = new float[s.length], fd = new float[d.length];
            for (int i = 0; i < s.length; i++) {
                fs[i] = (float) s[i];
            }
            for (int i = 0; i < d.length; i++) {
                fd[i] = (float) d[i];
            }
            t.apply(fs, o, ld, n, fd, dOff, ldd);
            for (int i = 0; i < d.length; i++) {
                d[i] = fd[i];
            }
        }, head);
    }

    /** Distinct values everywhere (so a swapped lane shows), offsets and leading dimensions past the block. */
    private static void check(int lanes, Square t, boolean head) {
        int off = 3, ld = lanes + 5, dOff = 2, ldd = lanes + 3;
        double[] src = new double[off + lanes * ld];
        for (int i = 0; i < src.length; i++) {
            src[i] = i + 1;
        }
        for (int count = head ? 1 : lanes; count <= lanes; count++) {
            double[] dst = new double[dOff + lanes * ldd];
            java.util.Arrays.fill(dst, -1);
            t.apply(src, off, ld, count, dst, dOff, ldd);
            for (int i = 0; i < dst.length; i++) {
                int c = (i - dOff) / ldd, r = (i - dOff) % ldd;
                boolean stored = i >= dOff && c < count && r < lanes;
                double expected = stored ? src[off + r * ld + c] : -1;
                assertThat(dst[i]).as("%d lanes, count %d, dst[%d] (row %d, column %d)", lanes, count, i, c, r)
                        .isEqualTo(expected);
            }
        }
    }
}
