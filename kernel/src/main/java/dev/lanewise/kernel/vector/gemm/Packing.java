package dev.lanewise.kernel.vector.gemm;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * Copies blocks of op(A) and op(B) into the contiguous, zero-padded panels the micro-kernels read. Packing is where
 * transposes, offsets and leading dimensions are absorbed: after it, every k step of a micro-kernel reads MR
 * consecutive A values and NR consecutive B values. Partial panels at the edges are padded with zeros, so the
 * micro-kernel always runs full size and the edge tile is cut out afterwards.
 *
 * <p>Panel layouts: the A panel for rows [i, i + mr) is {@code kc * mr} values, k-major ({@code panel[p * mr + r]});
 * the B panel for columns [j, j + nr) is {@code kc * nr} values, k-major ({@code panel[p * nr + col]}).
 */
final class Packing {
    /** Half the float vector: one k step of a transposed A panel where MR is that long. */
    private static final VectorSpecies<Float> HALF_F = VectorSpecies.of(float.class,
            VectorShape.forBitSize(Math.max(64, MicroKernelF32.S.vectorBitSize() / 2)));

    /** The panel height {@link Transposes#f32x8x16} packs: MR of the 512-bit float kernel. */
    private static final int PANEL_ROWS = 8;
    /** Whether {@link Transposes} has a square transpose at the kernels' vector length (512, 256 or 128 bits). */
    private static final boolean F32_TRANSPOSES = MicroKernelF32.L == 16 || MicroKernelF32.L == 8
            || MicroKernelF32.L == 4;
    /** Double only at 512 bits: a 4-lane double selectFrom is not intrinsified on AVX2 (see {@link Transposes}). */
    private static final boolean F64_TRANSPOSES = MicroKernelF64.L == 8;

    private Packing() {
    }

    /** Packs op(A)[row0 : row0 + rows, p0 : p0 + kc] into MR-row panels at dst[0 ..]. */
    static void packA(boolean trans, float[] a, int aOff, int lda, int row0, int rows, int p0, int kc, int mr,
                      float[] dst) {
        for (int i = 0; i < rows; i += mr) {
            int panel = i * kc;
            int h = Math.min(mr, rows - i);
            if (trans && h == mr && mr == HALF_F.length() && MicroKernelF32.L == 16) {
                // op(A)(r, p) = a[p * lda + r]: each k step copies MR consecutive values, here one half-width
                // vector (MR is half the vector at 512 bits); System.arraycopy per k step cost ~20% of a 784x128x256
                // TN GEMM (probe: 53 us of ~260).
                for (int p = 0; p < kc; p++) {
                    FloatVector.fromArray(HALF_F, a, aOff + (p0 + p) * lda + row0 + i).intoArray(dst, panel + p * mr);
                }
            } else if (trans && h == mr && mr == 4) {
                // MR = 4 (256 and 128 bits): four plain copies per k step. A 128-bit vector here, beside the
                // kernels' 256-bit ones, was left boxed by C2 in every kernel AllocationTest JVM on Zen 3 (7.9 KB
                // per 33x29x31 TN call: the JDK methods' type profiles mix the two vector classes), and
                // System.arraycopy costs a call per k step.
                for (int p = 0; p < kc; p++) {
                    int src = aOff + (p0 + p) * lda + row0 + i, d = panel + p * 4;
                    dst[d] = a[src];
                    dst[d + 1] = a[src + 1];
                    dst[d + 2] = a[src + 2];
                    dst[d + 3] = a[src + 3];
                }
            } else if (trans) {
                // op(A)(r, p) = a[p * lda + r]: each k step reads h consecutive values.
                for (int p = 0; p < kc; p++) {
                    int src = aOff + (p0 + p) * lda + row0 + i;
                    int d = panel + p * mr;
                    System.arraycopy(a, src, dst, d, h);
                    if (h < mr) {
                        Arrays.fill(dst, d + h, d + mr, 0f);
                    }
                }
            } else {
                int rowsSrc = aOff + (row0 + i) * lda + p0;
                // Full 8-row panels at 512 bits: 8 x 16 blocks through registers (4-5 x the strided copy below,
                // which cost ~4% of a 1024^3 GEMM); the last kc mod 16 steps and other shapes take the copy.
                int from = h == PANEL_ROWS && packsAInBlocks(mr) ? transposeRows(a, rowsSrc, lda, kc, dst, panel) : 0;
                // Read each row contiguously, write with stride mr.
                for (int r = 0; r < h; r++) {
                    int src = rowsSrc + r * lda;
                    int d = panel + r;
                    for (int p = from; p < kc; p++) {
                        dst[d + p * mr] = a[src + p];
                    }
                }
                for (int r = h; r < mr; r++) {
                    for (int p = 0; p < kc; p++) {
                        dst[panel + r + p * mr] = 0f;
                    }
                }
            }
        }
    }

