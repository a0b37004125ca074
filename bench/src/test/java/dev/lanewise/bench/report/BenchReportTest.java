package dev.lanewise.bench.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BenchReportTest {

    private static List<Result> fixture() throws Exception {
        return Result.read(resource("report/results.json"));
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(BenchReportTest.class.getClassLoader().getResource(name).toURI());
    }

    @Test
    void readsJmhJsonIncludingNaNErrorsAndAllocationRates() throws Exception {
        List<Result> results = fixture();
        assertThat(results).hasSize(8);
        Result scalar = results.get(0);
        assertThat(scalar.benchmarkClass()).isEqualTo("GemmBenchmark");
        assertThat(scalar.method()).isEqualTo("gemm");
        assertThat(scalar.params()).containsEntry("impl", "scalar").containsEntry("shape", "256x256x256");
        assertThat(scalar.score()).isEqualTo(100.0);
        assertThat(scalar.allocBytesPerOp()).isEqualTo(16.0);
        assertThat(results.get(3).error()).isNaN();
    }

    @Test
    void tablesHaveUnitsRatiosAndAllocation(@TempDir Path out) throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        BenchReport.write(fixture(), Map.of("cpu", "Test CPU", "openblasCore", "Zen"), false, out,
                new PrintStream(console, true, StandardCharsets.UTF_8));
        String md = Files.readString(out.resolve("lanewise-report.md"));
        assertThat(md).doesNotContain("Smoke run").contains("| cpu | Test CPU |").contains("| openblasCore | Zen |");
        // GEMM 256³: 2·256³ = 33 554 432 flops per op; vector 6000 ops/s = 201.3 GFLOPS, openblas 268.4.
        String gemmRow = md.lines().filter(l -> l.startsWith("| float | 256x256x256 | NN |")).findFirst().orElseThrow();
        assertThat(md).contains("| precision | shape | trans | forks | scalar ops/s |");
        assertThat(gemmRow).startsWith("| float | 256x256x256 | NN | 3 |");
        assertThat(gemmRow).contains("| 201.3 |").contains("| 268.4 |").contains("| 3.355 |");
        // vector/scalar = 60 with relative errors 0.05 and 0.1 → ± 60·√(0.0125) = 6.7; vector/openblas = 0.75 ± 0.053.
        assertThat(gemmRow).contains("| 60.0 ± 6.7 |").contains("| 0.750 ± 0.053 |");
        assertThat(gemmRow).contains("| 16.0 |").contains("| 0.0 |");
        // Activation backward reads two streams and writes one: 3·4096·4 bytes per op; 1e6 ops/s = 49.15 GB/s.
        String act = md.lines().filter(l -> l.startsWith("| SIGMOID | backward |")).findFirst().orElseThrow();
        // The scalar side of this row ran 1 fork (the fixture says so): the row shows the smaller count.
        assertThat(act).startsWith("| SIGMOID | backward | 4096 | float | 1 |");
        assertThat(act).contains("| 49.15 |").contains("| 6.144 |").contains("| 8.00 ± 0.080 |");
        // DenseLayerBenchmark compares fused with openblas.
        String dense = md.lines().filter(l -> l.startsWith("| 128x784x256 | RELU |")).findFirst().orElseThrow();
        assertThat(dense).contains("| 1.50 ± 0.067 |"); // 1.5·√(0.02² + 0.04²)
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("## GemmBenchmark.gemm");
    }

    @Test
    void smokeRunsSayTheyAreNotForComparison(@TempDir Path out) throws Exception {
        BenchReport.write(fixture(), Map.of(), true, out, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8));
        assertThat(Files.readString(out.resolve("lanewise-report.md"))).contains(BenchReport.SMOKE_BANNER);
    }

    @Test
    void theChartIsWellFormedSvgWithOneSeriesPerImplementationAndPrecision(@TempDir Path out) throws Exception {
        BenchReport.write(fixture(), Map.of(), false, out, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8));
        Path svg = out.resolve("lanewise-gemm.svg");
        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile());
        assertThat(doc.getDocumentElement().getNodeName()).isEqualTo("svg");
        String text = Files.readString(svg);
        // Legend entries: scalar float, vector float, openblas float, vector double.
        assertThat(text).contains(">scalar float<").contains(">vector float<").contains(">openblas float<")
                .contains(">vector double<");
        assertThat(Files.readString(out.resolve("lanewise-report.md"))).contains("lanewise-gemm.svg");
    }

    @Test
    void noGemmResultsMeansNoChart(@TempDir Path out) throws Exception {
        List<Result> notGemm = fixture().stream().filter(r -> !r.benchmarkClass().equals("GemmBenchmark")).toList();
        BenchReport.write(notGemm, Map.of(), false, out, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8));
        assertThat(out.resolve("lanewise-gemm.svg")).doesNotExist();
    }
}
