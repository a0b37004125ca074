package dev.lanewise.kernel;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs a test class's {@code main} in a fresh JVM with this run's vector flags, for measurements a warm JVM spoils. */
public final class ChildJvm {
    private ChildJvm() {
    }

    /**
     * The child's stdout and stderr; fails unless it exits with 0. Passes on {@code --add-modules} and
     * {@code -XX:MaxVectorSize} (so the child runs at this run's width), the {@code lanewise.*} system properties,
     * then {@code jvmArgs}.
     */
    public static String run(Class<?> main, String... jvmArgs) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(arg -> arg.startsWith("--add-modules") || arg.startsWith("-XX:MaxVectorSize")
                        || arg.equals("jdk.incubator.vector"))
                .toList());
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("lanewise."))
                .forEach(k -> command.add("-D" + k + "=" + System.getProperty(k)));
        command.addAll(List.of(jvmArgs));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("child JVM %s: %s", command, out).isZero();
        return out;
    }
}
