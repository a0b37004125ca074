package dev.lanewise.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Where a run happened: written by {@code Run} before the benchmarks (same JVM binary, flags and environment as the
 * forks) to {@code lanewise-env.json}, read by {@link Report}.
 *
 * @param mode            {@code smoke} or {@code full}
 * @param date            ISO-8601 instant the run started
 * @param cpuModel        lscpu "Model name"
 * @param cpuFlags        the SIMD-relevant CPU flags present
 * @param cores           processors available to the JVM
 * @param jdk             vendor, VM and version of the JVM
 * @param vectorSpecies   the Vector API provider's description (species and lane counts)
 * @param openblasCore    the core type OpenBLAS's dynamic dispatch chose
 * @param openblasThreads OpenBLAS thread count as set for the benchmarks
 */
public record Environment(String mode, String date, String cpuModel, String cpuFlags, int cores, String jdk,
                          String vectorSpecies, String openblasCore, int openblasThreads) {

    private static final List<String> SIMD_FLAGS = List.of("sse4_2", "avx", "avx2", "fma", "f16c", "avx512f",
            "avx512dq", "avx512bw", "avx512vl", "avx512_vnni", "avx512_bf16", "avx512_fp16", "amx_tile");

    /** The lscpu model name, or "unknown". */
    public static String probeCpuModel() {
        return lscpuField("Model name:");
    }

    /** The SIMD-relevant flags lscpu lists, in a fixed order. */
    public static String probeCpuFlags() {
        Set<String> flags = Set.of(lscpuField("Flags:").split("\\s+"));
        List<String> present = new ArrayList<>();
        for (String flag : SIMD_FLAGS) {
            if (flags.contains(flag)) {
                present.add(flag);
            }
        }
        return present.isEmpty() ? "unknown" : String.join(" ", present);
    }

    private static String lscpuField(String label) {
        try {
            Process lscpu = new ProcessBuilder("lscpu").redirectErrorStream(true).start();
            String text = new String(lscpu.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            lscpu.waitFor();
            for (String line : text.split("\n")) {
                if (line.startsWith(label)) {
                    return line.substring(label.length()).trim();
                }
            }
        } catch (IOException e) {
            return "unknown (lscpu: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "unknown";
    }
}
