package dev.lanewise.kernel.vector.gemm;

import dev.lanewise.kernel.Activation;
import dev.lanewise.kernel.spi.KernelProvider;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/** The float side of {@link GemmDriver}. */
final class FloatOps extends Precision<float[]> {
    private static final VectorSpecies<Float> S = MicroKernelF32.S;
    private static final boolean WIDE = BlockSizes.wideRegisterFile(S.vectorBitSize());
    private static final int ALONG_M_VECTORS = BlockSizes.alongMVectors(S.vectorBitSize());

    /** The general shape. */
    static final FloatOps INSTANCE = new FloatOps(BlockSizes.of(S.length(), S.vectorBitSize(), Float.BYTES));
    /** For C at most one vector wide. */
    static final FloatOps NARROW_ONE = new FloatOps(BlockSizes.narrow(S.length(), S.vectorBitSize(), Float.BYTES, 1));
    /** For C more than one and at most two vectors wide. */
    static final FloatOps NARROW_TWO = new FloatOps(BlockSizes.narrow(S.length(), S.vectorBitSize(), Float.BYTES, 2));

    private FloatOps(BlockSizes sizes) {
        super(sizes);
    }

    /** The variant for an n-column C. */
    static FloatOps forColumns(int n) {
        return n <= S.length() ? NARROW_ONE : n <= 2 * S.length() ? NARROW_TWO : INSTANCE;
    }

    @Override
    int lanes() {
        return S.length();
    }

    @Override
    int packAMinColumns() {
        return Packing.packsAInBlocks(sizes.mr()) ? GemmDriver.BLOCKED_PACK_A_MIN_PANELS * sizes.nr()
                : GemmDriver.PACK_A_MIN_COLUMNS;
    }

    @Override
    float[] allocate(int length) {
        return new float[length];
    }

    @Override
    int length(float[] array) {
        return array.length;
    }

    @Override
    void packA(boolean trans, float[] a, int aOff, int lda, int row0, int rows, int p0, int kc, float[] dst) {
        Packing.packA(trans, a, aOff, lda, row0, rows, p0, kc, sizes.mr(), dst);
    }

    @Override
    void packB(boolean trans, float[] b, int bOff, int ldb, int p0, int kc, int col0, int cols, float[] dst,
               int dstOff) {
        Packing.packB(trans, b, bOff, ldb, p0, kc, col0, cols, sizes.nr(), dst, dstOff);
    }

    // beta picks one of two kernels rather than a branch inside one: C2 recompiled the one-method form with both
    // branches hot at half speed (kernel/GEMM-NOTES.md, session 11).
    @Override
    void kernel(int kc, float[] packedA, int aOff, float[] packedB, int bOff, double alpha, double beta, float[] c,
                int cOff, int ldc) {
        float al = (float) alpha, be = (float) beta;
        if (WIDE) {
            if (be == 0) {
                MicroKernelF32.kernel8x2(kc, packedA, aOff, packedB, bOff, al, c, cOff, ldc);
            } else {
                MicroKernelF32.accumulate8x2(kc, packedA, aOff, packedB, bOff, al, be, c, cOff, ldc);
            }
        } else {
            if (be == 0) {
                MicroKernelF32.kernel4x2(kc, packedA, aOff, packedB, bOff, al, c, cOff, ldc);
            } else {
                MicroKernelF32.accumulate4x2(kc, packedA, aOff, packedB, bOff, al, be, c, cOff, ldc);
            }
        }
    }

    @Override
    void kernelDirect(int kc, float[] a, int aOff, int lda, float[] packedB, int bOff, double alpha, double beta,
                      float[] c, int cOff, int ldc) {
        float al = (float) alpha, be = (float) beta;
        if (WIDE) {
            if (be == 0) {
                MicroKernelF32.kernel8x2Direct(kc, a, aOff, lda, packedB, bOff, al, c, cOff, ldc);
            } else {
                MicroKernelF32.accumulate8x2Direct(kc, a, aOff, lda, packedB, bOff, al, be, c, cOff, ldc);
            }
        } else {
            if (be == 0) {
                MicroKernelF32.kernel4x2Direct(kc, a, aOff, lda, packedB, bOff, al, c, cOff, ldc);
            } else {
                MicroKernelF32.accumulate4x2Direct(kc, a, aOff, lda, packedB, bOff, al, be, c, cOff, ldc);
            }
        }
    }

