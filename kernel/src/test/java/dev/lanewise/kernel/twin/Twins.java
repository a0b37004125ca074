package dev.lanewise.kernel.twin;

import dev.lanewise.kernel.spi.KernelProvider;
import dev.lanewise.kernel.spi.Providers;

import static org.assertj.core.api.Assertions.assertThat;

/** The two providers under test, and the comparison helpers shared by every twin test. */
final class Twins {
    static final KernelProvider SCALAR = Providers.scalar();
    static final KernelProvider VECTOR = Providers.vector();

    /** The sizes the foundation issue asks every kernel to be tested at: around vector widths and block edges. */
    static final int[] SIZES = {0, 1, 2, 3, 7, 15, 16, 17, 31, 33, 63, 64, 65, 100, 127, 129, 257};
    static final double[] ALPHAS = {0, 1, -0.5, 2};
    static final double[] BETAS = {0, 1, -0.5, 2};

    private Twins() {
    }

    static {
        // Guard against the netlib trap: comparing the scalar provider with itself.
        assertThat(VECTOR.name()).isEqualTo("vector");
        assertThat(VECTOR.getClass()).isNotEqualTo(SCALAR.getClass());
    }

    /**
     * Asserts |got[i] − want[i]| ≤ tol[i] for every i in [0, n), and that both are NaN together. The message names the
     * first failing index with both values and the bound.
     */
    static void assertClose(String what, double[] want, double[] got, double[] tol) {
        for (int i = 0; i < want.length; i++) {
            double w = want[i], g = got[i];
            boolean ok = Double.isNaN(w) ? Double.isNaN(g) : (w == g || Math.abs(g - w) <= tol[i]);
            if (!ok) {
                throw new AssertionError(what + ": index " + i + " scalar " + w + " vector " + g + " |diff| "
                        + Math.abs(g - w) + " > bound " + tol[i]);
            }
        }
    }

    static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }
}
