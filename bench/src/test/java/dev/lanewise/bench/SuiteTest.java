package dev.lanewise.bench;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Param;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plans are the benchmark names' contract in action: a typo in a plan (a parameter that the class does not
 * declare, a shape that does not parse) would only surface as a JMH failure deep into a 20-minute run.
 */
class SuiteTest {

    private static final Pattern PARAM = Pattern.compile("^([A-Za-z]+)=(.+)$");

    private static List<Suite.Run> allRuns() {
        return Stream.concat(Suite.SMOKE_PLAN.stream(), Suite.FULL_PLAN.stream()).toList();
    }

    @Test
    void everyRunNamesABenchmarkClassAndOnlyParametersItDeclares() throws Exception {
        for (Suite.Run run : allRuns()) {
            Class<?> benchmark = Class.forName("dev.lanewise.bench." + run.benchmarkClass());
            Set<String> declared = new HashSet<>();
            for (Field f : benchmark.getFields()) {
                if (f.isAnnotationPresent(Param.class)) {
                    declared.add(f.getName());
                }
            }
            List<String> args = run.jmhArgs();
            for (int i = 0; i < args.size(); i++) {
                if (!args.get(i).equals("-p")) {
                    continue;
                }
                Matcher m = PARAM.matcher(args.get(i + 1));
                assertThat(m.matches()).as("%s: -p %s", run.name(), args.get(i + 1)).isTrue();
                assertThat(declared).as("%s: parameters of %s", run.name(), run.benchmarkClass())
                        .contains(m.group(1));
                if (m.group(1).equals("shape")) {
                    for (String shape : m.group(2).split(",")) {
                        boolean mkn = run.benchmarkClass().equals("GemmBenchmark")
                                || run.benchmarkClass().equals("DenseLayerBenchmark");
                        int[] dims = mkn ? BenchSupport.shape(shape) : BenchSupport.rowsCols(shape);
                        assertThat(java.util.Arrays.stream(dims).min().orElseThrow()).as("%s: shape %s", run.name(), shape).isPositive();
                    }
                }
            }
        }
    }

    @Test
    void resultFileNamesAreUniqueWithinAPlan() {
        for (List<Suite.Run> plan : List.of(Suite.SMOKE_PLAN, Suite.FULL_PLAN)) {
            List<String> names = new ArrayList<>();
            plan.forEach(r -> names.add(r.name()));
            assertThat(names).doesNotHaveDuplicates();
        }
    }

    @Test
    void theFullPlanGivesTheHeadlineComparisonsThreeForks() {
        for (String name : List.of("gemm-nn", "gemm-mlp", "gemm-backward", "gemm-backward-nt", "gemm-threads",
                "gemm-transposes", "dense-layer", "training-step-vector", "training-step-2-threads")) {
            Suite.Run run = Suite.FULL_PLAN.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
            List<String> args = run.jmhArgs();
            assertThat(args.get(args.indexOf("-f") + 1)).as(name).isEqualTo("3");
        }
    }
}
