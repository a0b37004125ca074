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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * C = op(A)·op(B) (alpha 1, beta 0), row-major, one GEMM call per operation; GFLOPS = 2·M·K·N·score / 1e9.
 * {@code shape} is {@code "MxKxN"}: op(A) is M×K, op(B) is K×N; {@code trans} gives op for A then B.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Fork(value = 3, jvmArgsAppend = {BenchSupport.ADD_VECTOR, BenchSupport.NATIVE_ACCESS, BenchSupport.ALLOW_UNSAFE})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class GemmBenchmark {

    @Param({"scalar", "vector", "openblas"})
    public String impl;

    @Param({"float", "double"})
    public String precision;

    @Param({"64x64x64", "256x256x256", "1024x1024x1024", "128x784x256", "128x256x128", "128x128x10",
            "784x128x256", "128x256x784"})
    public String shape;

    @Param({"NN", "NT", "TN", "TT"})
    public String trans;

    private int m, k, n, lda, ldb;
    private boolean transA, transB, dbl, nativePeer;
    private KernelProvider provider;
    private float[] af, bf, cf;
    private double[] ad, bd, cd;
    private Pointer aNative, bNative, cNative;

    @Setup(Level.Trial)
    public void setUp() {
        int[] d = BenchSupport.dims(shape, 3);
        m = d[0];
        k = d[1];
        n = d[2];
        if (trans.length() != 2 || "NT".indexOf(trans.charAt(0)) < 0 || "NT".indexOf(trans.charAt(1)) < 0) {
            throw new IllegalArgumentException("trans must be NN, NT, TN or TT, was: " + trans);
        }
        transA = trans.charAt(0) == 'T';
        transB = trans.charAt(1) == 'T';
        // Stored A is k×m when transposed, else m×k; stored B is n×k when transposed, else k×n.
        lda = transA ? m : k;
        ldb = transB ? k : n;
        dbl = BenchSupport.isDouble(precision);
        nativePeer = impl.equals("openblas");
        SplittableRandom random = BenchSupport.random(0);
        if (dbl) {
            ad = BenchSupport.doubles(m * k, random, -1, 1);
            bd = BenchSupport.doubles(k * n, random, -1, 1);
            cd = new double[m * n];
        } else {
            af = BenchSupport.floats(m * k, random, -1, 1);
            bf = BenchSupport.floats(k * n, random, -1, 1);
            cf = new float[m * n];
        }
        if (nativePeer) {
            OpenBlas.init();
            aNative = dbl ? new DoublePointer(ad) : new FloatPointer(af);
            bNative = dbl ? new DoublePointer(bd) : new FloatPointer(bf);
            cNative = dbl ? new DoublePointer((long) m * n) : new FloatPointer((long) m * n);
        } else {
            provider = BenchSupport.provider(impl);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (nativePeer) {
            aNative.close();
            bNative.close();
            cNative.close();
        }
    }

    @Benchmark
    public Object gemm() {
        if (nativePeer) {
            int ta = transA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
            int tb = transB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
            if (dbl) {
                openblas_nolapack.cblas_dgemm(openblas_nolapack.CblasRowMajor, ta, tb, m, n, k, 1.0,
                        (DoublePointer) aNative, lda, (DoublePointer) bNative, ldb, 0.0, (DoublePointer) cNative, n);
            } else {
                openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, ta, tb, m, n, k, 1f,
                        (FloatPointer) aNative, lda, (FloatPointer) bNative, ldb, 0f, (FloatPointer) cNative, n);
            }
            return cNative;
        }
        if (dbl) {
            provider.gemm(transA, transB, m, n, k, 1.0, ad, 0, lda, bd, 0, ldb, 0.0, cd, 0, n);
            return cd;
        }
        provider.gemm(transA, transB, m, n, k, 1f, af, 0, lda, bf, 0, ldb, 0f, cf, 0, n);
        return cf;
    }
}