    /** Whether full untransposed float A panels of height mr are packed by in-register 8 x 16 blocks. */
    static boolean packsAInBlocks(int mr) {
        return mr == PANEL_ROWS && MicroKernelF32.L == Transposes.F32X16_S.length();
    }

    /** k steps [0, kc - kc mod 16) of one full 8-row float A panel by in-register blocks; returns where it stopped. */
    private static int transposeRows(float[] a, int src, int lda, int kc, float[] dst, int panel) {
        int p = 0;
        for (; p + 16 <= kc; p += 16) {
            Transposes.f32x8x16(a, src + p, lda, dst, panel + p * PANEL_ROWS);
        }
        return p;
    }

    /** Packs op(B)[p0 : p0 + kc, col0 : col0 + cols] into NR-column panels at dst[dstOff ..]. */
    static void packB(boolean trans, float[] b, int bOff, int ldb, int p0, int kc, int col0, int cols, int nr,
                      float[] dst, int dstOff) {
        for (int j = 0; j < cols; j += nr) {
            int panel = dstOff + j * kc;
            int w = Math.min(nr, cols - j);
            if (trans && w == nr) {
                // op(B)(p, c) = b[c * ldb + p]: L x L blocks transposed in registers, L the vector length (the last
                // kc mod L steps by a partial transpose or copied); measured faster than the strided copy below and
                // than a gather of one vector of columns per k step, which C2 also left boxed in some JVMs.
                int lanes = MicroKernelF32.L;
                for (int v = 0; v < nr; v += lanes) {
                    int src = bOff + (col0 + j + v) * ldb + p0;
                    int p = transposeBlocks(b, src, ldb, kc, dst, panel + v, nr);
                    transposeRest(b, src, ldb, p, kc, dst, panel + v, nr);
                }
            } else if (trans) {
                // Edge panel: read each stored row contiguously, write with stride nr.
                for (int col = 0; col < w; col++) {
                    int src = bOff + (col0 + j + col) * ldb + p0;
                    int d = panel + col;
                    for (int p = 0; p < kc; p++) {
                        dst[d + p * nr] = b[src + p];
                    }
                }
                for (int col = w; col < nr; col++) {
                    for (int p = 0; p < kc; p++) {
                        dst[panel + col + p * nr] = 0f;
                    }
                }
            } else if (w == nr) {
                // Vector copies: System.arraycopy of one NR row per k step cost twice as much (its call per row).
                int lanes = MicroKernelF32.L;
                for (int p = 0; p < kc; p++) {
                    int src = bOff + (p0 + p) * ldb + col0 + j, d = panel + p * nr;
                    for (int v = 0; v < nr; v += lanes) {
                        FloatVector.fromArray(MicroKernelF32.S, b, src + v).intoArray(dst, d + v);
                    }
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int d = panel + p * nr;
                    System.arraycopy(b, bOff + (p0 + p) * ldb + col0 + j, dst, d, w);
                    Arrays.fill(dst, d + w, d + nr, 0f);
                }
            }
        }
    }

