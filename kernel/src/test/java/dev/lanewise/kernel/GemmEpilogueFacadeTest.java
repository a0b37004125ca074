package dev.lanewise.kernel;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fused-GEMM facade: argument checks name the argument and leave C and the pre-activation untouched. */
class GemmEpilogueFacadeTest {
    private final float[] a = new float[6];
    private final float[] b = new float[12];
    private final float[] c = filled(8);
    private final float[] pre = filled(8);

    private static float[] filled(int n) {
        float[] x = new float[n];
        Arrays.fill(x, 7f);
        return x;
    }

    private void fused(Epilogue.OfFloat e) {
        Gemm.gemm(Transpose.NONE, Transpose.NONE, 2, 4, 3, 1f, a, 0, 3, b, 0, 4, 0f, c, 0, 4, e);
    }

    @Test
    void biasTooShortIsRejectedBeforeWriting() {
        assertThatThrownBy(() -> fused(Epilogue.of(new float[3], 0, Activation.RELU)))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("bias");
        assertThatThrownBy(() -> fused(Epilogue.of(new float[4], 1, Activation.RELU)))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("bias");
        assertThat(c).containsOnly(7f);
    }

    @Test
    void preActivationOutOfBoundsIsRejectedBeforeWriting() {
        assertThatThrownBy(() -> fused(Epilogue.ofFloat(Activation.TANH).withPreActivation(pre, 1, 4)))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("preActivation");
        assertThatThrownBy(() -> fused(Epilogue.ofFloat(Activation.TANH).withPreActivation(pre, 0, 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("preActivation");
        assertThat(c).containsOnly(7f);
        assertThat(pre).containsOnly(7f);
    }

    @Test
    void nullsAreNamed() {
        assertThatThrownBy(() -> fused(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("epilogue");
        assertThatThrownBy(() -> Epilogue.ofFloat(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("activation");
        assertThat(c).containsOnly(7f);
    }

    @Test
    void fusedLayerComputesReluOfProductPlusBias() {
        float[] ones = {1, 1, 1, 1, 1, 1};
        float[] bm = new float[12];
        for (int i = 0; i < 12; i++) {
            bm[i] = i % 4 - 1.5f; // columns -1.5, -0.5, 0.5, 1.5 (summed over k = 3 rows)
        }
        float[] z = new float[8];
        Gemm.gemm(Transpose.NONE, Transpose.NONE, 2, 4, 3, 1f, ones, 0, 3, bm, 0, 4, 0f, c, 0, 4,
                Epilogue.of(new float[] {1, 1, 1, 1}, 0, Activation.RELU).withPreActivation(z, 0, 4));
        // Z = 3 * column value + 1 = -3.5, -0.5, 2.5, 5.5 in each row; ReLU zeroes the negatives.
        assertThat(z).containsExactly(-3.5f, -0.5f, 2.5f, 5.5f, -3.5f, -0.5f, 2.5f, 5.5f);
        assertThat(c).containsExactly(0f, 0f, 2.5f, 5.5f, 0f, 0f, 2.5f, 5.5f);
    }

    @Test
    void threadCountIsValidated() {
        assertThatThrownBy(() -> Parallelism.setThreads(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("threads");
    }
}