    @Override
    void kernelPackB(int kc, boolean direct, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] packedB,
                     int pOff, double alpha, double beta, float[] c, int cOff, int ldc) {
        float al = (float) alpha, be = (float) beta;
        if (WIDE && direct) {
            if (be == 0) {
                MicroKernelF32.kernel8x2DirectPackB(kc, a, aOff, lda, b, bOff, ldb, packedB, pOff, al, c, cOff, ldc);
            } else {
                MicroKernelF32.accumulate8x2DirectPackB(kc, a, aOff, lda, b, bOff, ldb, packedB, pOff, al, be, c, cOff, ldc);
            }
        } else if (WIDE) {
            if (be == 0) {
                MicroKernelF32.kernel8x2PackB(kc, a, aOff, b, bOff, ldb, packedB, pOff, al, c, cOff, ldc);
            } else {
                MicroKernelF32.accumulate8x2PackB(kc, a, aOff, b, bOff, ldb, packedB, pOff, al, be, c, cOff, ldc);
            }
        } else if (direct) {
            if (be == 0) {
                MicroKernelF32.kernel4x2DirectPackB(kc, a, aOff, lda, b, bOff, ldb, packedB, pOff, al, c, cOff, ldc);
            } else {
                MicroKernelF32.accumulate4x2DirectPackB(kc, a, aOff, lda, b, bOff, ldb, packedB, pOff, al, be, c, cOff, ldc);
            }
        } else {
            if (be == 0) {
                MicroKernelF32.kernel4x2PackB(kc, a, aOff, b, bOff, ldb, packedB, pOff, al, c, cOff, ldc);
            } else {
                MicroKernelF32.accumulate4x2PackB(kc, a, aOff, b, bOff, ldb, packedB, pOff, al, be, c, cOff, ldc);
            }
        }
    }

    @Override
    void narrowKernel(int kc, float[] a, int aOff, int rowStep, int kStep, float[] b, int bOff, int ldb, int rows,
                      int n, double alpha, float[] tile) {
        int mr = sizes.narrowKernelRows(rows);
        MicroKernelF32.narrow(mr, sizes.nv(), kc, a, aOff, rowStep, kStep, b, bOff, ldb, rows, n, (float) alpha, tile);
    }

    @Override
    int elementBits() {
        return Float.SIZE;
    }

    @Override
    void alongMKernel(int kc, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, int cols, double alpha,
                      float[] tile) {
        MicroKernelF32.alongM(ALONG_M_VECTORS, cols, kc, a, aOff, lda, b, bOff, ldb, (float) alpha, tile);
    }

    @Override
    void mergeColumns(float[] tile, int tOff, int ldt, int rows, int cols, double beta, float[] c, int cOff,
                      int ldc) {
        // Scalar: a transposing store has no contiguous vector on either side. Math.fma rounds as the vector fma
        // of mergeEdge does, so both paths store the same bits.
        if (beta == 0) {
            for (int r = 0; r < rows; r++) {
                for (int j = 0, ci = cOff + r * ldc, ti = tOff + r; j < cols; j++, ti += ldt) {
                    c[ci + j] = tile[ti];
                }
            }
            return;
        }
        float vb = (float) beta;
        for (int r = 0; r < rows; r++) {
            for (int j = 0, ci = cOff + r * ldc, ti = tOff + r; j < cols; j++, ti += ldt) {
                c[ci + j] = Math.fma(c[ci + j], vb, tile[ti]);
            }
        }
    }

    @Override
    void mergeEdgeAddBias(float[] tile, int ldt, int rows, int cols, double beta, float[] c, int cOff, int ldc,
                          float[] bias, int biasOff) {
        FloatVector vb = FloatVector.broadcast(S, (float) beta);
        for (int j = 0; j < cols; j += S.length()) {
            VectorMask<Float> m = S.indexInRange(j, cols);
            FloatVector vbias = FloatVector.fromArray(S, bias, biasOff + j, m);
            if (beta == 0) {
                for (int r = 0; r < rows; r++) {
                    FloatVector.fromArray(S, tile, r * ldt + j).add(vbias).intoArray(c, cOff + r * ldc + j, m);
                }
            } else {
                for (int r = 0; r < rows; r++) {
                    int ci = cOff + r * ldc + j;
                    FloatVector.fromArray(S, c, ci, m).fma(vb, FloatVector.fromArray(S, tile, r * ldt + j)).add(vbias)
                            .intoArray(c, ci, m);
                }
            }
        }
    }

    @Override
    void mergeEdge(float[] tile, int ldt, int rows, int cols, double beta, float[] c, int cOff, int ldc) {
        // The kernel's own store: C * beta + tile with one rounding (fma), or tile alone when beta == 0. Separate
        // loops, not one with a vector chosen by beta: C2 boxed that merged vector in some JVMs (mlp AllocationTest),
        // now that every narrow panel passes through here. Column chunks outside, rows inside, as in
        // mergeEdgeAddBias: each chunk's mask is made once, not once per row, and the tile's rows are whole vectors
        // (ldt = NR), so only C is accessed under it; a mask per row and masked tile loads were ~20% of a
        // 128x128x10 call.
        FloatVector vb = FloatVector.broadcast(S, (float) beta);
        for (int j = 0; j < cols; j += S.length()) {
            VectorMask<Float> m = S.indexInRange(j, cols);
            if (beta == 0) {
                for (int r = 0; r < rows; r++) {
                    FloatVector.fromArray(S, tile, r * ldt + j).intoArray(c, cOff + r * ldc + j, m);
                }
            } else {
                for (int r = 0; r < rows; r++) {
                    int ci = cOff + r * ldc + j;
                    FloatVector.fromArray(S, c, ci, m).fma(vb, FloatVector.fromArray(S, tile, r * ldt + j))
                            .intoArray(c, ci, m);
                }
            }
        }
    }

    @Override
    void scale(int rows, int cols, double beta, float[] c, int cOff, int ldc) {
        float b = (float) beta;
        for (int r = 0; r < rows; r++) {
            int ci = cOff + r * ldc;
            for (int j = 0; j < cols; j++) {
                c[ci + j] = b == 0 ? 0f : b * c[ci + j];
            }
        }
    }

    @Override
    void copy(int n, float[] src, int srcOff, float[] dst, int dstOff) {
        System.arraycopy(src, srcOff, dst, dstOff, n);
    }

    @Override
    void addBias(int n, float[] x, int xOff, float[] bias, int biasOff) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector.fromArray(S, x, xOff + i).add(FloatVector.fromArray(S, bias, biasOff + i))
                    .intoArray(x, xOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector.fromArray(S, x, xOff + i, m).add(FloatVector.fromArray(S, bias, biasOff + i, m))
                    .intoArray(x, xOff + i, m);
        }
    }

    @Override
    void activate(KernelProvider activations, Activation.Function f, double param, int n, float[] x, int xOff) {
        activations.activationForward(f, (float) param, n, x, xOff, x, xOff);
    }
}
