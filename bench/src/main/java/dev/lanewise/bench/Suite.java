package dev.lanewise.bench;

import dev.lanewise.bench.report.BenchReport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Runs a benchmark plan and writes the report; what {@code ./mvnw verify} (plan {@code smoke}) and
 * {@code ./mvnw verify -Pbench} (plan {@code full}) execute.
 *
 * <p>A plan is a list of JMH invocations, each with its own parameter subset: one JMH command line cannot give the
 * same parameter name ({@code shape}) different values for different benchmarks, and the full run must fit in about
 * 20 minutes on 2 cores, so the headline comparisons get 3 forks and the rest 1. Every invocation runs with
 * {@code -foe true} (a failing benchmark fails the build) and writes a JSON result file that the report reads.
 *
 * <p>Usage: {@code Suite --plan smoke|full --out DIR [--include REGEX] [--args "EXTRA JMH ARGS"] [--peers SCRIPT]}.
 */
public final class Suite {

    /**
     * One JMH invocation.
     *
     * @param name      the result file's name
     * @param benchmark JMH's benchmark regex: a class name, optionally with ".method$"
     * @param args      JMH options; double quotes group words into one argument
     */
    record Run(String name, String benchmark, String args) {
        List<String> jmhArgs() {
            List<String> list = new ArrayList<>();
            list.add(benchmark);
            list.addAll(split(args));
            return list;
        }

        String benchmarkClass() {
            int dot = benchmark.indexOf('.');
            return dot < 0 ? benchmark : benchmark.substring(0, dot);
        }
    }

