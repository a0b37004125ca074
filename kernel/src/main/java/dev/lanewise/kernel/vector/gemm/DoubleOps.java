package dev.lanewise.kernel.vector.gemm;

import dev.lanewise.kernel.Activation;
import dev.lanewise.kernel.spi.KernelProvider;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/** The double side of {@link GemmDriver}. */
final class DoubleOps extends Precision<double[]> {
    private static final VectorSpecies<Double> S = MicroKernelF64.S;
    private static final boolean WIDE = BlockSizes.wideRegisterFile(S.vectorBitSize());
    private static final int ALONG_M_VECTORS = BlockSizes.alongMVectors(S.vectorBitSize());

    /** The general shape. */
    static final DoubleOps INSTANCE = new DoubleOps(BlockSizes.of(S.length(), S.vectorBitSize(), Double.BYTES));
    /** For C at most one vector wide. */
    static final DoubleOps NARROW_ONE =
            new DoubleOps(BlockSizes.narrow(S.length(), S.vectorBitSize(), Double.BYTES, 1));
    /** For C more than one and at most two vectors wide. */
    static final DoubleOps NARROW_TWO =
            new DoubleOps(BlockSizes.narrow(S.length(), S.vectorBitSize(), Double.BYTES, 2));

    private DoubleOps(BlockSizes sizes) {
        super(sizes);
    }

    /** The variant for an n-column C. */
    static DoubleOps forColumns(int n) {
        return n <= S.length() ? NARROW_ONE : n <= 2 * S.length() ? NARROW_TWO : INSTANCE;
    }

    @Override
    int lanes() {
        return S.length();
    }

    @Override
    int packAMinColumns() {
        return GemmDriver.PACK_A_MIN_COLUMNS;
    }

    @Override
    double[] allocate(int length) {
        return new double[length];
    }

    @Override
    int length(double[] array) {
        return array.length;
    }

    @Override
    void packA(boolean trans, double[] a, int aOff, int lda, int row0, int rows, int p0, int kc, double[] dst) {
        Packing.packA(trans, a, aOff, lda, row0, rows, p0, kc, sizes.mr(), dst);
    }

    @Override
    void packB(boolean trans, double[] b, int bOff, int ldb, int p0, int kc, int col0, int cols, double[] dst,
               int dstOff) {
        Packing.packB(trans, b, bOff, ldb, p0, kc, col0, cols, sizes.nr(), dst, dstOff);
    }

    // beta picks one of two kernels rather than a branch inside one: C2 recompiled the one-method form with both
    // branches hot at half speed (kernel/GEMM-NOTES.md, session 11).
    @Override
    void kernel(int kc, double[] packedA, int aOff, double[] packedB, int bOff, double alpha, double beta, double[] c,
                int cOff, int ldc) {
        double al = alpha, be = beta;
        if (WIDE) {
            if (be == 0) {
                MicroKernelF64.kernel6x3(kc, packedA, aOff, packedB, bOff, al, c, cOff, ldc);
            } else {
                MicroKernelF64.accumulate6x3(kc, packedA, aOff, packedB, bOff, al, be, c, cOff, ldc);
            }
        } else {
            if (be == 0) {
                MicroKernelF64.kernel4x2(kc, packedA, aOff, packedB, bOff, al, c, cOff, ldc);
            } else {
                MicroKernelF64.accumulate4x2(kc, packedA, aOff, packedB, bOff, al, be, c, cOff, ldc);
            }
        }
    }

    @Override
    void kernelDirect(int kc, double[] a, int aOff, int lda, double[] packedB, int bOff, double alpha, double beta,
                      double[] c, int cOff, int ldc) {
        double al = alpha, be = beta;
        if (WIDE) {
            if (be == 0) {
                MicroKernelF64.kernel6x3Direct(kc, a, aOff, lda, packedB, bOff, al, c, cOff, ldc);
            } else {
                MicroKernelF64.accumulate6x3Direct(kc, a, aOff, lda, packedB, bOff, al, be, c, cOff, ldc);
            }
        } else {
            if (be == 0) {
                MicroKernelF64.kernel4x2Direct(kc, a, aOff, lda, packedB, bOff, al, c, cOff, ldc);
            } else {
                MicroKernelF64.accumulate4x2Direct(kc, a, aOff, lda, packedB, bOff, al, be, c, cOff, ldc);
            }
        }
    }

    @Override
    void kernelPackB(int kc, boolean direct, double[] a, int aOff, int lda, double[] b, int bOff, int ldb, double[] packedB,
                     int pOff, double alpha, double beta, double[] c, int cOff, int ldc) {
        double al = alpha, be = beta;
        if (WIDE && direct) {
            if (be == 0) {
                MicroKernelF64.kernel6x3DirectPackB(kc, a, aOff, lda, b, bOff, ldb, packedB, pOff, al, c, cOff, ldc);
            } else {
                MicroKernelF64.accumulate6x3DirectPackB(kc, a, aOff, lda, b, bOff, ldb, packedB, pOff, al, be, c, cOff, ldc);
            }
        } else if (WIDE) {
            if (be == 0) {
                MicroKernelF64.kernel6x3PackB(kc, a, aOff, b, bOff, ldb, packedB, pOff, al, c, cOff, ldc);
            } else {
                MicroKernelF64.accumulate6x3PackB(kc, a, aOff, b, bOff, ldb, packedB, pOff, al, be, c, cOff, ldc);
            }
        } else if (direct) {
            if (be == 0) {
                MicroKernelF64.kernel4x2DirectPackB(kc, a, aOff, lda, b, bOff, ldb, packedB, pOff, al, c, cOff, ldc);
            } else {
                MicroKernelF64.accumulate4x2DirectPackB(kc, a, aOff, lda, b, bOff, ldb, packedB, pOff, al, be, c, cOff, ldc);
            }
        } else {
            if (be == 0) {
                MicroKernelF64.kernel4x2PackB(kc, a, aOff, b, bOff, ldb, packedB, pOff, al, c, cOff, ldc);
            } else {
                MicroKernelF64.accumulate4x2PackB(kc, a, aOff, b, bOff, ldb, packedB, pOff, al, be, c, cOff, ldc);
            }
        }
    }

