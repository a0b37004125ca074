package dev.lanewise.kernel.elementwise;

import dev.lanewise.kernel.Activation;
import dev.lanewise.kernel.scalar.ScalarMath;
import dev.lanewise.kernel.spi.KernelProvider;
import dev.lanewise.kernel.spi.Providers;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Float forward kernels of the transcendental activations: the maximum error in ULP against the double formula of
 * {@link ScalarMath} rounded once (its own error is ~1e-16 relative, 1e-9 of a float ULP, so it stands for the
 * correctly rounded value), over a dense sample of every finite float where the output is a normal float and not
 * saturated. The sample walks all float bit patterns with a prime stride; {@code -Dlanewise.exhaustive=true} makes the
 * stride 1 (every float; takes hours for GELU_ERF, whose double reference is slow, minutes for the others).
 *
 * <p>The vector kernels use {@code VectorOperators.EXP/TANH}, whose results depend on the JIT tier (SVML intrinsic
 * once C2-compiled, per-lane Math before): the test warms the kernels up first so it measures the compiled code.
 */
class ActivationAccuracyTest {
    static final boolean EXHAUSTIVE = Boolean.getBoolean("lanewise.exhaustive");
    private static final int STRIDE = EXHAUSTIVE ? 1 : 4093;
    /** Optional comma-separated subset, e.g. {@code -Dlanewise.exhaustive.functions=SIGMOID,TANH}. */
    private static final java.util.List<String> SELECTED = java.util.Arrays.stream(
            System.getProperty("lanewise.exhaustive.functions", "").split(",")).filter(s -> !s.isBlank()).toList();
    private static final int CHUNK = 4096;
    private static final double FLOAT_ULP_BOUND = 4.0;
    static final Activation.Function[] TRANSCENDENTAL = {Activation.Function.SIGMOID, Activation.Function.TANH,
            Activation.Function.GELU_TANH, Activation.Function.GELU_ERF, Activation.Function.SILU,
            Activation.Function.SOFTPLUS};

    /** Where the vector exp overflows (|w| &gt; 88.7) although the true output is still a normal float. */
    private static boolean inExpRange(Activation.Function f, double z) {
        double w = switch (f) {
            case SIGMOID, SILU, SOFTPLUS -> z;
            case GELU_TANH -> 2 * ScalarMath.GELU_C * (z + ScalarMath.GELU_A * z * z * z);
            default -> 0;
        };
        return Math.abs(w) < 88;
    }

    @Test
    void vectorFloatForwardWithinFourUlp() {
        Assumptions.assumeTrue(Providers.vectorAvailable(), "vector provider needs jdk.incubator.vector");
        KernelProvider vector = Providers.vector();
        Map<Activation.Function, double[]> table = new EnumMap<>(Activation.Function.class);
        for (Activation.Function f : TRANSCENDENTAL) {
            if (!SELECTED.isEmpty() && !SELECTED.contains(f.name())) {
                continue;
            }
            warmUp(vector, f);
            long start = System.nanoTime();
            double[] r = maxUlp(vector, f);
            table.put(f, r);
            // Printed as each function finishes: the exhaustive sweep takes minutes per function.
            System.out.printf("%s: max ULP %.3f at z = %s, %d inputs, %.1f s%n", f, r[0], Float.toString((float) r[1]),
                    (long) r[2], (System.nanoTime() - start) / 1e9);
            System.out.flush();
        }
        StringBuilder report = new StringBuilder("function | max ULP (exp in range) | at z | inputs checked | max ULP incl. exp-overflow tail\n");
        table.forEach((f, r) -> report.append(String.format("%s | %.3f | %s | %d | %.3g%n", f, r[0],
                Float.toString((float) r[1]), (long) r[2], r[3])));
        System.out.println((EXHAUSTIVE ? "EXHAUSTIVE " : "dense sample, stride " + STRIDE + "\n") + report);
        table.forEach((f, r) -> assertThat(r[0]).as("%s max ULP at z = %s", f, (float) r[1])
                .isLessThanOrEqualTo(FLOAT_ULP_BOUND));
    }

    private static void warmUp(KernelProvider p, Activation.Function f) {
        float[] z = new float[CHUNK];
        float[] y = new float[CHUNK];
        for (int i = 0; i < CHUNK; i++) {
            z[i] = (i - CHUNK / 2) / 256f;
        }
        int rounds = f == Activation.Function.GELU_ERF ? 20 : 3000;
        for (int r = 0; r < rounds; r++) {
            p.activationForward(f, 0f, CHUNK, z, 0, y, 0);
        }
    }

    /** {max ULP where exp is in range, the z where it occurs, count, max ULP over all normal outputs}. */
    private static double[] maxUlp(KernelProvider p, Activation.Function f) {
        float[] z = new float[CHUNK];
        float[] y = new float[CHUNK];
        double[] ref = new double[CHUNK];
        double worst = 0, worstAll = 0, worstZ = Double.NaN;
        long count = 0;
        int filled = 0;
        for (long bits = 0; bits <= 0xFFFF_FFFFL; bits += STRIDE) {
            float x = Float.intBitsToFloat((int) bits);
            if (!Float.isFinite(x)) {
                continue;
            }
            double r = ScalarMath.forward(f, 0, x);
            float rounded = (float) r;
            if (Math.abs(r) < Float.MIN_NORMAL || Float.isInfinite(rounded) || saturated(f, rounded)) {
                continue;
            }
            z[filled] = x;
            ref[filled++] = r;
            if (filled == CHUNK || bits + STRIDE > 0xFFFF_FFFFL) {
                p.activationForward(f, 0f, filled, z, 0, y, 0);
                for (int i = 0; i < filled; i++) {
                    double err = Math.abs(y[i] - ref[i]) / Math.ulp((float) ref[i]);
                    if (Double.isNaN(err)) {
                        err = Double.POSITIVE_INFINITY;
                    }
                    worstAll = Math.max(worstAll, err);
                    if (inExpRange(f, z[i]) && err > worst) {
                        worst = err;
                        worstZ = z[i];
                    }
                }
                count += filled;
                filled = 0;
            }
        }
        return new double[]{worst, worstZ, count, worstAll};
    }

    private static boolean saturated(Activation.Function f, float y) {
        return switch (f) {
            case SIGMOID -> y == 1f;
            case TANH -> Math.abs(y) == 1f;
            default -> false;
        };
    }
}
