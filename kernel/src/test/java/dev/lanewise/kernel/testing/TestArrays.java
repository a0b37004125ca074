package dev.lanewise.kernel.testing;

import java.util.SplittableRandom;

/** Seeded random inputs for twin tests. */
public final class TestArrays {
    private TestArrays() {
    }

    public static float[] randomFloats(SplittableRandom rnd, int length) {
        float[] x = new float[length];
        for (int i = 0; i < length; i++) {
            x[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return x;
    }

    public static double[] randomDoubles(SplittableRandom rnd, int length) {
        double[] x = new double[length];
        for (int i = 0; i < length; i++) {
            x[i] = rnd.nextDouble() * 2 - 1;
        }
        return x;
    }

    /** Float machine epsilon (2^-23) and unit roundoff u = eps / 2. */
    public static final double FLOAT_EPS = Math.ulp(1f);
    public static final double DOUBLE_EPS = Math.ulp(1.0);
}
