package dev.lanewise.kernel.vector.gemm;

/**
 * Register and cache blocking for one precision, derived from the vector length and conservative cache sizes (the
 * smallest of the machines we run on: Zen 3 has 32 KiB L1d and 512 KiB L2 per core; Zen 4/5 have 32/48 KiB and 1 MiB).
 *
 * <p>Resulting sizes on AVX-512 (16 float / 8 double lanes): float 8 x 32, KC 384, NC 256, MC 1360; double
 * 6 x 24, KC 160, NC 288, MC 1638. On AVX2: float 4 x 16, KC 512, NC 192, MC 1024; double 4 x 8, KC 256, NC 192,
 * MC 1024.
 *
 * <p>Loop order (row-major C, vectors along n): for each MC-row block of A, for each KC slice of k, pack A; for each
 * NC-column block of B, pack B; for each MR-row micro-panel of A (kept in L1), for each NR-column micro-panel of B
 * (streamed from L2), run the micro-kernel. This is BLIS's loop nest with the roles of m and n swapped, because in
 * row-major the vector (streamed) side is n.
 *
 * @param mr rows of the C micro-tile (broadcast side)
 * @param nv vectors per row of the C micro-tile
 * @param nr columns of the C micro-tile, {@code nv} vector lengths
 * @param kc depth of a packed slice
 * @param mc rows of a packed A block
 * @param nc columns of a packed B block
 * @param narrow the narrow variant: A and untransposed B read in place by the {@code narrow...} kernels
 */
record BlockSizes(int mr, int nv, int nr, int kc, int mc, int nc, boolean narrow) {

    /** Conservative L1d per core (Zen 3); the A micro-panel gets 3/8 of it, the rest streams B and holds C. */
    static final int L1_BYTES = 32 * 1024;
    /** Conservative L2 per core (Zen 3); the packed B block gets 3/4 of it, the rest holds A micro-panels and C. */
    static final int L2_BYTES = 512 * 1024;
    /** The share of L3 one core may use: bounds the packed A block, which is re-read once per NC block of B. */
    static final int L3_SHARE_BYTES = 2 * 1024 * 1024;

    /**
     * AVX-512 has 32 vector registers, AVX2 and narrower 16. C2 hoists all B loads and broadcasts of one k step
     * to the top of the loop body, so accumulators + B vectors + broadcasts must fit in the register file.
     */
    static boolean wideRegisterFile(int vectorBits) {
        return vectorBits >= 512;
    }

    /**
     * The shape per register file and precision, measured on Zen 5 (see GEMM-NOTES.md): with 32 registers float
     * runs 8 x 2 vectors (16 + 2 + 8 = 26 registers; beat 6 x 3 by ~5-10%), double 6 x 3 (18 + 3 + 6 = 27; 8 x 2
     * was slower at 1024); with 16 registers both run 4 x 2 (8 + 2 + 4 = 14), which the issue measured at ~93% of
     * peak on Zen 3 where 6 x 2 spills.
     */
    static BlockSizes of(int lanes, int vectorBits, int elementBytes) {
        boolean wide = wideRegisterFile(vectorBits);
        int mr = !wide ? 4 : elementBytes == Float.BYTES ? 8 : 6;
        int nv = !wide ? 2 : elementBytes == Float.BYTES ? 2 : 3;
        int nr = nv * lanes;
        // KC: the A micro-panel (kc x mr) stays in L1 while the B micro-panels stream past it. Double keeps a
        // smaller panel because each of its k steps streams 1.5x the B bytes of float's (3 vectors vs 2).
        int aPanelBudget = elementBytes == Float.BYTES ? L1_BYTES * 3 / 8 : L1_BYTES / 4;
        int kc = Math.min(512, roundDown(aPanelBudget / (mr * elementBytes), 16));
        int nc = Math.max(nr, roundDown(L2_BYTES * 3 / 4 / (kc * elementBytes), nr));
        int mc = Math.max(mr, roundDown(L3_SHARE_BYTES / (kc * elementBytes), mr));
        return new BlockSizes(mr, nv, nr, kc, mc, nc, false);
    }

