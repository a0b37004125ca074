package dev.lanewise.kernel.vector.gemm;

/**
 * Register and cache blocking for one precision, derived from the vector length and conservative cache sizes (the
 * smallest of the machines we run on: Zen 3 has 32 KiB L1d and 512 KiB L2 per core; Zen 4/5 have 32/48 KiB and 1 MiB).
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
 */
record BlockSizes(int mr, int nv, int nr, int kc, int mc, int nc) {

    /** Conservative L1d per core: the A micro-panel gets a quarter, leaving room for the streamed B and the C tile. */
    static final int L1_BYTES = 32 * 1024;
    /** Conservative L2 per core: the packed B block gets half, the rest holds A micro-panels and C lines. */
    static final int L2_BYTES = 512 * 1024;
    /** The share of L3 one core may use: bounds the packed A block, which is re-read once per NC block of B. */
    static final int L3_SHARE_BYTES = 2 * 1024 * 1024;

    /**
     * AVX-512 has 32 vector registers, AVX2 and narrower 16. C2 hoists all B loads and broadcasts of one k step
     * to the top of the loop body, so accumulators + B vectors + broadcasts must fit in the register file:
     * 6 x 3 vectors takes 18 + 3 + 6 = 27 of 32; 4 x 2 takes 8 + 2 + 4 = 14 of 16.
     */
    static boolean wideRegisterFile(int vectorBits) {
        return vectorBits >= 512;
    }

    static BlockSizes of(int lanes, int vectorBits, int elementBytes) {
        boolean wide = wideRegisterFile(vectorBits);
        int mr = wide ? 6 : 4;
        int nv = wide ? 3 : 2;
        int nr = nv * lanes;
        int kc = Math.min(512, roundDown(L1_BYTES / 4 / (mr * elementBytes), 16));
        int nc = Math.max(nr, roundDown(L2_BYTES / 2 / (kc * elementBytes), nr));
        int mc = Math.max(mr, roundDown(L3_SHARE_BYTES / (kc * elementBytes), mr));
        return new BlockSizes(mr, nv, nr, kc, mc, nc);
    }

    private static int roundDown(int value, int multiple) {
        return Math.max(multiple, value / multiple * multiple);
    }
}
