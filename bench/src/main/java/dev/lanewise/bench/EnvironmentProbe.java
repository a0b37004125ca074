package dev.lanewise.bench;

import dev.lanewise.bench.peer.OpenBlas;
import dev.lanewise.kernel.spi.Providers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Prints, as {@code key=value} lines, the facts a benchmark report needs about the JVM and machine it ran on. Run it
 * the way the benchmark forks run (incubator module, native access, clean OpenBLAS environment).
 */
public final class EnvironmentProbe {
    private EnvironmentProbe() {
    }

    public static void main(String[] args) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("cpu", cpuInfo("model name"));
        String flags = cpuInfo("flags");
        facts.put("cpuFlags", (flags.contains("avx512f") ? "AVX-512" : flags.contains("avx2") ? "AVX2" : "no AVX2")
                + (flags.contains("fma") ? ", FMA" : ""));
        facts.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        facts.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        facts.put("vectorSpecies", Providers.vectorAvailable() ? Providers.vector().description() : "module absent");
        facts.put("openblasCore", OpenBlas.coreName());
        OpenBlas.init(1);
        facts.put("openblasThreads", Integer.toString(OpenBlas.threads()));
        facts.put("lanewiseThreads", System.getProperty("lanewise.threads", "default (available processors)"));
        facts.forEach((k, v) -> System.out.println(k + "=" + v.replace('\n', ' ')));
    }

    private static String cpuInfo(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                int colon = line.indexOf(':');
                String key = colon < 0 ? "" : line.substring(0, colon).trim();
                if (key.equalsIgnoreCase(field)) {
                    return line.substring(colon + 1).trim();
                }
            }
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
        return "unknown";
    }
}
