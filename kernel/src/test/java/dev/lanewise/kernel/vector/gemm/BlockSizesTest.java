package dev.lanewise.kernel.vector.gemm;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The KC slicing of k: as few slices as the cap allows, near-equal, covering k exactly. */
class BlockSizesTest {

    @Test
    void sliceDepthCutsKIntoTheFewestNearEqualSlices() {
        for (int lanes : new int[] {4, 8, 16}) {
            for (int bytes : new int[] {Float.BYTES, Double.BYTES}) {
                BlockSizes bs = BlockSizes.of(lanes, lanes * bytes * 8, bytes);
                int max = bs.maxSliceDepth();
                assertThat(max).isGreaterThanOrEqualTo(bs.kc());
                assertThat(max % BlockSizes.SLICE_STEP).isZero();
                for (int k = 1; k <= 5 * max; k++) {
                    int depth = bs.sliceDepth(k);
                    int slices = (k + depth - 1) / depth;
                    int last = k - (slices - 1) * depth;
                    assertThat(depth).as("k=%d", k).isBetween(1, max);
                    assertThat(slices).as("k=%d: fewest slices", k).isEqualTo((k + max - 1) / max);
                    if (slices > 1) {
                        assertThat(depth % BlockSizes.SLICE_STEP).as("k=%d: whole transpose blocks", k).isZero();
                        assertThat(last).as("k=%d: last slice near the others", k)
                                .isGreaterThan(depth - BlockSizes.SLICE_STEP * slices);
                    } else {
                        assertThat(depth).as("k=%d: one slice", k).isEqualTo(k);
                    }
                }
            }
        }
    }

    @Test
    void theMlpDepthIsNotLeftWithAThinLastSlice() {
        BlockSizes bs = BlockSizes.of(16, 512, Float.BYTES);
        assertThat(bs.kc()).isEqualTo(384);
        assertThat(bs.sliceDepth(784)).isEqualTo(400);
        assertThat(bs.sliceDepth(384)).isEqualTo(384);
        assertThat(bs.sliceDepth(432)).isEqualTo(432);
        assertThat(bs.sliceDepth(433)).isEqualTo(224);
        assertThat(bs.sliceDepth(1024)).isEqualTo(352);
    }
}