    @Override
    void narrowKernel(int kc, double[] a, int aOff, int rowStep, int kStep, double[] b, int bOff, int ldb, int rows,
                      int n, double alpha, double[] tile) {
        int mr = sizes.narrowKernelRows(rows);
        MicroKernelF64.narrow(mr, sizes.nv(), kc, a, aOff, rowStep, kStep, b, bOff, ldb, rows, n, alpha, tile);
    }

    @Override
    int elementBits() {
        return Double.SIZE;
    }

    @Override
    void alongMKernel(int kc, double[] a, int aOff, int lda, double[] b, int bOff, int ldb, int cols, double alpha,
                      double[] tile) {
        MicroKernelF64.alongM(ALONG_M_VECTORS, cols, kc, a, aOff, lda, b, bOff, ldb, alpha, tile);
    }

    @Override
    void mergeColumns(double[] tile, int tOff, int ldt, int rows, int cols, double beta, double[] c, int cOff,
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
        double vb = beta;
        for (int r = 0; r < rows; r++) {
            for (int j = 0, ci = cOff + r * ldc, ti = tOff + r; j < cols; j++, ti += ldt) {
                c[ci + j] = Math.fma(c[ci + j], vb, tile[ti]);
            }
        }
    }

    @Override
    void mergeEdgeAddBias(double[] tile, int ldt, int rows, int cols, double beta, double[] c, int cOff, int ldc,
                          double[] bias, int biasOff) {
        DoubleVector vb = DoubleVector.broadcast(S, beta);
        for (int j = 0; j < cols; j += S.length()) {
            VectorMask<Double> m = S.indexInRange(j, cols);
            DoubleVector vbias = DoubleVector.fromArray(S, bias, biasOff + j, m);
            if (beta == 0) {
                for (int r = 0; r < rows; r++) {
                    DoubleVector.fromArray(S, tile, r * ldt + j).add(vbias).intoArray(c, cOff + r * ldc + j, m);
                }
            } else {
                for (int r = 0; r < rows; r++) {
                    int ci = cOff + r * ldc + j;
                    DoubleVector.fromArray(S, c, ci, m).fma(vb, DoubleVector.fromArray(S, tile, r * ldt + j)).add(vbias)
                            .intoArray(c, ci, m);
                }
            }
        }
    }

    @Override
    void mergeEdge(double[] tile, int ldt, int rows, int cols, double beta, double[] c, int cOff, int ldc) {
        // The kernel's own store: C * beta + tile with one rounding (fma), or tile alone when beta == 0. Separate
        // loops, not one with a vector chosen by beta: C2 boxed that merged vector in some JVMs (mlp AllocationTest),
        // now that every narrow panel passes through here. Column chunks outside, rows inside, as in
        // mergeEdgeAddBias: each chunk's mask is made once, not once per row, and the tile's rows are whole vectors
        // (ldt = NR), so only C is accessed under it; a mask per row and masked tile loads were ~20% of a
        // 128x128x10 call.
        DoubleVector vb = DoubleVector.broadcast(S, beta);
        for (int j = 0; j < cols; j += S.length()) {
            VectorMask<Double> m = S.indexInRange(j, cols);
            if (beta == 0) {
                for (int r = 0; r < rows; r++) {
                    DoubleVector.fromArray(S, tile, r * ldt + j).intoArray(c, cOff + r * ldc + j, m);
                }
            } else {
                for (int r = 0; r < rows; r++) {
                    int ci = cOff + r * ldc + j;
                    DoubleVector.fromArray(S, c, ci, m).fma(vb, DoubleVector.fromArray(S, tile, r * ldt + j))
                            .intoArray(c, ci, m);
                }
            }
        }
    }

    @Override
    void scale(int rows, int cols, double beta, double[] c, int cOff, int ldc) {
        double b = beta;
        for (int r = 0; r < rows; r++) {
            int ci = cOff + r * ldc;
            for (int j = 0; j < cols; j++) {
                c[ci + j] = b == 0 ? 0.0 : b * c[ci + j];
            }
        }
    }

    @Override
    void copy(int n, double[] src, int srcOff, double[] dst, int dstOff) {
        System.arraycopy(src, srcOff, dst, dstOff, n);
    }

    @Override
    void addBias(int n, double[] x, int xOff, double[] bias, int biasOff) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            DoubleVector.fromArray(S, x, xOff + i).add(DoubleVector.fromArray(S, bias, biasOff + i))
                    .intoArray(x, xOff + i);
        }
        if (i < n) {
            VectorMask<Double> m = S.indexInRange(i, n);
            DoubleVector.fromArray(S, x, xOff + i, m).add(DoubleVector.fromArray(S, bias, biasOff + i, m))
                    .intoArray(x, xOff + i, m);
        }
    }

    @Override
    void activate(KernelProvider activations, Activation.Function f, double param, int n, double[] x, int xOff) {
        activations.activationForward(f, param, n, x, xOff, x, xOff);
    }
}
