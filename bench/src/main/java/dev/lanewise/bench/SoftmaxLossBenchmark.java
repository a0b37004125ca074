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
 * Row-wise softmax, the fused softmax + cross-entropy (loss and gradient in one pass, integer labels) and binary
 * cross-entropy with logits (loss and gradient) over a {@code shape} = {@code "BxC"} batch of logits.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Fork(value = 3, jvmArgsAppend = {BenchSupport.ADD_VECTOR, BenchSupport.NATIVE_ACCESS, BenchSupport.ALLOW_UNSAFE})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SoftmaxLossBenchmark {

    @Param({"scalar", "vector"})
    public String impl;

    @Param({"float", "double"})
    public String precision;

    /** MNIST-style 10 classes and a 1000-class head, batch 128. */
    @Param({"128x10", "128x1000"})
    public String shape;

    private int rows, cols;
    private boolean dbl;
    private KernelProvider provider;
    private int[] labels;
    private float[] logitsF, targetsF, outF;
    private double[] logitsD, targetsD, outD;

    @Setup(Level.Trial)
    public void setUp() {
        int[] d = BenchSupport.dims(shape, 2);
        rows = d[0];
        cols = d[1];
        provider = BenchSupport.provider(impl);
        dbl = BenchSupport.isDouble(precision);
        SplittableRandom random = BenchSupport.random(5);
        labels = BenchSupport.labels(rows, cols, random);
        if (dbl) {
            logitsD = BenchSupport.doubles(rows * cols, random, -8, 8);
            targetsD = BenchSupport.doubles(rows * cols, random, 0, 1);
            outD = new double[rows * cols];
        } else {
            logitsF = BenchSupport.floats(rows * cols, random, -8, 8);
            targetsF = BenchSupport.floats(rows * cols, random, 0, 1);
            outF = new float[rows * cols];
        }
    }

    @Benchmark
    public Object softmax() {
        if (dbl) {
            provider.softmax(rows, cols, logitsD, 0, cols, outD, 0, cols);
            return outD;
        }
        provider.softmax(rows, cols, logitsF, 0, cols, outF, 0, cols);
        return outF;
    }

    @Benchmark
    public double softmaxCrossEntropy() {
        if (dbl) {
            return provider.softmaxCrossEntropy(rows, cols, logitsD, 0, cols, labels, 0, 1.0 / rows, outD, 0, cols);
        }
        return provider.softmaxCrossEntropy(rows, cols, logitsF, 0, cols, labels, 0, 1f / rows, outF, 0, cols);
    }

    @Benchmark
    public double binaryCrossEntropy() {
        int n = rows * cols;
        if (dbl) {
            return provider.binaryCrossEntropyWithLogits(n, logitsD, 0, targetsD, 0, 1.0 / n, outD, 0);
        }
        return provider.binaryCrossEntropyWithLogits(n, logitsF, 0, targetsF, 0, 1f / n, outF, 0);
    }
}
