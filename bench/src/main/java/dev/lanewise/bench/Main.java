package dev.lanewise.bench;

import java.util.List;

/**
 * The entry point of {@code benchmarks.jar}: JMH's own command line ({@code java -jar benchmarks.jar GemmBenchmark
 * -p impl=vector,openblas ...}), except that when the environment pins OpenBLAS to a core type, JMH is started again
 * in a child JVM without those variables, so every fork measures OpenBLAS at its best.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        List<String> pinned = CleanEnvironment.pinningVariablesSet();
        if (pinned.isEmpty()) {
            org.openjdk.jmh.Main.main(args);
            return;
        }
        System.err.println("lanewise-bench: starting JMH without " + pinned
                + " so that OpenBLAS picks its best kernels for this CPU");
        System.exit(CleanEnvironment.run(CleanEnvironment.sameJvm(org.openjdk.jmh.Main.class.getName(), args)));
    }
}
