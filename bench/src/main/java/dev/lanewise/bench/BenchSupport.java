package dev.lanewise.bench;

import dev.lanewise.kernel.spi.KernelProvider;
import dev.lanewise.kernel.spi.Providers;

import java.util.SplittableRandom;

/** Inputs and provider selection shared by the benchmarks. */
final class BenchSupport {
    /** Every benchmark draws its inputs from this seed, so runs compare the same work. */
    static final long SEED = 20261125L;

    private BenchSupport() {
    }

    /**
     * The kernel provider for an {@code impl} parameter. Both providers live in the same JVM, so the comparison does not
     * depend on how the JVM chose its default.
     */
    static KernelProvider provider(String impl) {
        return switch (impl) {
            case "scalar" -> Providers.scalar();
            case "vector" -> Providers.vector();
            default -> throw new IllegalArgumentException("impl must be scalar or vector here, got " + impl);
        };
    }

    static float[] floats(SplittableRandom rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return x;
    }

    static double[] doubles(SplittableRandom rnd, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = rnd.nextDouble() * 2 - 1;
        }
        return x;
    }

    /** Parses "MxKxN" into {m, k, n}. */
    static int[] shape(String shape) {
        String[] parts = shape.split("x");
        if (parts.length != 3) {
            throw new IllegalArgumentException("shape must be MxKxN, got " + shape);
        }
        return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2])};
    }

    /** Parses "RxC" into {rows, cols}. */
    static int[] rowsCols(String shape) {
        String[] parts = shape.split("x");
        if (parts.length != 2) {
            throw new IllegalArgumentException("shape must be RxC, got " + shape);
        }
        return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
    }
}
