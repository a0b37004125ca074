package dev.lanewise.kernel;

/**
 * How many threads the multi-threaded kernels (today: GEMM in the Vector API provider) may use per call.
 *
 * <p>The default is the system property {@code lanewise.threads} if set, else {@link Runtime#availableProcessors()}.
 * Small problems run on the calling thread whatever this says. Results are bit-identical for every thread count:
 * work is split over blocks of C, and each element of C is computed by the same sequence of operations.
 */
public final class Parallelism {
    private static volatile int threads = initialThreads();

    private Parallelism() {
    }

    /** The maximum number of threads per call (at least 1). */
    public static int threads() {
        return threads;
    }

    /** Sets the maximum number of threads per call; {@code threads} must be at least 1. */
    public static void setThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        Parallelism.threads = threads;
    }

    private static int initialThreads() {
        String value = System.getProperty("lanewise.threads");
        if (value == null || value.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        int parsed;
        try {
            parsed = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("system property lanewise.threads must be an integer >= 1, got "
                    + value, e);
        }
        if (parsed < 1) {
            throw new IllegalArgumentException("system property lanewise.threads must be >= 1, got " + parsed);
        }
        return parsed;
    }
}
