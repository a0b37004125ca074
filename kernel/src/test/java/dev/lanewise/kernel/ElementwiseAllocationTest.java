package dev.lanewise.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Steady-state activation calls allocate nothing: after warm-up (so C2 has compiled the loops and scalar-replaced
 * the vector boxes), many calls of each function, forward and backward, float and double, must together stay under
 * a small allowance. The allowance covers the measuring itself, not the kernels: one boxed vector per call (≥ 64
 * bytes for a 512-bit vector, 32 for 128-bit) over {@value #CALLS} calls exceeds it many times over.
 *
 * <p>Opt-in ({@code -Dlanewise.allocation=true}) until issue 6 closes the gaps it finds, because it does not pass
 * yet: GELU_ERF allocates (see below), and in the Surefire JVM RELU forward double (inputs −0.75, after the float
 * cases) allocates 640 bytes per 203-element call in every one of ten rounds, while the same sequence in a plain
 * {@code java} main allocates 0 or only in the first round; the cause is not found yet. Every other function,
 * forward and backward, float and double, measured 0 bytes per call once compiled.
 */
@EnabledIfSystemProperty(named = "lanewise.allocation", matches = "true")
class ElementwiseAllocationTest {
    private static final int CALLS = 2_000;
    private static final long ALLOWANCE_BYTES = 4_096;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /**
     * Bytes allocated by {@value #CALLS} calls in steady state. C2 compiles in the background and this machine may be
     * loaded, so one warm-up does not guarantee the compiled loop is installed yet: warm up and measure up to ten
     * rounds and keep the smallest measurement (a kernel that allocates per call allocates in every round).
     */
    private static long allocatedBy(Runnable call) {
        long tid = Thread.currentThread().threadId();
        long least = Long.MAX_VALUE;
        for (int round = 0; round < 10 && least >= ALLOWANCE_BYTES; round++) {
            for (int i = 0; i < 20_000; i++) {
                call.run();
            }
            long before = THREADS.getThreadAllocatedBytes(tid);
            for (int i = 0; i < CALLS; i++) {
                call.run();
            }
            least = Math.min(least, THREADS.getThreadAllocatedBytes(tid) - before);
        }
        return least;
    }

    @Test
    void everyActivationForwardAndBackwardRunsWithoutAllocating() {
        int n = 203; // not a multiple of any vector length: the masked tail runs too
        float[] z = new float[n], y = new float[n], dy = new float[n], dz = new float[n];
        double[] zd = new double[n], yd = new double[n], dyd = new double[n], dzd = new double[n];
        Arrays.fill(z, 0.25f);
        Arrays.fill(dy, 1f);
        Arrays.fill(zd, -0.75);
        Arrays.fill(dyd, 1.0);
        for (Activation.Function f : Activation.Function.values()) {
            if (f == Activation.Function.GELU_ERF) {
                // Known gap (issue 6): VectorErf's fixed-length series and continued-fraction loops carry vectors
                // through loop phis, which C2 does not scalar-replace: ~45 KB per 203-element call. The fix is
                // straight-line code (a minimax rational, or the loops unrolled); until then this case is reported
                // by exactGeluStillAllocates below instead of being hidden.
                continue;
            }
            Activation a = Activation.of(f);
            assertThat(allocatedBy(() -> a.forward(n, z, 0, y, 0))).as(f + " forward float")
                    .isLessThan(ALLOWANCE_BYTES);
            assertThat(allocatedBy(() -> a.backward(n, z, 0, dy, 0, dz, 0))).as(f + " backward float")
                    .isLessThan(ALLOWANCE_BYTES);
            assertThat(allocatedBy(() -> a.forward(n, zd, 0, yd, 0))).as(f + " forward double")
                    .isLessThan(ALLOWANCE_BYTES);
            assertThat(allocatedBy(() -> a.backward(n, zd, 0, dyd, 0, dzd, 0))).as(f + " backward double")
                    .isLessThan(ALLOWANCE_BYTES);
        }
    }

    /**
     * Documents the known gap above so it cannot silently change: when exact GELU stops allocating, this fails and
     * GELU_ERF goes back into the loop above.
     */
    @Test
    void exactGeluStillAllocates() {
        int n = 203;
        float[] z = new float[n], y = new float[n];
        Arrays.fill(z, 0.25f);
        assertThat(allocatedBy(() -> Activation.GELU_ERF.forward(n, z, 0, y, 0))).isGreaterThan(ALLOWANCE_BYTES);
    }
}
