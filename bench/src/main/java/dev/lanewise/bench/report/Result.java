package dev.lanewise.bench.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One JMH result: a benchmark method with its parameters, score and error (ops/s), and the normalised allocation
 * rate when the run used {@code -prof gc}.
 *
 * @param benchmarkClass simple class name, e.g. {@code GemmBenchmark}
 * @param method         the benchmark method
 * @param params         JMH parameters in declaration order
 * @param score          primary score, ops/s
 * @param error          half-width of the 99.9% confidence interval (NaN with a single iteration)
 * @param forks          number of forks
 * @param allocBytesPerOp bytes allocated per operation, or NaN if not measured
 */
public record Result(String benchmarkClass, String method, Map<String, String> params, double score, double error,
                     int forks, double allocBytesPerOp) {

    /** Reads every result of a JMH JSON result file ({@code -rf json}). */
    public static List<Result> read(Path jmhJson) throws IOException {
        JsonArray array = JsonParser.parseString(Files.readString(jmhJson, StandardCharsets.UTF_8)).getAsJsonArray();
        List<Result> results = new ArrayList<>();
        for (JsonElement element : array) {
            JsonObject o = element.getAsJsonObject();
            String benchmark = o.get("benchmark").getAsString();
            int lastDot = benchmark.lastIndexOf('.');
            String className = benchmark.substring(0, lastDot);
            Map<String, String> params = new LinkedHashMap<>();
            if (o.has("params")) {
                o.getAsJsonObject("params").entrySet().forEach(e -> params.put(e.getKey(), e.getValue().getAsString()));
            }
            JsonObject primary = o.getAsJsonObject("primaryMetric");
            double alloc = Double.NaN;
            JsonObject secondary = o.getAsJsonObject("secondaryMetrics");
            // JMH 1.37 names it "gc.alloc.rate.norm"; older versions put a "·" in front.
            for (String key : new String[] {"gc.alloc.rate.norm", "·gc.alloc.rate.norm"}) {
                if (secondary != null && secondary.has(key)) {
                    alloc = number(secondary.getAsJsonObject(key).get("score"));
                }
            }
            results.add(new Result(className.substring(className.lastIndexOf('.') + 1),
                    benchmark.substring(lastDot + 1), params, number(primary.get("score")),
                    number(primary.get("scoreError")), o.get("forks").getAsInt(), alloc));
        }
        return results;
    }

    /** JMH writes "NaN" as a string when the error is undefined. */
    private static double number(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return Double.NaN;
        }
        return e.getAsJsonPrimitive().isString() ? Double.parseDouble(e.getAsString()) : e.getAsDouble();
    }

    /** Relative error (error / score), 0 when the error is unknown. */
    double relativeError() {
        return Double.isFinite(error) && score != 0 ? error / score : 0;
    }
}
