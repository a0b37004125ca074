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
 * Reductions over a {@code shape} = {@code "MxN"} row-major matrix: column sums (bias gradients over a batch), row
 * sums, row max and argmax (predictions), and a dot product over all M·N elements.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Fork(value = 3, jvmArgsAppend = {BenchSupport.ADD_VECTOR, BenchSupport.NATIVE_ACCESS, BenchSupport.ALLOW_UNSAFE})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ReductionBenchmark {

    @Param({"scalar", "vector"})
    public String impl;

    @Param({"float", "double"})
    public String precision;

    /** A batch of 128 hidden activations, and a large matrix far out of L1/L2. */
    @Param({"128x256", "1024x1024"})
    public String shape;

    private int m, n;
    private boolean dbl;
    private KernelProvider provider;
    private int[] argmax;
    private float[] af, bf, colF, rowF;
    private double[] ad, bd, colD, rowD;

    @Setup(Level.Trial)
    public void setUp() {
        int[] d = BenchSupport.dims(shape, 2);
        m = d[0];
        n = d[1];
        provider = BenchSupport.provider(impl);
        dbl = BenchSupport.isDouble(precision);
        SplittableRandom random = BenchSupport.random(6);
        argmax = new int[m];
        if (dbl) {
            ad = BenchSupport.doubles(m * n, random, -1, 1);
            bd = BenchSupport.doubles(m * n, random, -1, 1);
            colD = new double[n];
            rowD = new double[m];
        } else {
            af = BenchSupport.floats(m * n, random, -1, 1);
            bf = BenchSupport.floats(m * n, random, -1, 1);
            colF = new float[n];
            rowF = new float[m];
        }
    }

    @Benchmark
    public Object columnSums() {
        if (dbl) {
            provider.columnSums(m, n, ad, 0, n, 0.0, colD, 0);
            return colD;
        }
        provider.columnSums(m, n, af, 0, n, 0f, colF, 0);
        return colF;
    }

    @Benchmark
    public Object rowSums() {
        if (dbl) {
            provider.rowSums(m, n, ad, 0, n, 0.0, rowD, 0);
            return rowD;
        }
        provider.rowSums(m, n, af, 0, n, 0f, rowF, 0);
        return rowF;
    }

    @Benchmark
    public Object rowMax() {
        if (dbl) {
            provider.rowMax(m, n, ad, 0, n, rowD, 0);
            return rowD;
        }
        provider.rowMax(m, n, af, 0, n, rowF, 0);
        return rowF;
    }

    @Benchmark
    public Object rowArgmax() {
        if (dbl) {
            provider.rowArgmax(m, n, ad, 0, n, argmax, 0);
        } else {
            provider.rowArgmax(m, n, af, 0, n, argmax, 0);
        }
        return argmax;
    }

    @Benchmark
    public double dot() {
        return dbl ? provider.dot(m * n, ad, 0, bd, 0) : provider.dot(m * n, af, 0, bf, 0);
    }
}