    /** Packs op(A)[row0 : row0 + rows, p0 : p0 + kc] into MR-row panels at dst[0 ..]. */
    static void packA(boolean trans, double[] a, int aOff, int lda, int row0, int rows, int p0, int kc, int mr,
                      double[] dst) {
        for (int i = 0; i < rows; i += mr) {
            int panel = i * kc;
            int h = Math.min(mr, rows - i);
            if (trans && h == mr && mr <= MicroKernelF64.L) {
                // op(A)(r, p) = a[p * lda + r]: each k step copies MR consecutive values, one vector (6 of 8 lanes
                // under a mask at 512 bits; a whole vector at 256, where AVX2's masked stores are slow).
                // System.arraycopy per k step took twice the kernels' time in a 128x128x20 double TN GEMM (JMH stack
                // profile, GEMM-NOTES.md "Session 16").
                VectorMask<Double> panelRows = MicroKernelF64.S.indexInRange(0, mr);
                boolean whole = mr == MicroKernelF64.L;
                for (int p = 0; p < kc; p++) {
                    int src = aOff + (p0 + p) * lda + row0 + i;
                    int d = panel + p * mr;
                    if (whole) {
                        DoubleVector.fromArray(MicroKernelF64.S, a, src).intoArray(dst, d);
                    } else {
                        DoubleVector.fromArray(MicroKernelF64.S, a, src, panelRows).intoArray(dst, d, panelRows);
                    }
                }
            } else if (trans) {
                // op(A)(r, p) = a[p * lda + r]: each k step reads h consecutive values.
                for (int p = 0; p < kc; p++) {
                    int src = aOff + (p0 + p) * lda + row0 + i;
                    int d = panel + p * mr;
                    System.arraycopy(a, src, dst, d, h);
                    if (h < mr) {
                        Arrays.fill(dst, d + h, d + mr, 0.0);
                    }
                }
            } else {
                // Read each row contiguously, write with stride mr.
                for (int r = 0; r < h; r++) {
                    int src = aOff + (row0 + i + r) * lda + p0;
                    int d = panel + r;
                    for (int p = 0; p < kc; p++) {
                        dst[d + p * mr] = a[src + p];
                    }
                }
                for (int r = h; r < mr; r++) {
                    for (int p = 0; p < kc; p++) {
                        dst[panel + r + p * mr] = 0.0;
                    }
                }
            }
        }
    }

    /** Packs op(B)[p0 : p0 + kc, col0 : col0 + cols] into NR-column panels at dst[dstOff ..]. */
    static void packB(boolean trans, double[] b, int bOff, int ldb, int p0, int kc, int col0, int cols, int nr,
                      double[] dst, int dstOff) {
        for (int j = 0; j < cols; j += nr) {
            int panel = dstOff + j * kc;
            int w = Math.min(nr, cols - j);
            if (trans && w == nr) {
                // op(B)(p, c) = b[c * ldb + p]: L x L blocks transposed in registers, L the vector length (the last
                // kc mod L steps by a partial transpose or copied); measured faster than the strided copy below and
                // than a gather of one vector of columns per k step, which C2 also left boxed in some JVMs.
                int lanes = MicroKernelF64.L;
                for (int v = 0; v < nr; v += lanes) {
                    int src = bOff + (col0 + j + v) * ldb + p0;
                    int p = transposeBlocks(b, src, ldb, kc, dst, panel + v, nr);
                    transposeRest(b, src, ldb, p, kc, dst, panel + v, nr);
                }
            } else if (trans) {
                // Edge panel: read each stored row contiguously, write with stride nr.
                for (int col = 0; col < w; col++) {
                    int src = bOff + (col0 + j + col) * ldb + p0;
                    int d = panel + col;
                    for (int p = 0; p < kc; p++) {
                        dst[d + p * nr] = b[src + p];
                    }
                }
                for (int col = w; col < nr; col++) {
                    for (int p = 0; p < kc; p++) {
                        dst[panel + col + p * nr] = 0.0;
                    }
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int d = panel + p * nr;
                    System.arraycopy(b, bOff + (p0 + p) * ldb + col0 + j, dst, d, w);
                    if (w < nr) {
                        Arrays.fill(dst, d + w, d + nr, 0.0);
                    }
                }
            }
        }
    }

