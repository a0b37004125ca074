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
 * y = op(A)·x (alpha 1, beta 0); A is stored {@code shape} = {@code "MxN"} row-major, {@code trans} T multiplies by
 * Aᵀ. One call per operation; GFLOPS = 2·M·N·score / 1e9 (memory-bound: A is read once per call).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Fork(value = 3, jvmArgsAppend = {BenchSupport.ADD_VECTOR, BenchSupport.NATIVE_ACCESS, BenchSupport.ALLOW_UNSAFE})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class GemvBenchmark {

    @Param({"scalar", "vector", "openblas"})
    public String impl;

    @Param({"float", "double"})
    public String precision;

    @Param({"256x784", "1024x1024"})
    public String shape;

    @Param({"N", "T"})
    public String trans;

    private int m, n;
    private boolean transA, dbl, nativePeer;
    private KernelProvider provider;
    private float[] af, xf, yf;
    private double[] ad, xd, yd;
    private Pointer aNative, xNative, yNative;

    @Setup(Level.Trial)
    public void setUp() {
        int[] d = BenchSupport.dims(shape, 2);
        m = d[0];
        n = d[1];
        transA = switch (trans) {
            case "N" -> false;
            case "T" -> true;
            default -> throw new IllegalArgumentException("trans must be N or T, was: " + trans);
        };
        int xLength = transA ? m : n, yLength = transA ? n : m;
        dbl = BenchSupport.isDouble(precision);
        nativePeer = impl.equals("openblas");
        SplittableRandom random = BenchSupport.random(3);
        if (dbl) {
            ad = BenchSupport.doubles(m * n, random, -1, 1);
            xd = BenchSupport.doubles(xLength, random, -1, 1);
            yd = new double[yLength];
        } else {
            af = BenchSupport.floats(m * n, random, -1, 1);
            xf = BenchSupport.floats(xLength, random, -1, 1);
            yf = new float[yLength];
        }
        if (nativePeer) {
            OpenBlas.init();
            aNative = dbl ? new DoublePointer(ad) : new FloatPointer(af);
            xNative = dbl ? new DoublePointer(xd) : new FloatPointer(xf);
            yNative = dbl ? new DoublePointer(yLength) : new FloatPointer(yLength);
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
    public Object gemv() {
        if (nativePeer) {
            int t = transA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
            if (dbl) {
                openblas_nolapack.cblas_dgemv(openblas_nolapack.CblasRowMajor, t, m, n, 1.0, (DoublePointer) aNative,
                        n, (DoublePointer) xNative, 1, 0.0, (DoublePointer) yNative, 1);
            } else {
                openblas_nolapack.cblas_sgemv(openblas_nolapack.CblasRowMajor, t, m, n, 1f, (FloatPointer) aNative,
                        n, (FloatPointer) xNative, 1, 0f, (FloatPointer) yNative, 1);
            }
            return yNative;
        }
        if (dbl) {
            provider.gemv(transA, m, n, 1.0, ad, 0, n, xd, 0, 0.0, yd, 0);
            return yd;
        }
        provider.gemv(transA, m, n, 1f, af, 0, n, xf, 0, 0f, yf, 0);
        return yf;
    }
}
