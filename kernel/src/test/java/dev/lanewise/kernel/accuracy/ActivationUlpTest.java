package dev.lanewise.kernel.accuracy;

import dev.lanewise.kernel.Activation;
import dev.lanewise.kernel.scalar.ScalarMath;
import dev.lanewise.kernel.spi.KernelProvider;
import dev.lanewise.kernel.spi.Providers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.EnumMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Maximum error in ULP of each float transcendental activation kernel against the double formula of
 * {@link ScalarMath} (whose error is ~1e-15 relative, far below half a float ULP, so it serves as the correctly
 * rounded reference): err = |y − ref| / ulp((float) ref). Inputs are float bit patterns in [−{@value #RANGE},
 * {@value #RANGE}], where no function here is saturated to a constant in float except at the ends (tanh beyond ±9,
 * sigmoid beyond 17 round to ±1 exactly and then count as exact). Outputs below the normal float range
 * (the far negative tails of sigmoid, GELU, SiLU) are checked absolutely instead, see {@link #worstOf}. Runs after warm-up, because lanewise EXP/TANH
 * differ between the interpreter's per-lane fallback and C2's SVML intrinsic.
 *
 * <p>The normal suite takes every {@value #DENSE_STRIDE}-th bit pattern (about 2·10⁵ per function); the exhaustive
 * sweep ({@code -Dlanewise.exhaustive=true}) takes every one (about 2.2·10⁹ per function) and prints the table.
 */
class ActivationUlpTest {
    private static final float RANGE = 20f;
    private static final int DENSE_STRIDE = 10_007;
    private static final double TARGET_ULP = 4;
    private static final Activation.Function[] TRANSCENDENTAL = {
            Activation.Function.SIGMOID, Activation.Function.TANH, Activation.Function.GELU_TANH,
            Activation.Function.GELU_ERF, Activation.Function.SILU, Activation.Function.SOFTPLUS};

    /**
     * Known gaps of issue 6, printed in the table but not asserted until fixed (measured on the dense sample):
     * GELU_TANH ~126 ULP near z = −9.9: the cubic argument u ≈ −87 is evaluated in float, and its absolute error
     * (float constants 0.044715 and 2√(2/π) alone are off by ~3e-8 relative) becomes the relative error of e^u; it
     * needs the argument in double-float or a tail formula. GELU_ERF ~107 ULP near z = −1.9: below the series /
     * fraction split Φ(z) = ½ − ½erf(|z|/√2) cancels in float; it needs the fraction (or a minimax erfc) further down.
     */
    private static final java.util.Set<Activation.Function> NOT_YET_MET =
            java.util.EnumSet.of(Activation.Function.GELU_TANH, Activation.Function.GELU_ERF);

    private static final Map<Activation.Function, Float> worstInput = new EnumMap<>(Activation.Function.class);

    private static double sweep(KernelProvider p, Activation.Function f, int stride) {
        int chunk = 4096;
        float[] z = new float[chunk];
        float[] y = new float[chunk];
        for (int i = 0; i < 300; i++) { // warm-up to C2: the measured code is the compiled one
            for (int k = 0; k < chunk; k++) {
                z[k] = (k - chunk / 2) * (RANGE / chunk);
            }
            p.activationForward(f, 0f, chunk, z, 0, y, 0);
        }
        double worst = 0;
        int top = Float.floatToRawIntBits(RANGE);
        int filled = 0;
        for (int sign = 0; sign < 2; sign++) {
            for (long bits = 0; bits <= top; bits += stride) {
                int b = (int) bits | (sign == 0 ? 0 : Integer.MIN_VALUE);
                z[filled++] = Float.intBitsToFloat(b);
                if (filled == chunk) {
                    worst = Math.max(worst, worstOf(p, f, z, y, filled));
                    filled = 0;
                }
            }
        }
        return Math.max(worst, worstOf(p, f, z, y, filled));
    }

    private static double worstOf(KernelProvider p, Activation.Function f, float[] z, float[] y, int n) {
        p.activationForward(f, 0f, n, z, 0, y, 0);
        double worst = 0;
        for (int i = 0; i < n; i++) {
            double ref = ScalarMath.forward(f, 0, z[i]);
            if (Math.abs(ref) < Float.MIN_NORMAL && !Double.isNaN(y[i])) {
                // Underflow: SVML's exp flushes results below the normal range to 0, so subnormal outputs are
                // compared absolutely (an error below the smallest normal float), not in ULP of a subnormal.
                assertThat(Math.abs(y[i] - ref)).as("%s(%s) underflow", f, z[i]).isLessThan(Float.MIN_NORMAL);
                continue;
            }
            float rounded = (float) ref;
            double err = rounded == y[i] ? 0 : Math.abs(y[i] - ref) / Math.ulp(rounded);
            if (!(err <= worst)) {
                worst = err; // NaN lands here too and fails the assertion
                worstInput.put(f, z[i]);
            }
        }
        return worst;
    }

    private static void check(KernelProvider p, int stride) {
        Map<Activation.Function, Double> table = new EnumMap<>(Activation.Function.class);
        for (Activation.Function f : TRANSCENDENTAL) {
            table.put(f, sweep(p, f, stride));
        }
        System.out.println("max ULP, float, stride " + stride + ", |z| <= " + RANGE + ", " + p.name() + ": " + table
                + ", at z = " + worstInput);
        table.forEach((f, ulp) -> {
            if (!NOT_YET_MET.contains(f)) {
                assertThat(ulp).as(f + " max ULP").isLessThanOrEqualTo(TARGET_ULP);
            }
        });
    }

    @Test
    void vectorFloatKernelsWithinTargetOnADenseSample() {
        check(Providers.vector(), DENSE_STRIDE);
    }

    @Test
    void scalarFloatKernelsWithinHalfAnUlpOnADenseSample() {
        Map<Activation.Function, Double> table = new EnumMap<>(Activation.Function.class);
        for (Activation.Function f : TRANSCENDENTAL) {
            table.put(f, sweep(Providers.scalar(), f, DENSE_STRIDE));
        }
        // The scalar twin rounds the double formula once: at most half an ULP plus the double error.
        table.forEach((f, ulp) -> assertThat(ulp).as(f + " max ULP").isLessThanOrEqualTo(0.5 + 1e-6));
    }

    @Test
    @EnabledIfSystemProperty(named = "lanewise.exhaustive", matches = "true")
    void vectorFloatKernelsWithinTargetOnEveryFloat() {
        check(Providers.vector(), 1);
    }
}
