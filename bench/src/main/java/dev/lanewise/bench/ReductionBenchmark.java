package dev.lanewise.bench;

import dev.lanewise.kernel.spi.KernelProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Reductions of a {@code rows}×{@code cols} row-major matrix, one call per operation: {@code columnSums} (the bias
 * gradient of a dense layer), {@code rowSums}, {@code rowMax}, {@code rowArgmax} (prediction from logits).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ReductionBenchmark {

    @Param({"scalar", "vector"})
    public String impl;

    @Param({"columnSums", "rowSums", "rowMax", "rowArgmax"})
    public String op;

    @Param({"128x256", "128x1000"})
    public String shape;

    @Param({"float", "double"})
    public String precision;

    private KernelProvider provider;
    private int rows, cols, which;
    private boolean single;
    private float[] af, outf;
    private double[] ad, outd;
    private int[] idx;

    @Setup(Level.Trial)
    public void setUp() {
        provider = BenchSupport.provider(impl);
        int[] rc = BenchSupport.rowsCols(shape);
        rows = rc[0];
        cols = rc[1];
        single = precision.equals("float");
        which = switch (op) {
            case "columnSums" -> 0;
            case "rowSums" -> 1;
            case "rowMax" -> 2;
            case "rowArgmax" -> 3;
            default -> throw new IllegalArgumentException("op " + op);
        };
        SplittableRandom rnd = new SplittableRandom(BenchSupport.SEED);
        int outLength = Math.max(rows, cols);
        idx = new int[rows];
        if (single) {
            af = BenchSupport.floats(rnd, rows * cols);
            outf = new float[outLength];
        } else {
            ad = BenchSupport.doubles(rnd, rows * cols);
            outd = new double[outLength];
        }
    }

    @Benchmark
    public Object reduce() {
        if (single) {
            switch (which) {
                case 0 -> provider.columnSums(rows, cols, af, 0, cols, 0f, outf, 0);
                case 1 -> provider.rowSums(rows, cols, af, 0, cols, 0f, outf, 0);
                case 2 -> provider.rowMax(rows, cols, af, 0, cols, outf, 0);
                default -> {
                    provider.rowArgmax(rows, cols, af, 0, cols, idx, 0);
                    return idx;
                }
            }
            return outf;
        }
        switch (which) {
            case 0 -> provider.columnSums(rows, cols, ad, 0, cols, 0.0, outd, 0);
            case 1 -> provider.rowSums(rows, cols, ad, 0, cols, 0.0, outd, 0);
            case 2 -> provider.rowMax(rows, cols, ad, 0, cols, outd, 0);
            default -> {
                provider.rowArgmax(rows, cols, ad, 0, cols, idx, 0);
                return idx;
            }
        }
        return outd;
    }
}
