package dev.lanewise.bench.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Turns JMH JSON result files into {@code lanewise-report.md} (machine, JDK, vector species, OpenBLAS core, then one
 * table per benchmark with scores, error bars, physical units and the ratios between implementations) and
 * {@code lanewise-gemm.svg}, and prints the tables on the console.
 *
 * <p>Usage: {@code BenchReport --results FILE... --env FILE --out DIR [--smoke]}.
 */
public final class BenchReport {

    /** Which implementation is compared with which: the ratio columns, when both sides are present. */
    static final List<String[]> RATIOS = List.of(
            new String[] {"vector", "scalar"},
            new String[] {"vector", "openblas"},
            new String[] {"fused", "openblas"});

    static final String SMOKE_BANNER = "**Smoke run, not for comparison**: 1 fork, short iterations. "
            + "Run `./mvnw -B verify -Pbench` for real numbers.";

    private BenchReport() {
    }

    public static void main(String[] args) throws IOException {
        List<Path> results = new ArrayList<>();
        Path env = null, out = Path.of(".");
        boolean smoke = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--results" -> {
                    while (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                        results.add(Path.of(args[++i]));
                    }
                }
                case "--env" -> env = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--smoke" -> smoke = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: BenchReport --results FILE... --env FILE --out DIR [--smoke]");
            }
        }
        Map<String, String> environment = new LinkedHashMap<>();
        if (env != null) {
            Properties p = new Properties();
            try (var reader = Files.newBufferedReader(env, StandardCharsets.UTF_8)) {
                p.load(reader);
            }
            for (String key : List.of("cpu", "cpuFlags", "cores", "jdk", "vectorSpecies", "openblasCore",
                    "openblasThreads", "lanewiseThreads")) {
                if (p.containsKey(key)) {
                    environment.put(key, p.getProperty(key));
                }
            }
        }
        List<Result> all = new ArrayList<>();
        for (Path r : results) {
            all.addAll(Result.read(r));
        }
        write(all, environment, smoke, out, System.out);
    }

    /** Writes the report and the chart into {@code outDir} and prints the tables on {@code console}. */
    public static void write(List<Result> results, Map<String, String> environment, boolean smoke, Path outDir,
                             PrintStream console) throws IOException {
        StringBuilder md = new StringBuilder("# Lanewise benchmark report\n\n");
        if (smoke) {
            md.append(SMOKE_BANNER).append("\n\n");
        }
        md.append("Generated ").append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
                .append(". Scores are JMH throughput (ops/s, higher is better) ± the 99.9% confidence half-width; "
                        + "ratios divide the first implementation's score by the second's, with the errors "
                        + "combined in quadrature.\n\n| machine | |\n| --- | --- |\n");
        environment.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        md.append('\n');

        StringBuilder tables = new StringBuilder();
        Map<String, List<Result>> groups = new LinkedHashMap<>();
        for (Result r : results) {
            groups.computeIfAbsent(r.benchmarkClass() + "." + r.method(), g -> new ArrayList<>()).add(r);
        }
        groups.forEach((name, group) -> tables.append(table(name, group)).append('\n'));
        md.append(tables);

        String svg = GemmChart.svg(results);
        if (svg != null) {
            Files.writeString(outDir.resolve("lanewise-gemm.svg"), svg, StandardCharsets.UTF_8);
            md.append("![GEMM GFLOPS by shape](lanewise-gemm.svg)\n\n");
        }
        Path peers = outDir.resolve("peers.txt");
        if (Files.exists(peers)) {
            md.append("## Peers (numpy, PyTorch)\n\nThe same training step (784-256-128-10, batch 128, float32, SGD) "
                    + "timed by `bench/peers/mlp_step.py` in the same session:\n\n```\n")
                    .append(Files.readString(peers, StandardCharsets.UTF_8)).append("```\n");
        }
        Files.createDirectories(outDir);
        Files.writeString(outDir.resolve("lanewise-report.md"), md.toString(), StandardCharsets.UTF_8);
        console.println();
        if (smoke) {
            console.println(SMOKE_BANNER);
        }
        console.print(tables);
        console.println("Report: " + outDir.resolve("lanewise-report.md").toAbsolutePath());
    }

    /** One Markdown table: a row per parameter combination (without impl), a column per impl, then unit and ratios. */
    static String table(String name, List<Result> group) {
        Set<String> impls = new LinkedHashSet<>();
        Set<String> paramNames = new LinkedHashSet<>();
        Map<Map<String, String>, Map<String, Result>> rows = new LinkedHashMap<>();
        for (Result r : group) {
            Map<String, String> key = new LinkedHashMap<>(r.params());
            String impl = key.remove("impl");
            impl = impl == null ? "score" : impl;
            impls.add(impl);
            paramNames.addAll(key.keySet());
            rows.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(impl, r);
        }
        List<String[]> ratios = new ArrayList<>();
        for (String[] pair : RATIOS) {
            if (impls.contains(pair[0]) && impls.contains(pair[1])) {
                ratios.add(pair);
            }
        }
        boolean anyAlloc = group.stream().anyMatch(r -> !Double.isNaN(r.allocBytesPerOp()));
        Units.Unit sampleUnit = Units.of(group.get(0).benchmarkClass(), group.get(0).params());

        StringBuilder t = new StringBuilder("## ").append(name).append("\n\n|");
        List<String> header = new ArrayList<>(paramNames);
        // Rows of one table may come from plan runs with different fork counts: only rows of 3+ forks are claims.
        header.add("forks");
        for (String impl : impls) {
            header.add(impl + " ops/s");
        }
        if (sampleUnit != null) {
            for (String impl : impls) {
                header.add(impl + " " + sampleUnit.name());
            }
        }
        for (String[] pair : ratios) {
            header.add(pair[0] + "/" + pair[1]);
        }
        if (anyAlloc) {
            for (String impl : impls) {
                header.add(impl + " B/op");
            }
        }
        header.forEach(h -> t.append(' ').append(h).append(" |"));
        t.append("\n|");
        header.forEach(h -> t.append(" --- |"));
        t.append('\n');
        rows.forEach((params, byImpl) -> {
            t.append('|');
            for (String p : paramNames) {
                t.append(' ').append(params.getOrDefault(p, "")).append(" |");
            }
            t.append(' ').append(byImpl.values().stream().mapToInt(Result::forks).min().orElse(0)).append(" |");
            for (String impl : impls) {
                Result r = byImpl.get(impl);
                t.append(' ').append(r == null ? "" : withError(r.score(), r.error())).append(" |");
            }
            if (sampleUnit != null) {
                for (String impl : impls) {
                    Result r = byImpl.get(impl);
                    Units.Unit unit = r == null ? null : Units.of(r.benchmarkClass(), r.params());
                    t.append(' ').append(unit == null ? "" : significant(unit.of(r.score()))).append(" |");
                }
            }
            for (String[] pair : ratios) {
                Result a = byImpl.get(pair[0]), b = byImpl.get(pair[1]);
                t.append(' ').append(a == null || b == null ? "" : ratio(a, b)).append(" |");
            }
            if (anyAlloc) {
                for (String impl : impls) {
                    Result r = byImpl.get(impl);
                    t.append(' ').append(r == null || Double.isNaN(r.allocBytesPerOp()) ? ""
                            : String.format(Locale.ROOT, "%.1f", r.allocBytesPerOp())).append(" |");
                }
            }
            t.append('\n');
        });
        return t.toString();
    }

    /** a/b with the relative errors combined in quadrature, e.g. "1.23 ± 0.04". */
    static String ratio(Result a, Result b) {
        double r = a.score() / b.score();
        double rel = Math.hypot(a.relativeError(), b.relativeError());
        return rel == 0 ? String.format(Locale.ROOT, "%.3g", r)
                : String.format(Locale.ROOT, "%.3g ± %.2g", r, r * rel);
    }

    static String withError(double score, double error) {
        return Double.isFinite(error) ? significant(score) + " ± " + significant(error) : significant(score);
    }

    /** Four significant digits, no exponent for the magnitudes benchmarks produce. */
    static String significant(double x) {
        if (x == 0 || !Double.isFinite(x)) {
            return String.valueOf(x);
        }
        int digits = Math.max(0, 3 - (int) Math.floor(Math.log10(Math.abs(x))));
        return String.format(Locale.ROOT, "%." + digits + "f", x);
    }
}
