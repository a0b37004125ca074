package dev.lanewise.kernel.vector.gemm;

import dev.lanewise.kernel.Activation;
import dev.lanewise.kernel.spi.KernelProvider;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * What the precision-independent {@link GemmDriver} needs from float or double: buffers, packing, the micro-kernel
 * and the small element loops at tile edges. {@code A} is {@code float[]} or {@code double[]}. Scalars travel as
 * double; a float value widened to double and narrowed back is exact.
 */
abstract class Precision<A> {
    final BlockSizes sizes;
    /** Pooled tasks of this variant (their buffers are sized by {@link #sizes}). */
    final AtomicReferenceArray<GemmDriver.Task<A>> pool = new AtomicReferenceArray<>(GemmDriver.POOL_SIZE);

    Precision(BlockSizes sizes) {
        this.sizes = sizes;
    }


    abstract A allocate(int length);

    abstract int length(A array);

    abstract void packA(boolean trans, A a, int aOff, int lda, int row0, int rows, int p0, int kc, A dst);

    /** op(B)[p0 : p0 + kc, col0 : col0 + cols] into NR-column panels at dst[dstOff ..]. */
    abstract void packB(boolean trans, A b, int bOff, int ldb, int p0, int kc, int col0, int cols, A dst, int dstOff);

    abstract int lanes();

    /** The fewest columns of C from which an untransposed A is packed, not read in place by the direct kernels. */
    abstract int packAMinColumns();

    /** The full MR x NR micro-kernel: C = alpha * panelA * panelB + beta * C (beta == 0 never reads C). */
    abstract void kernel(int kc, A packedA, int aOff, A packedB, int bOff, double alpha, double beta, A c, int cOff,
                         int ldc);

    /** The same micro-kernel reading A in place: row r of the A panel starts at {@code aOff + r * lda}. */
    abstract void kernelDirect(int kc, A a, int aOff, int lda, A packedB, int bOff, double alpha, double beta, A c,
                               int cOff, int ldc);

    /**
     * {@link #kernelDirect} ({@code direct}) or {@link #kernel} (A packed; lda unused) reading the B panel in place
     * instead, row p at {@code b[bOff + p * ldb]}, and copying it into {@code packedB[pOff ..]} as it goes: the first
     * row panel of a block packs each full B panel while it computes, so the copy's reads of B (often from L3: W of
     * the MLP's layers) overlap its FMAs instead of making a pass of their own. Same FMA chain, same bits.
     */
    abstract void kernelPackB(int kc, boolean direct, A a, int aOff, int lda, A b, int bOff, int ldb, A packedB,
                              int pOff, double alpha, double beta, A c, int cOff, int ldc);

    /**
     * The narrow kernel: tile[rows x NR] = alpha * op(A) * op(B) (full vectors, row i at i * NR) for rows up to MR,
     * op(A)(i, p) at {@code a[aOff + i * rowStep + p * kStep]}, op(B) row p at {@code b[bOff + p * ldb]} read under the
     * mask of n columns; the caller merges the tile into C ({@link #mergeEdge}).
     */
    abstract void narrowKernel(int kc, A a, int aOff, int rowStep, int kStep, A b, int bOff, int ldb, int rows, int n,
                               double alpha, A tile);

    /** Rows of one along-m kernel call: its vectors times the lane count. */
    final int alongMRows() {
        return BlockSizes.alongMVectors(lanes() * elementBits()) * lanes();
    }

    /** The most columns of one along-m kernel call. */
    final int alongMColumns() {
        return BlockSizes.alongMColumns(lanes() * elementBits());
    }

    abstract int elementBits();

    /**
     * The along-m kernel for transposed A: tile[cols x alongMRows()] (column j at j * alongMRows()) = alpha *
     * op(A) * op(B) for rows aOff .. of op(A), whose k step p is {@code a[aOff + p * lda ..]}, and op(B)(p, j) at
     * {@code b[bOff + p * ldb + j]}, cols up to {@link #alongMColumns}; the caller merges with {@link #mergeColumns}.
     */
    abstract void alongMKernel(int kc, A a, int aOff, int lda, A b, int bOff, int ldb, int cols, double alpha,
                               A tile);

    /**
     * C[rows x cols] = tile + beta * C from a column-major tile (C(r, j) from {@code tile[tOff + j * ldt + r]}), the
     * kernels' own store (beta == 0: C = tile).
     */
    abstract void mergeColumns(A tile, int tOff, int ldt, int rows, int cols, double beta, A c, int cOff, int ldc);

    /** C[rows x cols] = tile + beta * C (beta == 0: C = tile), the same operation as the kernel's store. */
    abstract void mergeEdge(A tile, int ldt, int rows, int cols, double beta, A c, int cOff, int ldc);

    /**
     * {@link #mergeEdge} and then C += bias (bias[j] on column j), each rounded as when done one after the other:
     * the narrow path's last KC slice, so that the epilogue's bias pass over C is not a pass of its own.
     */
    abstract void mergeEdgeAddBias(A tile, int ldt, int rows, int cols, double beta, A c, int cOff, int ldc, A bias,
                                   int biasOff);

    /** C = beta * C (beta == 0 writes zeros without reading C). */
    abstract void scale(int rows, int cols, double beta, A c, int cOff, int ldc);

    /** dst[dstOff + i] = src[srcOff + i], i in [0, n): System.arraycopy on the typed arrays, which C2 inlines. */
    abstract void copy(int n, A src, int srcOff, A dst, int dstOff);

    /** x[xOff + i] += bias[biasOff + i], i in [0, n). */
    abstract void addBias(int n, A x, int xOff, A bias, int biasOff);

    abstract void activate(KernelProvider activations, Activation.Function f, double param, int n, A x, int xOff);
}
