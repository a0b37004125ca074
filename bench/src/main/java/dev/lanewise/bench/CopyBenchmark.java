package dev.lanewise.bench;

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
 * The memory-bandwidth baseline: {@code System.arraycopy} of {@code size} elements (reads one array, writes one),
 * the same sizes as {@link ActivationBenchmark}. An elementwise kernel at the large size cannot beat this by much.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Fork(value = 3, jvmArgsAppend = {BenchSupport.ADD_VECTOR, BenchSupport.NATIVE_ACCESS, BenchSupport.ALLOW_UNSAFE})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CopyBenchmark {

    @Param({"4096", "16777216"})
    public int size;

    @Param({"float", "double"})
    public String precision;

    private boolean dbl;
    private float[] srcF, dstF;
    private double[] srcD, dstD;

    @Setup(Level.Trial)
    public void setUp() {
        dbl = BenchSupport.isDouble(precision);
        SplittableRandom random = BenchSupport.random(2);
        if (dbl) {
            srcD = BenchSupport.doubles(size, random, -1, 1);
            dstD = new double[size];
        } else {
            srcF = BenchSupport.floats(size, random, -1, 1);
            dstF = new float[size];
        }
    }

    @Benchmark
    public Object copy() {
        if (dbl) {
            System.arraycopy(srcD, 0, dstD, 0, size);
            return dstD;
        }
        System.arraycopy(srcF, 0, dstF, 0, size);
        return dstF;
    }
}