    /**
     * The k steps [0, kc - kc mod L) of L columns (L = the vector length) by L x L in-register transposes; returns
     * where it stopped (0 at a width without a generated transpose, where {@link #transposeRest} copies them all).
     */
    private static int transposeBlocks(float[] b, int src, int ldb, int kc, float[] dst, int d, int nr) {
        int lanes = MicroKernelF32.L, p = 0;
        if (!F32_TRANSPOSES) {
            return 0;
        }
        for (; p + lanes <= kc; p += lanes) {
            switch (lanes) { // a constant: C2 keeps one arm
                case 16 -> Transposes.f32x16(b, src + p, ldb, dst, d + p * nr, nr);
                case 8 -> Transposes.f32x8(b, src + p, ldb, dst, d + p * nr, nr);
                default -> Transposes.f32x4(b, src + p, ldb, dst, d + p * nr, nr);
            }
        }
        return p;
    }

    /**
     * The last kc mod L k steps of L transposed columns, from {@code from}: one L x L transpose keeping the first
     * kc - from of its rows, where the scalar copy cost a quarter of a 128x10x128 NT call; the scalar copy stays for a
     * block whose last stored row has fewer than L elements left in the array (the transpose reads whole rows). A
     * gather here, run once per panel, was left uncompiled by C2 in some JVMs (boxed vectors in the mlp
     * AllocationTest).
     */
    private static void transposeRest(float[] b, int src, int ldb, int from, int kc, float[] dst, int d, int nr) {
        int lanes = MicroKernelF32.L;
        if (from == kc) {
            return;
        }
        if (F32_TRANSPOSES && (long) src + from + (lanes - 1L) * ldb + lanes <= b.length) {
            int dOff = d + from * nr, count = kc - from;
            switch (lanes) {
                case 16 -> Transposes.f32x16Head(b, src + from, ldb, count, dst, dOff, nr);
                case 8 -> Transposes.f32x8Head(b, src + from, ldb, count, dst, dOff, nr);
                default -> Transposes.f32x4Head(b, src + from, ldb, count, dst, dOff, nr);
            }
            return;
        }
        for (int c = 0; c < lanes; c++) {
            for (int p = from; p < kc; p++) {
                dst[d + p * nr + c] = b[src + c * ldb + p];
            }
        }
    }

    /**
     * The k steps [0, kc - kc mod 8) of 8 columns by 8 x 8 in-register transposes at 512 bits; returns where it
     * stopped (0 at other widths, where {@link #transposeRest} copies them all).
     */
    private static int transposeBlocks(double[] b, int src, int ldb, int kc, double[] dst, int d, int nr) {
        int p = 0;
        if (!F64_TRANSPOSES) {
            return 0;
        }
        for (; p + 8 <= kc; p += 8) {
            Transposes.f64x8(b, src + p, ldb, dst, d + p * nr, nr);
        }
        return p;
    }

    /**
     * The last kc mod L k steps of L transposed columns, from {@code from}: one L x L transpose keeping the first
     * kc - from of its rows, where the scalar copy cost a quarter of a 128x10x128 NT call; the scalar copy stays for a
     * block whose last stored row has fewer than L elements left in the array (the transpose reads whole rows). A
     * gather here, run once per panel, was left uncompiled by C2 in some JVMs (boxed vectors in the mlp
     * AllocationTest).
     */
    private static void transposeRest(double[] b, int src, int ldb, int from, int kc, double[] dst, int d, int nr) {
        int lanes = MicroKernelF64.L;
        if (from == kc) {
            return;
        }
        if (F64_TRANSPOSES && (long) src + from + (lanes - 1L) * ldb + lanes <= b.length) {
            int dOff = d + from * nr, count = kc - from;
            Transposes.f64x8Head(b, src + from, ldb, count, dst, dOff, nr);
            return;
        }
        for (int c = 0; c < lanes; c++) {
            for (int p = from; p < kc; p++) {
                dst[d + p * nr + c] = b[src + c * ldb + p];
            }
        }
    }
}
