package dev.lanewise.bench;

import com.google.gson.GsonBuilder;
import dev.lanewise.bench.report.Environment;
import dev.lanewise.bench.report.Report;
import dev.lanewise.kernel.spi.Providers;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The build's benchmark job (exec-maven-plugin in {@code verify}): runs every benchmark class in this package with a
 * per-class plan of parameters, writes JMH's JSON results, then the report.
 * <ul>
 *   <li>{@code --mode=smoke}: one short fork per configuration, reduced parameter sets; proves every benchmark runs
 *   (fail on error) in about two minutes. Numbers are not for comparison.</li>
 *   <li>{@code --mode=full}: the real run, 3 forks for the headline families (GEMM, activations, copy).</li>
 * </ul>
 * Classes without a plan entry (added later) run with their own annotation defaults, shortened in smoke mode.
 * {@code --include} filters benchmarks by regex (like JMH's), {@code --params="k=v1,v2;k2=v"} overrides parameters,
 * {@code --extra} takes plain JMH options (e.g. {@code -f 1 -prof gc}) that win over the plan's defaults.
 */
public final class Run {

    private static final String PACKAGE = "dev.lanewise.bench.";

    private record Invocation(Map<String, String> params, int forks) {
    }

    private Run() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parseArgs(args);
        if (relaunchedWithoutForcingEnv(args)) {
            return;
        }
        boolean smoke = switch (options.getOrDefault("mode", "smoke")) {
            case "smoke" -> true;
            case "full" -> false;
            default -> throw new IllegalArgumentException("--mode must be smoke or full, was: " + options.get("mode"));
        };
        Path out = Path.of(options.getOrDefault("out", "target"));
        Path resultDir = out.resolve("jmh-results");
        Files.createDirectories(resultDir);
        try (var stale = Files.list(resultDir)) {
            for (Path p : stale.toList()) {
                Files.delete(p);
            }
        }
        // Several people (or helpers) share this machine; JMH's global lock would make concurrent runs fail.
        System.setProperty("jmh.ignoreLock", "true");

        Environment environment = probeEnvironment(smoke);
        Files.writeString(out.resolve("lanewise-env.json"),
                new GsonBuilder().setPrettyPrinting().create().toJson(environment));

        String include = options.getOrDefault("include", "");
        Pattern filter = Pattern.compile(include.isBlank() ? ".*" : include);
        Map<String, String> userParams = parseParams(options.getOrDefault("params", ""));
        String extra = options.getOrDefault("extra", "").trim();
        CommandLineOptions cli = new CommandLineOptions(extra.isEmpty() ? new String[0] : extra.split("\\s+"));

        Map<String, List<String>> methodsByClass = discover(filter);
        if (methodsByClass.isEmpty()) {
            throw new IllegalArgumentException("No benchmark matches --include=" + include);
        }
        int fileIndex = 0;
        Set<List<Object>> done = new HashSet<>();
        for (var entry : methodsByClass.entrySet()) {
            String simpleName = entry.getKey().substring(PACKAGE.length());
            String methods = "^(" + String.join("|", entry.getValue().stream().map(Pattern::quote).toList()) + ")$";
            for (Invocation invocation : plan(simpleName, smoke)) {
                Map<String, String> params = new TreeMap<>(invocation.params());
                params.putAll(userParams);
                if (!done.add(List.of(simpleName, Map.copyOf(params)))) {
                    continue; // user parameters made this invocation the same as an earlier one
                }
                ChainedOptionsBuilder builder = new OptionsBuilder().parent(cli)
                        .include(methods)
                        .shouldFailOnError(true)
                        .resultFormat(ResultFormatType.JSON)
                        .result(resultDir.resolve(String.format("%02d-%s.json", fileIndex++, simpleName)).toString());
                params.forEach((name, values) -> builder.param(name, values.split(",")));
                if (cli.getForkCount().hasValue()) {
                    builder.forks(cli.getForkCount().get());
                } else if (smoke) {
                    builder.forks(1);
                } else if (invocation.forks() > 0) {
                    builder.forks(invocation.forks());
                }
                if (smoke) {
                    timing(builder, cli, 1, TimeValue.milliseconds(200), 1, TimeValue.milliseconds(300));
                } else {
                    timing(builder, cli, 2, TimeValue.milliseconds(500), 3, TimeValue.milliseconds(500));
                }
                builder.verbosity(smoke ? VerboseMode.SILENT : VerboseMode.NORMAL);
                System.out.println("[lanewise-bench] " + simpleName + " " + params + (smoke ? " (smoke)" : ""));
                try {
                    new Runner(builder.build()).run();
                } catch (RunnerException e) {
                    throw new IllegalStateException("Benchmark " + simpleName + " failed", e);
                }
            }
        }
        Report.writeAll(resultDir, out.resolve("lanewise-env.json"), out);
    }

    private static void timing(ChainedOptionsBuilder builder, CommandLineOptions cli, int warmups, TimeValue warmup,
                               int iterations, TimeValue measurement) {
        if (!cli.getWarmupIterations().hasValue()) {
            builder.warmupIterations(warmups);
        }
        if (!cli.getWarmupTime().hasValue()) {
            builder.warmupTime(warmup);
        }
        if (!cli.getMeasurementIterations().hasValue()) {
            builder.measurementIterations(iterations);
        }
        if (!cli.getMeasurementTime().hasValue()) {
            builder.measurementTime(measurement);
        }
    }

    /**
     * Parameter sets per class. Smoke: the smallest shapes, float mostly (GEMM covers double). Full: the headline
     * comparisons with 3 forks, the other families with 1 fork; sized for about 20 minutes on 2 cores.
     */
    private static List<Invocation> plan(String simpleName, boolean smoke) {
        if (smoke) {
            return List.of(new Invocation(switch (simpleName) {
                case "GemmBenchmark" -> Map.of("shape", "64x64x64", "trans", "NN,TT");
                case "ActivationBenchmark" -> Map.of("size", "4096", "precision", "float");
                case "CopyBenchmark" -> Map.of("size", "4096", "precision", "float");
                case "GemvBenchmark" -> Map.of("shape", "256x784", "trans", "N", "precision", "float");
                case "GerBenchmark" -> Map.of("shape", "256x784", "precision", "float");
                case "SoftmaxLossBenchmark" -> Map.of("shape", "128x10", "precision", "float");
                case "ReductionBenchmark" -> Map.of("shape", "128x256", "precision", "float");
                default -> Map.of();
            }, 1));
        }
        return switch (simpleName) {
            case "GemmBenchmark" -> List.of(
                    new Invocation(Map.of("precision", "float", "trans", "NN", "shape",
                            "64x64x64,256x256x256,1024x1024x1024,128x784x256,128x256x128,128x128x10"), 3),
                    // The MLP's backward GEMMs: dW = Xᵀ·dY (A transposed) and dX = dY·Wᵀ (B transposed).
                    new Invocation(Map.of("precision", "float", "trans", "TN", "shape", "784x128x256"), 3),
                    new Invocation(Map.of("precision", "float", "trans", "NT", "shape", "128x256x784"), 3),
                    new Invocation(Map.of("precision", "double", "trans", "NN", "shape", "256x256x256,128x784x256"), 3));
            case "ActivationBenchmark" -> List.of(
                    new Invocation(Map.of("precision", "float", "size", "4096"), 3),
                    new Invocation(Map.of("precision", "float", "size", "16777216", "function", "RELU,SIGMOID"), 3));
            case "CopyBenchmark" -> List.of(new Invocation(Map.of("precision", "float"), 3));
            case "GemvBenchmark", "GerBenchmark", "SoftmaxLossBenchmark" ->
                    List.of(new Invocation(Map.of("precision", "float"), 1));
            case "ReductionBenchmark" -> List.of(new Invocation(Map.of("precision", "float", "shape", "128x256"), 1));
            default -> List.of(new Invocation(Map.of(), 0));
        };
    }

    /** Benchmark methods (full names) matching the filter, grouped by class, classes sorted. */
    private static Map<String, List<String>> discover(Pattern filter) {
        Map<String, List<String>> byClass = new TreeMap<>();
        for (BenchmarkListEntry entry : BenchmarkList.defaultList()
                .getAll(OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT), List.of())) {
            String name = entry.getUsername();
            if (name.startsWith(PACKAGE) && filter.matcher(name).find()) {
                List<String> methods = byClass.computeIfAbsent(entry.getUserClassQName(), c -> new ArrayList<>());
                if (!methods.contains(name)) {
                    methods.add(name);
                }
            }
        }
        return byClass;
    }

    private static Environment probeEnvironment(boolean smoke) {
        String species = Providers.vectorAvailable() ? Providers.vector().description() : "unavailable";
        return new Environment(smoke ? "smoke" : "full", Instant.now().toString(),
                Environment.probeCpuModel(), Environment.probeCpuFlags(), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
                        + System.getProperty("java.runtime.version"),
                species, OpenBlas.coreName(), OpenBlas.threads());
    }

    /**
     * JMH forks inherit this JVM's environment and Java cannot unset a variable of its own process, so if a
     * variable that forces OpenBLAS's core type is present, run this class again in a child JVM (same java binary,
     * same flags) without it.
     *
     * @return true if the child ran (its exit code was propagated)
     */
    private static boolean relaunchedWithoutForcingEnv(String[] args) throws IOException, InterruptedException {
        boolean forced = false;
        for (String name : OpenBlas.FORCING_ENV) {
            forced |= System.getenv(name) != null;
        }
        if (!forced) {
            return false;
        }
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Run.class.getName());
        command.addAll(List.of(args));
        ProcessBuilder child = new ProcessBuilder(command).inheritIO();
        for (String name : OpenBlas.FORCING_ENV) {
            child.environment().remove(name);
        }
        int exit = child.start().waitFor();
        if (exit != 0) {
            System.exit(exit);
        }
        return true;
    }

    private static Map<String, String> parseArgs(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("Arguments are --name=value, got: " + arg);
            }
            int eq = arg.indexOf('=');
            options.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        return options;
    }

    /** {@code "impl=vector,openblas;shape=64x64x64"} to a map; blank gives an empty map. */
    static Map<String, String> parseParams(String spec) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String part : spec.split(";")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0 || eq == part.length() - 1) {
                throw new IllegalArgumentException("jmh.params entries are name=v1,v2 separated by ';', got: " + part);
            }
            params.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
        }
        return params;
    }
}
