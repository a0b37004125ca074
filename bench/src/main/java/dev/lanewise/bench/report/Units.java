package dev.lanewise.bench.report;

import java.util.Map;

/**
 * What one operation of each benchmark is worth in physical units, so the report can show GFLOPS for the GEMMs and
 * GB/s for the streaming kernels next to ops/s. One table, one rule per benchmark class.
 */
final class Units {
    private Units() {
    }

    /** "GFLOPS" or "GB/s", and the amount per operation (flops or bytes); null if the benchmark has no such unit. */
    record Unit(String name, double perOp) {
        double of(double opsPerSecond) {
            return opsPerSecond * perOp / 1e9;
        }
    }

    static Unit of(String benchmarkClass, Map<String, String> params) {
        int elementBytes = "double".equals(params.get("precision")) ? Double.BYTES : Float.BYTES;
        return switch (benchmarkClass) {
            // 2·M·K·N flops per call; shape is "MxKxN".
            case "GemmBenchmark", "DenseLayerBenchmark" -> {
                long[] s = dims(params.get("shape"));
                yield s == null ? null : new Unit("GFLOPS", 2.0 * s[0] * s[1] * s[2]);
            }
            // Copy reads one stream and writes one; activation forward the same (z in, y out); backward reads the
            // operand and dy and writes dz.
            case "CopyBenchmark" -> new Unit("GB/s", 2.0 * size(params) * elementBytes);
            case "ActivationBenchmark" ->
                    new Unit("GB/s", ("backward".equals(params.get("pass")) ? 3.0 : 2.0) * size(params) * elementBytes);
            // The matrix dominates: read once (GEMV) or read and written once (GER).
            case "GemvBenchmark" -> new Unit("GB/s", (double) size(params) * size(params) * elementBytes);
            case "GerBenchmark" -> new Unit("GB/s", 2.0 * size(params) * size(params) * elementBytes);
            // Adam reads p, g, m and v and writes p, m and v.
            case "UpdateBenchmark" -> new Unit("GB/s", 7.0 * size(params) * elementBytes);
            default -> null;
        };
    }

    private static long size(Map<String, String> params) {
        return Long.parseLong(params.getOrDefault("size", "0"));
    }

    private static long[] dims(String shape) {
        if (shape == null) {
            return null;
        }
        String[] p = shape.split("x");
        if (p.length != 3) {
            return null;
        }
        return new long[] {Long.parseLong(p[0]), Long.parseLong(p[1]), Long.parseLong(p[2])};
    }
}
