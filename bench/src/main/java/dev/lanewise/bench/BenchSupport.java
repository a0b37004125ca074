package dev.lanewise.bench;

import dev.lanewise.kernel.spi.KernelProvider;
import dev.lanewise.kernel.spi.Providers;

import java.util.SplittableRandom;

/** Shared set-up helpers: provider choice by name, seeded random inputs, shape parsing. */
final class BenchSupport {

    /** JVM flags every forked benchmark JVM gets (the incubator module; JNI access for the OpenBLAS peer). */
    static final String ADD_VECTOR = "--add-modules=jdk.incubator.vector";
    static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    /** JMH 1.37 itself uses sun.misc.Unsafe field offsets; JDK 24+ would print a deprecation banner per fork. */
    static final String ALLOW_UNSAFE = "--sun-misc-unsafe-memory-access=allow";

    /** Fixed seed: every fork sees the same inputs, so scores differ only by implementation. */
    static final long SEED = 0x1A_E5_15_EL;

    private BenchSupport() {
    }

    /** {@code scalar} or {@code vector}; both providers live in the same JVM so runs differ only in the kernel. */
    static KernelProvider provider(String impl) {
        return switch (impl) {
            case "scalar" -> Providers.scalar();
            case "vector" -> Providers.vector();
            default -> throw new IllegalArgumentException("impl must be scalar or vector here, was: " + impl);
        };
    }

    static boolean isDouble(String precision) {
        return switch (precision) {
            case "float" -> false;
            case "double" -> true;
            default -> throw new IllegalArgumentException("precision must be float or double, was: " + precision);
        };
    }

    /** Parses {@code "AxBxC..."} into its positive integer dimensions, checking the count. */
    static int[] dims(String shape, int count) {
        String[] parts = shape.split("x");
        if (parts.length != count) {
            throw new IllegalArgumentException("shape must have " + count + " dimensions, was: " + shape);
        }
        int[] dims = new int[count];
        for (int i = 0; i < count; i++) {
            dims[i] = Integer.parseInt(parts[i]);
            if (dims[i] <= 0) {
                throw new IllegalArgumentException("shape dimensions must be positive, was: " + shape);
            }
        }
        return dims;
    }

    static SplittableRandom random(int stream) {
        return new SplittableRandom(SEED + stream);
    }

    /** Uniform in [lo, hi): spans both signs of typical activations, never a constant the JIT could fold. */
    static float[] floats(int n, SplittableRandom random, double lo, double hi) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) random.nextDouble(lo, hi);
        }
        return a;
    }

    static double[] doubles(int n, SplittableRandom random, double lo, double hi) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = random.nextDouble(lo, hi);
        }
        return a;
    }

    static int[] labels(int m, int classes, SplittableRandom random) {
        int[] labels = new int[m];
        for (int i = 0; i < m; i++) {
            labels[i] = random.nextInt(classes);
        }
        return labels;
    }
}