    /** Splits on white space, keeping "double-quoted words" together (without the quotes). */
    static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false, any = false;
        for (char c : line.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
                any = true;
            } else if (Character.isWhitespace(c) && !quoted) {
                if (any) {
                    words.add(word.toString());
                    word.setLength(0);
                    any = false;
                }
            } else {
                word.append(c);
                any = true;
            }
        }
        if (any) {
            words.add(word.toString());
        }
        return words;
    }

    /** The fork arguments that make TrainingStepBenchmark's forks run one provider (it uses the facades). */
    private static String provider(String impl) {
        return " -p impl=" + impl + " -jvmArgsAppend \"--add-modules=jdk.incubator.vector -Dlanewise.provider="
                + impl + "\"";
    }

    private static final String SMOKE = "-f 1 -wi 1 -w 300ms -i 1 -r 500ms";
    // A fork costs about 2 s before its first iteration (JVM start, JMH set-up, OpenBLAS loading), so forks and
    // iterations are budgeted: the full plan must stay near 20 minutes on 2 cores.
    // Claims: 3 forks; one 2 s warm-up iteration (GEMM-NOTES: C2 compiles the micro-kernels within 1-3 s of calls),
    // three half-second measurements (99.9% errors of 1-5% at 1024³ in the runs of 2026-12-01).
    private static final String HEADLINE = "-f 3 -wi 1 -w 2s -i 3 -r 500ms -prof gc";
    // Supporting rows (one fork: indicative, not a claim); 1 s iterations for calls of up to a quarter second.
    private static final String SINGLE_FORK = "-f 1 -wi 2 -w 1s -i 3 -r 1s -prof gc";
    // The GELU epilogue runs boxed (~100x slower) until C2 compiles it, which at 128x784x256 took 3-4 s of calls
    // (warm-up iterations at 7 and 13 ops/s, the first measurement at 1.5 MB/op, Zen 5, 2026-12-04), so 6 s.
    private static final String DENSE_GELU = "-f 1 -wi 3 -w 2s -i 3 -r 1s -prof gc";
    // Elementwise and level 1/2 kernels: calls of microseconds to a few milliseconds, one fork, short measurements.
    // Warm-up stays at 2 s: with 0.5 s, C2 was still compiling the GELU (tanh) loops when measurement began
    // (0.8-2.8 KB/op of boxed vectors, 1.4 MB/op out of cache); with 2 s they allocate nothing.
    private static final String ELEMENTWISE = "-f 1 -wi 2 -w 1s -i 2 -r 500ms -prof gc";
    // A training step runs ~20 distinct Vector API loops; with 2 s of warm-up some were still being compiled by C2
    // when measurement began (iterations at a third of the speed, boxed vectors in -prof gc), so it gets 10 s.
    private static final String TRAINING = "-f 3 -wi 5 -w 2s -i 3 -r 1s -prof gc";
    private static final String TRAINING_PHASES = "-f 1 -wi 5 -w 2s -i 3 -r 1s -prof gc";

    /** Float GEMM of one shape and transpose pair, Lanewise's vector provider against OpenBLAS. */
    private static Run floatGemmVsOpenBlas(String name, String options, String shape, String trans) {
        return new Run(name, "GemmBenchmark", options + " -p impl=vector,openblas -p precision=float -p shape="
                + shape + " -p trans=" + trans);
    }

    /** A smoke pass of every benchmark: about a second each, the smallest interesting parameters. */
    static final List<Run> SMOKE_PLAN = List.of(
            new Run("gemm", "GemmBenchmark", SMOKE + " -p precision=float -p trans=NN -p shape=64x64x64,128x128x10"),
            new Run("dense-layer", "DenseLayerBenchmark", SMOKE + " -p shape=128x256x128"),
            new Run("training-step-vector", "TrainingStepBenchmark", SMOKE + provider("vector")),
            new Run("training-step-scalar", "TrainingStepBenchmark.step$", SMOKE + provider("scalar")),
            new Run("activation", "ActivationBenchmark",
                    SMOKE + " -p size=4096 -p precision=float -p function=RELU,SIGMOID,GELU_TANH"),
            new Run("copy", "CopyBenchmark", SMOKE + " -p size=4096 -p precision=float"),
            new Run("gemv", "GemvBenchmark", SMOKE + " -p size=256 -p precision=float -p transA=N"),
            new Run("ger", "GerBenchmark", SMOKE + " -p size=256 -p precision=float"),
            new Run("softmax-loss", "SoftmaxLossBenchmark", SMOKE + " -p shape=128x10 -p precision=float"),
            new Run("reduction", "ReductionBenchmark", SMOKE + " -p shape=128x256 -p precision=float"),
            new Run("update", "UpdateBenchmark", SMOKE + " -p size=4096 -p precision=float"));

    /** The real run, about 20 minutes on 2 cores: 3 forks where the issues set a target, 1 elsewhere. */
    static final List<Run> FULL_PLAN = List.of(
            new Run("gemm-nn", "GemmBenchmark", HEADLINE + " -p impl=vector,openblas -p trans=NN"
                    + " -p precision=float,double -p shape=256x256x256,1024x1024x1024"),
            new Run("gemm-mlp", "GemmBenchmark", HEADLINE + " -p impl=vector,openblas -p precision=float"
                    + " -p trans=NN -p shape=128x784x256,128x256x128,128x128x10"),
            floatGemmVsOpenBlas("gemm-backward", HEADLINE, "784x128x256", "TN"),
            floatGemmVsOpenBlas("gemm-backward-nt", HEADLINE, "128x256x784", "NT"),
            new Run("gemm-squares", "GemmBenchmark", SINGLE_FORK + " -p impl=vector,openblas -p trans=NN"
                    + " -p precision=float,double -p shape=512x512x512,2048x2048x2048"),
            // The output layer's backward GEMMs: dW = hᵀ·dZ (TN, n = 10) and dX = dZ·Wᵀ (NT, k = 10).
            floatGemmVsOpenBlas("gemm-backward-narrow-tn", SINGLE_FORK, "128x128x10", "TN"),
            floatGemmVsOpenBlas("gemm-backward-narrow-nt", SINGLE_FORK, "128x10x128", "NT"),
            new Run("gemm-transposes", "GemmBenchmark", HEADLINE + " -p impl=vector -p precision=float"
                    + " -p shape=1024x1024x1024 -p trans=NT,TN,TT"),
            new Run("gemm-threads", "GemmBenchmark", HEADLINE + " -p impl=vector,openblas -p precision=float"
                    + " -p shape=1024x1024x1024 -p trans=NN -p threads=2"),
            new Run("gemm-scalar", "GemmBenchmark", HEADLINE + " -p impl=scalar -p precision=float -p trans=NN"
                    + " -p shape=1024x1024x1024"),
            new Run("dense-layer", "DenseLayerBenchmark", HEADLINE + " -p activation=RELU"),
            new Run("dense-layer-gelu", "DenseLayerBenchmark", DENSE_GELU + " -p activation=GELU_TANH"),
            new Run("training-step-vector", "TrainingStepBenchmark.step$", TRAINING + provider("vector")),
            new Run("training-step-phases",
                    "TrainingStepBenchmark.(gradients|forwardLoss|forward|gemms|unfusedStep)$",
                    TRAINING_PHASES + provider("vector")),
            // Adam's step: forward, backward with dW stored, then the fused Adam update (no target; for the record).
            new Run("training-step-adam", "TrainingStepBenchmark.step$",
                    TRAINING_PHASES + provider("vector") + " -p optimizer=adam"),
            new Run("training-step-scalar", "TrainingStepBenchmark.step$", HEADLINE + provider("scalar")),
            new Run("training-step-2-threads", "TrainingStepBenchmark.step$",
                    TRAINING + provider("vector") + " -p threads=2"),
            new Run("activation-in-cache", "ActivationBenchmark", ELEMENTWISE + " -p size=4096 -p precision=float"),
            new Run("activation-memory", "ActivationBenchmark",
                    ELEMENTWISE + " -p size=16777216 -p precision=float -p impl=vector"),
            new Run("copy", "CopyBenchmark", ELEMENTWISE + " -p precision=float"),
            new Run("gemv", "GemvBenchmark", ELEMENTWISE + " -p size=1024,4096 -p precision=float"),
            new Run("ger", "GerBenchmark", ELEMENTWISE + " -p size=1024,4096 -p precision=float"),
            new Run("softmax-loss", "SoftmaxLossBenchmark", ELEMENTWISE + " -p precision=float"),
            new Run("reduction", "ReductionBenchmark", ELEMENTWISE + " -p precision=float -p shape=128x256"),
            new Run("update", "UpdateBenchmark", ELEMENTWISE + " -p precision=float"));

    private Suite() {
    }

    private static boolean benchmarkExists(String simpleName) {
        try {
            Class.forName(Suite.class.getPackageName() + "." + simpleName, false, Suite.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    public static void main(String[] args) throws Exception {
        String plan = "smoke", include = ".*", extra = "", peers = null;
        Path out = Path.of("target");
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--plan" -> plan = value;
                case "--out" -> out = Path.of(value);
                case "--include" -> include = value.isBlank() ? ".*" : value;
                case "--args" -> extra = value;
                case "--peers" -> peers = value;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: Suite --plan smoke|full --out DIR [--include REGEX] [--args ARGS] [--peers SCRIPT]");
            }
            i++;
        }
        boolean smoke = switch (plan) {
            case "smoke" -> true;
            case "full" -> false;
            default -> throw new IllegalArgumentException("--plan must be smoke or full, got " + plan);
        };
        System.exit(run(smoke ? SMOKE_PLAN : FULL_PLAN, smoke, out, Pattern.compile(include), extra, peers));
    }

    static int run(List<Run> plan, boolean smoke, Path out, Pattern include, String extra, String peers)
            throws IOException, InterruptedException {
        Path results = out.resolve("jmh");
        Files.createDirectories(results);
        try (var old = Files.list(results)) {
            for (Path p : old.toList()) {
                Files.delete(p);
            }
        }
        String jar = System.getProperty("java.class.path");
        List<String> resultFiles = new ArrayList<>();
        if (!CleanEnvironment.pinningVariablesSet().isEmpty()) {
            System.out.println("lanewise-bench: benchmark JVMs run without " + CleanEnvironment.pinningVariablesSet());
        }
        boolean ranTrainingStep = false;
        for (Run run : plan) {
            if (!include.matcher(run.benchmark()).find()) {
                continue;
            }
            if (!benchmarkExists(run.benchmarkClass())) {
                System.out.println("lanewise-bench: " + run.name() + ": no class " + run.benchmarkClass()
                        + " in this build");
                continue;
            }
            Path json = results.resolve(run.name() + ".json");
            List<String> command = new ArrayList<>(List.of(CleanEnvironment.java(), "-Djmh.ignoreLock=true", "-cp",
                    jar, org.openjdk.jmh.Main.class.getName()));
            command.addAll(run.jmhArgs());
            command.addAll(List.of("-foe", "true", "-rf", "json", "-rff", json.toString()));
            if (!extra.isBlank()) {
                command.addAll(split(extra));
            }
            System.out.println("lanewise-bench: " + run.name() + ": " + String.join(" ", command.subList(4,
                    command.size())));
            int rc = CleanEnvironment.run(command);
            if (rc != 0) {
                System.err.println("lanewise-bench: run " + run.name() + " failed with exit code " + rc);
                return rc;
            }
            resultFiles.add(json.toString());
            ranTrainingStep |= run.benchmarkClass().equals("TrainingStepBenchmark");
        }
        if (resultFiles.isEmpty()) {
            System.err.println("lanewise-bench: no run of the plan matches --include " + include);
            return 2;
        }
        Path env = out.resolve("environment.properties");
        Files.writeString(env, CleanEnvironment.capture(List.of(CleanEnvironment.java(),
                "--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-cp", jar,
                EnvironmentProbe.class.getName())), StandardCharsets.UTF_8);
        if (!smoke && ranTrainingStep && peers != null && Files.isExecutable(Path.of(peers))) {
            // The numpy/PyTorch peers of the training step; a failure there must not lose the JMH results.
            int rc = CleanEnvironment.run(List.of("bash", peers, out.resolve("peers.txt").toString(), "1", "2"));
            if (rc != 0) {
                System.err.println("lanewise-bench: peers script exited with " + rc + "; report without peers");
            }
        }
        List<String> reportArgs = new ArrayList<>(List.of("--results"));
        reportArgs.addAll(resultFiles);
        reportArgs.addAll(List.of("--env", env.toString(), "--out", out.toString()));
        if (smoke) {
            reportArgs.add("--smoke");
        }
        BenchReport.main(reportArgs.toArray(String[]::new));
        return 0;
    }
}
