package dev.lanewise.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Child processes without the environment variables that pin OpenBLAS: some machines set
 * {@code OPENBLAS_CORETYPE=Haswell} (and {@code OPENBLAS_L2_SIZE}), which halves OpenBLAS on an AVX-512 CPU. A JVM
 * cannot unset its own environment, so benchmark JVMs are started as children with those variables removed, and
 * JMH's forks inherit the clean environment.
 */
final class CleanEnvironment {
    static final List<String> PINNING_VARIABLES = List.of("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE");

    private CleanEnvironment() {
    }

    /** The variables of {@link #PINNING_VARIABLES} set in this process, as NAME=value. */
    static List<String> pinningVariablesSet() {
        Map<String, String> env = System.getenv();
        List<String> set = new ArrayList<>();
        for (String name : PINNING_VARIABLES) {
            if (env.containsKey(name)) {
                set.add(name + "=" + env.get(name));
            }
        }
        return set;
    }

    /** This JVM's java launcher. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Runs a command with the pinning variables removed and this process's standard streams; returns its exit code. */
    static int run(List<String> command) throws java.io.IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
        PINNING_VARIABLES.forEach(pb.environment()::remove);
        return pb.start().waitFor();
    }

    /** Runs a command with the pinning variables removed; returns its standard output (stderr is passed through). */
    static String capture(List<String> command) throws java.io.IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        PINNING_VARIABLES.forEach(pb.environment()::remove);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        int rc = p.waitFor();
        if (rc != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited with " + rc);
        }
        return out;
    }

    /** The command that starts {@code mainClass} again in a JVM like this one (same JVM flags and class path). */
    static List<String> sameJvm(String mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(List.of(args));
        return command;
    }
}
