package dev.lanewise.bench;

import dev.lanewise.kernel.spi.KernelProvider;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas_nolapack;
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
import org.openjdk.jmh.annotations.TearDown;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Rank-1 update A += alpha·x·yᵀ on an {@code shape} = {@code "MxN"} row-major A; one call per operation;
 * GFLOPS = 2·M·N·score / 1e9. Alpha is tiny so that A stays finite however many calls a run makes.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Fork(value = 3, jvmArgsAppend = {BenchSupport.ADD_VECTOR, BenchSupport.NATIVE_ACCESS, BenchSupport.ALLOW_UNSAFE})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class GerBenchmark {

    private static final double ALPHA = 1e-6;

    @Param({"scalar", "vector", "openblas"})
    public String impl;

    @Param({"float", "double"})
    public String precision;

    @Param({"256x784", "1024x1024"})
    public String shape;

    private int m, n;
    private boolean dbl, nativePeer;
    private KernelProvider provider;
    private float[] af, xf, yf;
    private double[] ad, xd, yd;
    private Pointer aNative, xNative, yNative;

    @Setup(Level.Trial)
    public void setUp() {
        int[] d = BenchSupport.dims(shape, 2);
        m = d[0];
        n = d[1];
        dbl = BenchSupport.isDouble(precision);
        nativePeer = impl.equals("openblas");
        SplittableRandom random = BenchSupport.random(4);
        if (dbl) {
            ad = BenchSupport.doubles(m * n, random, -1, 1);
            xd = BenchSupport.doubles(m, random, -1, 1);
            yd = BenchSupport.doubles(n, random, -1, 1);
        } else {
            af = BenchSupport.floats(m * n, random, -1, 1);
            xf = BenchSupport.floats(m, random, -1, 1);
            yf = BenchSupport.floats(n, random, -1, 1);
        }
        if (nativePeer) {
            OpenBlas.init();
            aNative = dbl ? new DoublePointer(ad) : new FloatPointer(af);
            xNative = dbl ? new DoublePointer(xd) : new FloatPointer(xf);
            yNative = dbl ? new DoublePointer(yd) : new FloatPointer(yf);
        } else {
            provider = BenchSupport.provider(impl);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (nativePeer) {
            aNative.close();
            xNative.close();
            yNative.close();
        }
    }

    @Benchmark
    public Object ger() {
        if (nativePeer) {
            if (dbl) {
                openblas_nolapack.cblas_dger(openblas_nolapack.CblasRowMajor, m, n, ALPHA, (DoublePointer) xNative, 1,
                        (DoublePointer) yNative, 1, (DoublePointer) aNative, n);
            } else {
                openblas_nolapack.cblas_sger(openblas_nolapack.CblasRowMajor, m, n, (float) ALPHA,
                        (FloatPointer) xNative, 1, (FloatPointer) yNative, 1, (FloatPointer) aNative, n);
            }
            return aNative;
        }
        if (dbl) {
            provider.ger(m, n, ALPHA, xd, 0, yd, 0, ad, 0, n);
            return ad;
        }
        provider.ger(m, n, (float) ALPHA, xf, 0, yf, 0, af, 0, n);
        return af;
    }
}
