package dev.lanewise.bench.report;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Turns JMH JSON result files into {@code lanewise-report.md} (environment, per-kernel scores with 99.9 % error
 * bars, ratios vector/scalar and vector/openblas, GFLOPS or GB/s where the work per call is known) and
 * {@code lanewise-gemm.svg} (GEMM GFLOPS against problem size per implementation), and prints the summary.
 */
public final class Report {

    /** One JMH result: a benchmark method with one parameter combination. */
    public record Result(String benchmark, Map<String, String> params, double score, double error, String unit,
                         int forks, String jdkVersion) {

        /** {@code GemmBenchmark.gemm}: the class's simple name and the method. */
        public String shortName() {
            String[] parts = benchmark.split("\\.");
            return parts.length < 2 ? benchmark : parts[parts.length - 2] + "." + parts[parts.length - 1];
        }

        public String family() {
            return shortName().split("\\.")[0];
        }

        public String impl() {
            return params.getOrDefault("impl", "");
        }

        /** Parameters other than {@code impl}: results with equal keys are the same problem. */
        public String problem() {
            return params.entrySet().stream().filter(e -> !e.getKey().equals("impl"))
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
        }
    }

    private Report() {
    }

    /** Parses one JMH JSON result file (an array of benchmark results). */
    public static List<Result> parse(Reader json) {
        JsonElement root = JsonParser.parseReader(json);
        if (!root.isJsonArray()) {
            throw new IllegalArgumentException("JMH JSON results must be an array");
        }
        List<Result> results = new ArrayList<>();
        for (JsonElement element : (JsonArray) root) {
            JsonObject o = element.getAsJsonObject();
            JsonObject metric = o.getAsJsonObject("primaryMetric");
            Map<String, String> params = new TreeMap<>();
            if (o.has("params")) {
                o.getAsJsonObject("params").entrySet().forEach(e -> params.put(e.getKey(), e.getValue().getAsString()));
            }
            // JMH writes "NaN" for the error of single-iteration runs.
            JsonElement error = metric.get("scoreError");
            double err = error == null || error.isJsonNull() || !error.getAsJsonPrimitive().isNumber()
                    ? Double.NaN : error.getAsDouble();
            results.add(new Result(o.get("benchmark").getAsString(), params, metric.get("score").getAsDouble(), err,
                    metric.get("scoreUnit").getAsString(), o.get("forks").getAsInt(),
                    o.has("jdkVersion") ? o.get("jdkVersion").getAsString() : "?"));
        }
        return results;
    }

    /**
     * Work per operation in the unit the report shows next to ops/s: flops for GEMM/GEMV/GER, bytes moved for the
     * elementwise kernels and the copy baseline; 0 when not modelled.
     */
    public static double workPerOp(Result r) {
        Map<String, String> p = r.params();
        int elementBytes = "double".equals(p.get("precision")) ? 8 : 4;
        return switch (r.family()) {
            case "GemmBenchmark" -> {
                String[] d = p.get("shape").split("x");
                yield 2.0 * Double.parseDouble(d[0]) * Double.parseDouble(d[1]) * Double.parseDouble(d[2]);
            }
            case "GemvBenchmark", "GerBenchmark" -> {
                String[] d = p.get("shape").split("x");
                yield 2.0 * Double.parseDouble(d[0]) * Double.parseDouble(d[1]);
            }
            case "ActivationBenchmark" -> ("backward".equals(p.get("pass")) ? 3.0 : 2.0)
                    * Double.parseDouble(p.get("size")) * elementBytes;
            case "CopyBenchmark" -> 2.0 * Double.parseDouble(p.get("size")) * elementBytes;
            default -> 0;
        };
    }

    /** "GFLOPS", "GB/s" or "" for the family. */
    public static String workUnit(String family) {
        return switch (family) {
            case "GemmBenchmark", "GemvBenchmark", "GerBenchmark" -> "GFLOPS";
            case "ActivationBenchmark", "CopyBenchmark" -> "GB/s";
            default -> "";
        };
    }

