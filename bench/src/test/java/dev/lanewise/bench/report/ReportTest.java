package dev.lanewise.bench.report;

import dev.lanewise.bench.report.Report.Result;
import org.junit.jupiter.api.Test;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The fixture is a real JMH 1.37 JSON file from a short run of GemmBenchmark and CopyBenchmark on JDK 25. */
class ReportTest {

    private static final Environment SMOKE = new Environment("smoke", "2026-11-25T08:30:00Z", "AMD EPYC",
            "avx2 fma avx512f", 2, "Eclipse Adoptium OpenJDK 64-Bit Server VM 25.0.3+9-LTS",
            "Vector API, 512-bit vectors", "Cooperlake", 1);
    private static final Environment FULL = new Environment("full", SMOKE.date(), SMOKE.cpuModel(), SMOKE.cpuFlags(),
            2, SMOKE.jdk(), SMOKE.vectorSpecies(), SMOKE.openblasCore(), 1);

    private static List<Result> fixture() throws Exception {
        try (Reader reader = new InputStreamReader(Objects.requireNonNull(
                ReportTest.class.getResourceAsStream("/jmh-fixture.json")), StandardCharsets.UTF_8)) {
            return Report.parse(reader);
        }
    }

    private static Result find(List<Result> results, String impl, String shape) {
        return results.stream().filter(r -> r.family().equals("GemmBenchmark") && r.impl().equals(impl)
                && r.params().get("shape").equals(shape)).findFirst().orElseThrow();
    }

    @Test
    void parsesScoresErrorsParamsAndForkJdkExactlyAsJmhWroteThem() throws Exception {
        List<Result> results = fixture();
        assertThat(results).hasSize(7);
        Result vector = find(results, "vector", "64x64x64");
        // JMH printed: GemmBenchmark.gemm vector float 64x64x64 NN thrpt 3 9442.395 ± 34938.434 ops/s
        assertThat(vector.score()).isCloseTo(9442.395, within(0.001));
        assertThat(vector.error()).isCloseTo(34938.434, within(0.001));
        assertThat(vector.unit()).isEqualTo("ops/s");
        assertThat(vector.jdkVersion()).isEqualTo("25.0.3");
        assertThat(vector.shortName()).isEqualTo("GemmBenchmark.gemm");
        assertThat(vector.problem()).isEqualTo("precision=float shape=64x64x64 trans=NN");
        Result copy = results.stream().filter(r -> r.family().equals("CopyBenchmark")).findFirst().orElseThrow();
        assertThat(copy.impl()).isEmpty();
        assertThat(copy.params()).isEqualTo(Map.of("precision", "float", "size", "4096"));
    }

    @Test
    void workPerOperationFollowsTheKernelsCostModel() throws Exception {
        List<Result> results = fixture();
        assertThat(Report.workPerOp(find(results, "scalar", "64x64x64"))).isEqualTo(2.0 * 64 * 64 * 64);
        assertThat(Report.workPerOp(find(results, "scalar", "128x128x10"))).isEqualTo(2.0 * 128 * 128 * 10);
        Result copy = results.stream().filter(r -> r.family().equals("CopyBenchmark")).findFirst().orElseThrow();
        assertThat(Report.workPerOp(copy)).isEqualTo(2.0 * 4096 * 4); // read + write, 4-byte floats
        Result backward = new Result("dev.lanewise.bench.ActivationBenchmark.activation",
                Map.of("impl", "vector", "pass", "backward", "size", "100", "precision", "double"), 1, 0, "ops/s", 3,
                "25");
        assertThat(Report.workPerOp(backward)).isEqualTo(3.0 * 100 * 8);
    }

    @Test
    void ratiosDivideScoresOfTheSameProblemAndPropagateBothErrors() throws Exception {
        List<Result> results = fixture();
        Result scalar = find(results, "scalar", "64x64x64"), vector = find(results, "vector", "64x64x64");
        double[] ratio = Report.ratio(Map.of("scalar", scalar, "vector", vector), "vector", "scalar");
        double expected = 9442.394888385346 / 4883.964297399562;
        assertThat(ratio[0]).isCloseTo(expected, within(1e-9));
        double relative = Math.hypot(34938.4342913238 / 9442.394888385346, 27271.850989075032 / 4883.964297399562);
        assertThat(ratio[1]).isCloseTo(expected * relative, within(1e-9));
        assertThat(Report.ratio(Map.of("vector", vector), "vector", "openblas")).isNull();
    }

