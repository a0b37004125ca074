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
import org.openjdk.jmh.infra.Blackhole;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Softmax and the fused losses over a {@code rows}×{@code cols} batch of logits, one call per operation:
 * {@code softmax} (row-wise), {@code softmaxCrossEntropy} (loss and gradient (p − y)/B in one pass, from labels),
 * {@code bceWithLogits} and {@code squaredError} (loss and gradient over all elements).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SoftmaxLossBenchmark {

    @Param({"scalar", "vector"})
    public String impl;

    @Param({"softmax", "softmaxCrossEntropy", "bceWithLogits", "squaredError"})
    public String kernel;

    @Param({"128x10", "128x1000"})
    public String shape;

    @Param({"float", "double"})
    public String precision;

    private KernelProvider provider;
    private int rows, cols, which;
    private boolean single;
    private float[] zf, tf, gf;
    private double[] zd, td, gd;
    private int[] labels;

    @Setup(Level.Trial)
    public void setUp() {
        provider = BenchSupport.provider(impl);
        int[] rc = BenchSupport.rowsCols(shape);
        rows = rc[0];
        cols = rc[1];
        single = precision.equals("float");
        which = switch (kernel) {
            case "softmax" -> 0;
            case "softmaxCrossEntropy" -> 1;
            case "bceWithLogits" -> 2;
            case "squaredError" -> 3;
            default -> throw new IllegalArgumentException("kernel " + kernel);
        };
        SplittableRandom rnd = new SplittableRandom(BenchSupport.SEED);
        int n = rows * cols;
        labels = new int[rows];
        for (int r = 0; r < rows; r++) {
            labels[r] = rnd.nextInt(cols);
        }
        if (single) {
            zf = BenchSupport.floats(rnd, n);
            tf = BenchSupport.floats(rnd, n);
            gf = new float[n];
        } else {
            zd = BenchSupport.doubles(rnd, n);
            td = BenchSupport.doubles(rnd, n);
            gd = new double[n];
        }
    }

    @Benchmark
    public void loss(Blackhole bh) {
        int n = rows * cols;
        float sf = 1f / rows;
        double sd = 1.0 / rows;
        if (single) {
            switch (which) {
                case 0 -> provider.softmax(rows, cols, zf, 0, cols, gf, 0, cols);
                case 1 -> bh.consume(provider.softmaxCrossEntropy(rows, cols, zf, 0, cols, labels, 0, sf, gf, 0, cols));
                case 2 -> bh.consume(provider.binaryCrossEntropyWithLogits(n, zf, 0, tf, 0, sf, gf, 0));
                default -> bh.consume(provider.squaredError(n, zf, 0, tf, 0, sf, gf, 0));
            }
            bh.consume(gf);
        } else {
            switch (which) {
                case 0 -> provider.softmax(rows, cols, zd, 0, cols, gd, 0, cols);
                case 1 -> bh.consume(provider.softmaxCrossEntropy(rows, cols, zd, 0, cols, labels, 0, sd, gd, 0, cols));
                case 2 -> bh.consume(provider.binaryCrossEntropyWithLogits(n, zd, 0, td, 0, sd, gd, 0));
                default -> bh.consume(provider.squaredError(n, zd, 0, td, 0, sd, gd, 0));
            }
            bh.consume(gd);
        }
    }
}
