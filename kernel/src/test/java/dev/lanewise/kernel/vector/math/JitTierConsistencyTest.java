package dev.lanewise.kernel.vector.math;

import dev.lanewise.kernel.Activation;
import dev.lanewise.kernel.vector.elementwise.ActivationKernels;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * VectorExp, and the float activation kernels built on it, give the same bits in every JIT tier: a child JVM with
 * {@code -Xint} (the Vector API's per-lane Java fallbacks, never compiled) against this JVM, where each computation
 * runs often enough for C1 and C2, every call compared with the first. With {@code lanewise(EXP)} this does not hold
 * on JDK 25 x86 (the interpreter and C1 call Math.exp per lane, C2 the SVML intrinsic): with softmax (which uses it)
 * in this test, the in-JVM check failed at call 1888 when C2's code took over, and VectorExp generated as
 * lanewise(EXP) failed at call 267. So the double kernels (lanewise(EXP) and TANH, the measured choice there) and
 * softmax are not checked here; the float TANH (own e^x and polynomial since session 6), the float SOFTPLUS (own
 * e^x and log1p polynomial), the float BCE with logits (the same two, loss and gradient; since session 9) and the
 * double GELU_ERF (VectorExp's double formula, add/mul/fma/div and bit operations only) are.
 */
class JitTierConsistencyTest {
    private static final int N = 1024;
    private static final int WARM_UP_CALLS = 30_000;

    /**
     * Each computation's output bits, folded into one hash; every NaN counts as the same (Java leaves a NaN's sign and
     * payload open, and x86 keeps the first operand's NaN, so NaN·(−NaN) depends on C2's operand order).
     */
    static Map<String, Long> results(int calls) {
        float[] x = new float[N], y = new float[N];
        double[] xd = new double[N], yd = new double[N];
        for (int i = 0; i < N; i++) {
            // e^x's underflow, subnormal, normal and overflow ranges: [−110, 110] in float, [−770, 770] in double.
            x[i] = -110f + 220f * i / (N - 1) + (i % 7) * 0.01f;
            xd[i] = 7.0 * x[i] + i * 1e-9;
        }
        x[0] = Float.NaN;
        xd[0] = Double.NaN;
        x[1] = Float.NEGATIVE_INFINITY;
        xd[1] = Double.NEGATIVE_INFINITY;
        x[2] = Float.POSITIVE_INFINITY;
        xd[2] = Double.POSITIVE_INFINITY;
        // Double GELU_ERF over its unsaturated range [−40, 12] (both pieces, a = 2 between them) and the specials.
        double[] ze = new double[N];
        for (int i = 0; i < N; i++) {
            ze[i] = -40.0 + 52.0 * i / (N - 1) + i * 1e-9;
        }
        ze[0] = Double.NaN;
        ze[1] = Double.NEGATIVE_INFINITY;
        ze[2] = Double.POSITIVE_INFINITY;
        Map<String, Long> out = new LinkedHashMap<>();
        put(out, "VectorExp float", calls, () -> {
            for (int i = 0; i < N; i += VectorExp.F.length()) { // N: a multiple of every vector length
                VectorExp.exp(FloatVector.fromArray(VectorExp.F, x, i)).intoArray(y, i);
            }
            return hash(y);
        });
        put(out, "VectorExp double", calls, () -> {
            for (int i = 0; i < N; i += VectorExp.D.length()) {
                VectorExp.exp(DoubleVector.fromArray(VectorExp.D, xd, i)).intoArray(yd, i);
            }
            return hash(yd);
        });
        for (Activation.Function f : List.of(Activation.Function.SIGMOID, Activation.Function.TANH,
                Activation.Function.SILU, Activation.Function.GELU_TANH, Activation.Function.GELU_ERF,
                Activation.Function.SOFTPLUS)) {
            put(out, f + " forward float", calls, () -> {
                ActivationKernels.forward(f, 0f, N - 3, x, 0, y, 0); // N − 3: the scalar tail runs too
                return hash(y);
            });
            put(out, f + " backward float", calls, () -> {
                ActivationKernels.backward(f, 0f, N - 3, x, 0, x, 0, y, 0);
                return hash(y);
            });
        }
        float[] t = new float[N];
        for (int i = 0; i < N; i++) {
            t[i] = (i % 4) / 3f;
        }
        put(out, "BCE with logits float, loss", calls, () -> {
            double loss = ActivationKernels.bceWithLogits(N - 3, x, 0, t, 0, 0.5f, null, 0);
            return Double.doubleToLongBits(loss);
        });
        put(out, "BCE with logits float, gradient", calls, () -> {
            ActivationKernels.bceWithLogits(N - 3, x, 0, t, 0, 0.5f, y, 0);
            return hash(y);
        });
        put(out, "GELU_ERF forward double", calls, () -> {
            ActivationKernels.forward(Activation.Function.GELU_ERF, 0.0, N - 3, ze, 0, yd, 0);
            return hash(yd);
        });
        put(out, "GELU_ERF backward double", calls, () -> {
            ActivationKernels.backward(Activation.Function.GELU_ERF, 0.0, N - 3, ze, 0, ze, 0, yd, 0);
            return hash(yd);
        });
        return out;
    }

    /** Puts the result of {@code calls} calls, checking that every call gave the same. */
    private static void put(Map<String, Long> out, String name, int calls, Supplier<Long> computation) {
        long first = computation.get();
        for (int c = 1; c < calls; c++) {
            long h = computation.get();
            if (h != first) {
                throw new AssertionError(name + ": result changed at call " + c + ": " + first + " -> " + h);
            }
        }
        out.put(name, first);
    }

    private static long hash(float[] a) {
        long h = 17;
        for (float v : a) {
            h = 31 * h + Float.floatToIntBits(v);
        }
        return h;
    }

    private static long hash(double[] a) {
        long h = 17;
        for (double v : a) {
            h = 31 * h + Double.doubleToLongBits(v);
        }
        return h;
    }

    /** Child-JVM entry: prints one "name=hash" line per computation, each run once. */
    public static void main(String[] args) {
        results(1).forEach((name, h) -> System.out.println(name + "=" + h));
    }

    @Test
    void interpreterAndC2GiveTheSameBits() throws Exception {
        Map<String, Long> compiled = results(WARM_UP_CALLS); // every call compared with the first as the tiers change
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xint");
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(arg -> arg.startsWith("--add-modules") || arg.startsWith("-XX:MaxVectorSize")
                        || arg.equals("jdk.incubator.vector"))
                .toList());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), JitTierConsistencyTest.class.getName()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("child JVM: %s", out).isZero();
        Map<String, Long> interpreted = new LinkedHashMap<>();
        out.lines().filter(l -> l.contains("=") && !l.startsWith("WARNING")).forEach(l -> {
            int eq = l.lastIndexOf('=');
            interpreted.put(l.substring(0, eq), Long.parseLong(l.substring(eq + 1)));
        });
        assertThat(interpreted).as("-Xint child JVM output: %s", out).isEqualTo(compiled);
    }
}