    /**
     * The narrow variant for C at most {@code nv} (1 or 2) vectors wide, e.g. a 10-class output layer: a 2- or
     * 3-vector packed tile would compute mostly padding there, so {@code nv} vectors per row and more rows, A and B
     * read in place (see {@code MicroKernelF32.narrow12x1}). One vector: 12 x 1 (12 + 1 + 12 = 25 of 32 registers)
     * or 6 x 1 (13 of 16); two vectors: 10 x 2 (20 + 2 + 10 = 32 of 32 registers; 14% faster than 8 x 2 in JMH on
     * the Intel Xeon at double 128x128x10 and float 128x128x20, GEMM-NOTES.md "Session 15") or 4 x 2 (14 of 16).
     * KC keeps the B slice (kc rows of nv vectors, re-read by every row panel) in half of L1; a transposed B is packed
     * into it. MC and NC are unused (nothing else is packed).
     */
    static BlockSizes narrow(int lanes, int vectorBits, int elementBytes, int nv) {
        boolean wide = wideRegisterFile(vectorBits);
        int mr = nv == 1 ? (wide ? 12 : 6) : (wide ? 10 : 4);
        int nr = nv * lanes;
        int kc = Math.min(512, roundDown(L1_BYTES / 2 / (nr * elementBytes), 16));
        return new BlockSizes(mr, nv, nr, kc, mr, nr, true);
    }

    /**
     * The narrow kernel's row count for a panel of {@code rows} rows: a partial 12- or 10-row panel (e.g. the last 8
     * of 128 rows) runs the 8-row kernel instead of 12 or 10 rows of FMAs.
     */
    int narrowKernelRows(int rows) {
        return mr > 8 && rows <= 8 ? 8 : mr;
    }

    /**
     * Vectors along m for a narrow C with transposed A (see {@code MicroKernelF32.alongM2x10}): {@code nv} vectors of
     * rows x up to {@link #alongMColumns} columns per call. 32 registers: 2 vectors x 10 columns (20 accumulators +
     * 2 A vectors + 10 broadcasts = 32, at ~93% of FMA peak on Zen 5 with k = 1024 in a prototype); 16 registers:
     * 1 x 6 (6 + 1 + 6 = 13), the budget of the 4 x 2 packed shape.
     */
    static int alongMVectors(int vectorBits) {
        return wideRegisterFile(vectorBits) ? 2 : 1;
    }

    /** The most columns of one along-m call; a wider C is split into near-equal column chunks. */
    static int alongMColumns(int vectorBits) {
        return wideRegisterFile(vectorBits) ? 10 : 6;
    }

    /** Slices deeper than one are cut at multiples of this: the in-register transposes pack 16 k steps at a time. */
    static final int SLICE_STEP = 16;

    /**
     * The deepest slice {@link #sliceDepth} may cut: KC plus an eighth (a multiple of {@link #SLICE_STEP}). A k just
     * past KC would otherwise leave a thin last slice (the MLP's k = 784 at KC 384: 384 + 384 + 16) that pays a whole
     * pass of C loads and stores, and a B block, for a few k steps; an eighth more A panel and B block still fit the
     * L1 and L2 budgets above.
     */
    int maxSliceDepth() {
        return roundDown(kc + kc / 8, SLICE_STEP);
    }

    /**
     * The depth of each KC slice for a product of depth k (the last one may be shorter): k cut into as few
     * near-equal slices of at most {@link #maxSliceDepth} as possible, each but the last a multiple of
     * {@link #SLICE_STEP} (so transposed packing has no scalar rest there), e.g. k = 784 at KC 384 into 400 + 384. A
     * function of k alone, so every range of C, whatever the thread count, sees the same slices.
     */
    int sliceDepth(int k) {
        int max = maxSliceDepth();
        if (k <= max) {
            return Math.max(1, k);
        }
        int slices = (k + max - 1) / max;
        int even = (k + slices - 1) / slices;
        return Math.min(max, (even + SLICE_STEP - 1) / SLICE_STEP * SLICE_STEP);
    }

    private static int roundDown(int value, int multiple) {
        return Math.max(multiple, value / multiple * multiple);
    }
}