    @Test
    void markdownShowsEnvironmentScoresGflopsAndRatiosAndMarksSmokeRuns() throws Exception {
        List<Result> results = fixture();
        String smoke = Report.markdown(results, SMOKE);
        assertThat(smoke).contains("Smoke run, not for comparison");
        assertThat(smoke).contains("Cooperlake, 1 thread(s)").contains("512-bit").contains("AMD EPYC");
        assertThat(smoke).contains("JDK of the benchmark forks (from JMH): 25.0.3");
        String row = smoke.lines().filter(l -> l.contains("shape=64x64x64")).findFirst().orElseThrow();
        // openblas: 241,860.76 ops/s * 2*64^3 flops = 126.8 GFLOPS; vector/scalar 1.93, vector/openblas 0.04.
        assertThat(row).contains("241,861 ± 1,264,494").contains("| 127 |").contains("| 1.93 ± ")
                .contains("| 0.04 ± ");
        assertThat(Report.markdown(results, FULL)).doesNotContain("Smoke run");
    }

    @Test
    void summaryHasOneLinePerProblemWithTheHeadlineRatios() throws Exception {
        List<String> lines = Report.summary(fixture(), SMOKE).lines().collect(Collectors.toList());
        assertThat(lines.getFirst()).contains("smoke run, not for comparison");
        assertThat(lines).filteredOn(l -> l.startsWith("GemmBenchmark.gemm")).hasSize(2);
        assertThat(lines).filteredOn(l -> l.startsWith("CopyBenchmark.copy")).hasSize(1);
        String small = lines.stream().filter(l -> l.contains("128x128x10")).findFirst().orElseThrow();
        assertThat(small).contains(String.format(java.util.Locale.ROOT, "%.2f", 1844.954711546064 / 6290.744841624401));
    }

    @Test
    void svgIsWellFormedWithOneLinePerImplementation() throws Exception {
        String svg = Report.gemmSvg(fixture());
        var document = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertThat(document.getElementsByTagName("polyline").getLength()).isEqualTo(3);
        assertThat(document.getElementsByTagName("circle").getLength()).isEqualTo(6);
        assertThat(svg).contains("openblas float NN").contains("vector float NN").contains("scalar float NN");
    }

    @Test
    void singleIterationRunsHaveNoErrorAndShowBareRatios() {
        String json = """
                [{"benchmark":"dev.lanewise.bench.XBenchmark.run","forks":1,"jdkVersion":"25",
                  "params":{"impl":"scalar"},"primaryMetric":{"score":100.0,"scoreError":"NaN","scoreUnit":"ops/s"}},
                 {"benchmark":"dev.lanewise.bench.XBenchmark.run","forks":1,"jdkVersion":"25",
                  "params":{"impl":"vector"},"primaryMetric":{"score":250.0,"scoreError":"NaN","scoreUnit":"ops/s"}}]
                """;
        List<Result> results = Report.parse(new StringReader(json));
        assertThat(results.getFirst().error()).isNaN();
        String row = Report.markdown(results, SMOKE).lines().filter(l -> l.startsWith("| run |")).findFirst()
                .orElseThrow();
        assertThat(row).contains("| 2.50 |").doesNotContain("±");
    }

    @Test
    void rejectsJsonThatIsNotAResultArray() {
        assertThatThrownBy(() -> Report.parse(new StringReader("{\"benchmark\":\"x\"}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("array");
    }

    @Test
    void writeAllReadsEveryResultFileAndWritesReportAndChart(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path results = Files.createDirectories(dir.resolve("jmh-results"));
        try (var in = Objects.requireNonNull(ReportTest.class.getResourceAsStream("/jmh-fixture.json"))) {
            Files.copy(in, results.resolve("00-fixture.json"));
        }
        Files.writeString(results.resolve("01-other.json"), """
                [{"benchmark":"dev.lanewise.bench.TrainingStepBenchmark.step","forks":3,"jdkVersion":"25.0.3",
                  "params":{"impl":"vector"},"primaryMetric":{"score":42.0,"scoreError":1.0,"scoreUnit":"ops/s"}}]
                """);
        Report.writeAll(results, dir.resolve("missing-env.json"), dir);
        String md = Files.readString(dir.resolve("lanewise-report.md"));
        assertThat(md).contains("## GemmBenchmark").contains("## CopyBenchmark").contains("## TrainingStepBenchmark")
                .contains("42.0 ± 1.00");
        assertThat(Files.readString(dir.resolve("lanewise-gemm.svg"))).startsWith("<svg");
    }
}