    /** score(numerator impl) / score(denominator impl) for one problem, with its propagated error; null if absent. */
    public static double[] ratio(Map<String, Result> byImpl, String numerator, String denominator) {
        Result a = byImpl.get(numerator), b = byImpl.get(denominator);
        if (a == null || b == null || b.score() == 0) {
            return null;
        }
        double r = a.score() / b.score();
        double rel = Math.hypot(relative(a), relative(b));
        return new double[] {r, r * rel};
    }

    /** NaN when JMH had too few iterations for an error (smoke runs): the ratio then shows no ± at all. */
    private static double relative(Result r) {
        return r.error() / r.score();
    }

    /** The markdown report. */
    public static String markdown(List<Result> results, Environment env) {
        StringBuilder md = new StringBuilder();
        boolean smoke = env == null || "smoke".equals(env.mode());
        md.append("# Lanewise kernel benchmarks\n\n");
        if (smoke) {
            md.append("> **Smoke run, not for comparison.** One short fork per configuration, only to prove every "
                    + "benchmark runs. Use `./mvnw verify -Pbench` for numbers.\n\n");
        }
        md.append("## Machine\n\n");
        if (env != null) {
            md.append("- Date: ").append(env.date()).append('\n');
            md.append("- CPU: ").append(env.cpuModel()).append(", ").append(env.cores()).append(" cores available\n");
            md.append("- SIMD flags: ").append(env.cpuFlags()).append('\n');
            md.append("- JDK (runner): ").append(env.jdk()).append('\n');
            md.append("- Vector species: ").append(env.vectorSpecies()).append('\n');
            md.append("- OpenBLAS: core ").append(env.openblasCore()).append(", ").append(env.openblasThreads())
                    .append(" thread(s)\n");
        }
        Set<String> jdks = results.stream().map(Result::jdkVersion).collect(Collectors.toCollection(LinkedHashSet::new));
        md.append("- JDK of the benchmark forks (from JMH): ").append(String.join(", ", jdks)).append('\n');
        md.append("\nScores are operations per second (higher is better), ± JMH's 99.9 % confidence half-width. "
                + "Ratios divide scores measured in this run; their ± propagates both errors. "
                + "Ratios above 1 mean the first implementation is faster.\n");

        Map<String, List<Result>> byFamily = results.stream()
                .collect(Collectors.groupingBy(Result::family, TreeMap::new, Collectors.toList()));
        for (var family : byFamily.entrySet()) {
            md.append("\n## ").append(family.getKey()).append("\n\n");
            List<String> impls = family.getValue().stream().map(Result::impl).distinct()
                    .sorted(Comparator.comparingInt(Report::implOrder)).toList();
            String unit = workUnit(family.getKey());
            md.append("| benchmark | parameters |");
            for (String impl : impls) {
                md.append(' ').append(impl.isEmpty() ? "score" : impl).append(" ops/s |");
                if (!unit.isEmpty()) {
                    md.append(' ').append(impl.isEmpty() ? "" : impl + " ").append(unit).append(" |");
                }
            }
            boolean vs = impls.contains("vector") && impls.contains("scalar");
            boolean vo = impls.contains("vector") && impls.contains("openblas");
            md.append(vs ? " vector/scalar |" : "").append(vo ? " vector/openblas |" : "").append('\n');
            md.append("|---|---|").append("---:|".repeat(impls.size() * (unit.isEmpty() ? 1 : 2)))
                    .append(vs ? "---:|" : "").append(vo ? "---:|" : "").append('\n');
            for (var problem : groupByProblem(family.getValue()).entrySet()) {
                Map<String, Result> byImpl = problem.getValue();
                Result any = byImpl.values().iterator().next();
                md.append("| ").append(any.shortName().split("\\.")[1]).append(" | ")
                        .append(any.problem().isEmpty() ? "-" : any.problem()).append(" |");
                for (String impl : impls) {
                    Result r = byImpl.get(impl);
                    md.append(' ').append(r == null ? "" : scoreWithError(r)).append(" |");
                    if (!unit.isEmpty()) {
                        md.append(' ').append(r == null ? "" : format(r.score() * workPerOp(r) / 1e9)).append(" |");
                    }
                }
                if (vs) {
                    md.append(' ').append(formatRatio(ratio(byImpl, "vector", "scalar"))).append(" |");
                }
                if (vo) {
                    md.append(' ').append(formatRatio(ratio(byImpl, "vector", "openblas"))).append(" |");
                }
                md.append('\n');
            }
        }
        md.append("\n![GEMM GFLOPS against size](lanewise-gemm.svg)\n");
        return md.toString();
    }

