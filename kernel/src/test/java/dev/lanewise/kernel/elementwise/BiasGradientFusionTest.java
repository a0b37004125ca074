package dev.lanewise.kernel.elementwise;

import dev.lanewise.kernel.Activation;
import dev.lanewise.kernel.spi.KernelProvider;
import dev.lanewise.kernel.spi.Providers;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The fused activation backward + bias gradient against the two unfused kernels it replaces (activationBackward,
 * then columnSums), for both providers, on random shapes with tails, beta ∈ {0, 1, −0.5}, and the facade's
 * validation (nothing written when it throws).
 */
class BiasGradientFusionTest {

    @Test
    void fusedEqualsBackwardThenColumnSums() {
        List<KernelProvider> providers = new ArrayList<>(List.of(Providers.scalar()));
        if (Providers.vectorAvailable()) {
            providers.add(Providers.vector());
        }
        SplittableRandom rnd = new SplittableRandom(3);
        for (KernelProvider p : providers) {
            for (Activation.Function f : Activation.Function.values()) {
                for (float beta : new float[]{0f, 1f, -0.5f}) {
                    int m = 1 + rnd.nextInt(40), n = 1 + rnd.nextInt(70), off = rnd.nextInt(4);
                    float[] operand = new float[off + m * n], dy = new float[off + m * n];
                    for (int i = 0; i < m * n; i++) {
                        operand[off + i] = (float) (rnd.nextDouble() * 2 - 1);
                        dy[off + i] = (float) (rnd.nextDouble() * 2 - 1);
                    }
                    float[] bias = new float[n + 1];
                    float[] biasRef = new float[n + 1];
                    for (int c = 0; c < n; c++) {
                        bias[1 + c] = biasRef[1 + c] = beta == 0 ? Float.NaN : (float) rnd.nextDouble();
                    }
                    float[] dz = new float[off + m * n], dzRef = new float[off + m * n];
                    p.activationBackwardBiasGradient(f, 0.01f, m, n, operand, off, dy, off, dz, off, beta, bias, 1);
                    p.activationBackward(f, 0.01f, m * n, operand, off, dy, off, dzRef, off);
                    p.columnSums(m, n, dzRef, off, n, beta, biasRef, 1);
                    if (p.name().equals("scalar")) {
                        assertThat(dz).as("%s %s dz", p.name(), f).containsExactly(dzRef);
                    } else {
                        // The vector kernels finish with a scalar tail over the last partial vector, and the fused
                        // kernel's tail is per row while the unfused one's is over the flattened array: the same
                        // element may come from the float vector formula in one and the double scalar one in the
                        // other. For |z| <= 1 those differ by a few roundings of the terms of f', each <= |dy|.
                        for (int i = 0; i < m * n; i++) {
                            assertThat((double) dz[off + i]).as("%s %s dz[%d]", p.name(), f, i).isCloseTo(
                                    dzRef[off + i], Offset.offset(64 * Math.ulp(1f)
                                            * (Math.abs(dzRef[off + i]) + Math.abs(dy[off + i])) + 1e-30));
                        }
                    }
                    // Both sum m float terms in row order (fused) or in the provider's own order: error bound
                    // m·ε·Σ|dz| each, so 2·m·ε·Σ|dz| apart.
                    for (int c = 0; c < n; c++) {
                        double abs = Math.abs(beta * biasRef[1 + c]);
                        for (int r = 0; r < m; r++) {
                            abs += Math.abs(dzRef[off + r * n + c]);
                        }
                        assertThat((double) bias[1 + c]).as("%s %s beta %s c=%d", p.name(), f, beta, c)
                                .isCloseTo(biasRef[1 + c], Offset.offset(2.0 * (m + 1) * Math.ulp(1f) * abs + 1e-30));
                    }
                    assertThat(bias[0]).isZero();
                }
            }
        }
    }

    @Test
    void facadeValidatesBeforeWriting() {
        float[] bias = {7f, 7f};
        float[] dz = new float[6];
        assertThatThrownBy(() -> Activation.RELU.backwardWithBiasGradient(3, 2, new float[6], 0, new float[5], 0, dz, 0,
                0f, bias, 0)).isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("dy");
        assertThatThrownBy(() -> Activation.SIGMOID.backwardWithBiasGradient(3, 2, new float[6], 0, new float[6], 0, dz,
                0, 0f, new float[1], 0)).isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("biasGrad");
        assertThat(bias).containsExactly(7f, 7f);
        assertThat(dz).containsOnly(0f);
        Activation.RELU.backwardWithBiasGradient(3, 2, new float[]{1, -1, 1, 1, -1, 1}, 0, new float[]{1, 2, 3, 4, 5, 6},
                0, dz, 0, 0f, bias, 0);
        assertThat(dz).containsExactly(1, 0, 3, 4, 0, 6);
        assertThat(bias).containsExactly(4f, 10f);
    }
}