    /** The console summary: one line per problem with the headline ratios. */
    public static String summary(List<Result> results, Environment env) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "Lanewise benchmarks (%s run%s)%n",
                env == null ? "?" : env.mode(), env != null && "smoke".equals(env.mode())
                        ? ", not for comparison" : ""));
        if (env != null) {
            s.append(String.format(Locale.ROOT, "%s | %s | OpenBLAS %s, %d thread(s)%n", env.cpuModel(),
                    env.vectorSpecies(), env.openblasCore(), env.openblasThreads()));
        }
        s.append(String.format(Locale.ROOT, "%-40s %-58s %14s %16s%n", "benchmark", "parameters", "vector/scalar",
                "vector/openblas"));
        for (var problem : groupByProblem(results).entrySet()) {
            Map<String, Result> byImpl = problem.getValue();
            Result any = byImpl.values().iterator().next();
            s.append(String.format(Locale.ROOT, "%-40s %-58s %14s %16s%n", any.shortName(), any.problem(),
                    formatRatio(ratio(byImpl, "vector", "scalar")), formatRatio(ratio(byImpl, "vector", "openblas"))));
        }
        return s.toString();
    }

    /** An SVG line chart: GEMM GFLOPS (y) against 2·M·K·N (x, log scale), one line per implementation and precision. */
    public static String gemmSvg(List<Result> results) {
        Map<String, List<double[]>> series = new TreeMap<>(); // impl/precision -> (flops, gflops)
        for (Result r : results) {
            if (r.family().equals("GemmBenchmark")) {
                double work = workPerOp(r);
                series.computeIfAbsent(r.impl() + " " + r.params().getOrDefault("precision", "") + " "
                        + r.params().getOrDefault("trans", ""), k -> new ArrayList<>())
                        .add(new double[] {work, r.score() * work / 1e9});
            }
        }
        int width = 760, height = 440, left = 70, right = 200, top = 30, bottom = 60;
        int plotW = width - left - right, plotH = height - top - bottom;
        double minX = Double.MAX_VALUE, maxX = 0, maxY = 0;
        for (List<double[]> points : series.values()) {
            points.sort(Comparator.comparingDouble(p -> p[0]));
            for (double[] p : points) {
                minX = Math.min(minX, p[0]);
                maxX = Math.max(maxX, p[0]);
                maxY = Math.max(maxY, p[1]);
            }
        }
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", width, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"14\">GEMM throughput "
                + "(GFLOPS = 2·M·K·N·ops/s) against work per call</text>%n", left));
        if (series.isEmpty()) {
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">no GEMM results in this run</text>%n",
                    left, top + plotH / 2));
            return svg.append("</svg>\n").toString();
        }
        double logMin = Math.log10(minX), logMax = Math.log10(maxX);
        double spanX = logMax - logMin < 1e-9 ? 1 : logMax - logMin;
        double yMax = niceCeiling(maxY);
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                + "stroke=\"#444\"/>%n", left, top, plotW, plotH));
        for (int i = 0; i <= 5; i++) {
            double v = yMax * i / 5;
            double y = top + plotH - plotH * v / yMax;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", left, left + plotW, y, y, left - 6,
                    y + 4, format(v)));
        }
        for (int e = (int) Math.ceil(logMin); e <= (int) Math.floor(logMax); e++) {
            double x = left + plotW * (e - logMin) / spanX;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#ddd\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">1e%d</text>%n", x, x, top, top + plotH, x,
                    top + plotH + 16, e));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">flops per call "
                + "(2·M·K·N, log scale)</text>%n", left + plotW / 2, height - 18));
        svg.append(String.format(Locale.ROOT, "<text transform=\"translate(16,%d) rotate(-90)\" "
                + "text-anchor=\"middle\">GFLOPS</text>%n", top + plotH / 2));
        String[] colours = {"#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                            "#bcbd22", "#17becf"};
        int index = 0;
        for (var entry : series.entrySet()) {
            String colour = colours[index % colours.length];
            StringBuilder path = new StringBuilder();
            for (double[] p : entry.getValue()) {
                double x = left + plotW * (Math.log10(p[0]) - logMin) / spanX;
                double y = top + plotH - plotH * p[1] / yMax;
                path.append(path.isEmpty() ? "" : " ").append(String.format(Locale.ROOT, "%.1f,%.1f", x, y));
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n", x, y,
                        colour));
            }
            svg.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" "
                    + "stroke-width=\"2\"/>%n", path, colour));
            int ly = top + 14 + 18 * index;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"%s\" "
                    + "stroke-width=\"3\"/><text x=\"%d\" y=\"%d\">%s</text>%n", left + plotW + 12, left + plotW + 32,
                    ly - 4, ly - 4, colour, left + plotW + 38, ly, escape(entry.getKey().trim())));
            index++;
        }
        return svg.append("</svg>\n").toString();
    }

    /** Reads every {@code *.json} in {@code resultDir}, writes the report and chart into {@code out}, prints the summary. */
    public static void writeAll(Path resultDir, Path envFile, Path out) throws IOException {
        List<Result> results = new ArrayList<>();
        try (var files = Files.list(resultDir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                try (Reader reader = Files.newBufferedReader(file)) {
                    results.addAll(parse(reader));
                }
            }
        }
        Environment env = null;
        if (Files.exists(envFile)) {
            try (Reader reader = Files.newBufferedReader(envFile)) {
                env = new Gson().fromJson(reader, Environment.class);
            }
        }
        Files.writeString(out.resolve("lanewise-report.md"), markdown(results, env));
        Files.writeString(out.resolve("lanewise-gemm.svg"), gemmSvg(results));
        System.out.println();
        System.out.print(summary(results, env));
        System.out.println("Report: " + out.resolve("lanewise-report.md").toAbsolutePath());
    }

    /** Command line: {@code Report <resultDir> <lanewise-env.json> <outDir>}, to re-render without re-running. */
    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: Report <jmh-results dir> <lanewise-env.json> <out dir>");
        }
        writeAll(Path.of(args[0]), Path.of(args[1]), Path.of(args[2]));
    }

    private static Map<String, Map<String, Result>> groupByProblem(List<Result> results) {
        Map<String, Map<String, Result>> groups = new LinkedHashMap<>();
        for (Result r : results) {
            groups.computeIfAbsent(r.shortName() + " " + r.problem(), k -> new LinkedHashMap<>()).put(r.impl(), r);
        }
        return groups;
    }

    private static int implOrder(String impl) {
        return switch (impl) {
            case "scalar" -> 0;
            case "vector" -> 1;
            case "openblas" -> 2;
            default -> 3;
        };
    }

    private static String scoreWithError(Result r) {
        return Double.isNaN(r.error()) ? format(r.score()) : format(r.score()) + " ± " + format(r.error());
    }

    private static String formatRatio(double[] ratio) {
        if (ratio == null) {
            return "";
        }
        return Double.isNaN(ratio[1]) ? String.format(Locale.ROOT, "%.2f", ratio[0])
                : String.format(Locale.ROOT, "%.2f ± %.2f", ratio[0], ratio[1]);
    }

    /** Three significant digits, no exponent for the magnitudes benchmarks produce. */
    static String format(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        double a = Math.abs(v);
        if (a >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }

    private static double niceCeiling(double v) {
        if (v <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= v) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
