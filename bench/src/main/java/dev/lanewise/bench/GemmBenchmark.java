package dev.lanewise.bench;

import dev.lanewise.bench.peer.NativeOperands;
import dev.lanewise.bench.peer.OpenBlas;
import dev.lanewise.kernel.Parallelism;
import dev.lanewise.kernel.spi.KernelProvider;
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
 * C = op(A)·op(B) (alpha 1, beta 0), row-major, one GEMM call per operation. The report converts ops/s to GFLOPS
 * with 2·M·K·N flops per call. {@code shape} is "MxKxN": op(A) is M×K, op(B) is K×N; {@code trans} gives op(A) and
 * op(B) ("TN": A is stored K×M). The MLP shapes are a 784-256-128-10 layer stack at batch 128; the backward shapes are
 * dW = Xᵀ·dZ (784x128x256, TN) and dX = dZ·Wᵀ (128x256x784, NT). {@code threads} sets both libraries' thread count.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
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

    /** Threads for both Lanewise and OpenBLAS: 1 for the single-thread comparisons. */
    @Param({"1"})
    public int threads;

    private int m, n, k, lda, ldb;
    private boolean ta, tb, single, native_;
    private KernelProvider provider;
    private float[] af, bf, cf;
    private double[] ad, bd, cd;
    private NativeOperands natives;
    private int cblasTa, cblasTb;

    @Setup(Level.Trial)
    public void setUp() {
        int[] s = BenchSupport.shape(shape);
        m = s[0];
        k = s[1];
        n = s[2];
        ta = trans.charAt(0) == 'T';
        tb = trans.charAt(1) == 'T';
        lda = ta ? m : k;
        ldb = tb ? k : n;
        single = precision.equals("float");
        native_ = impl.equals("openblas");
        SplittableRandom rnd = new SplittableRandom(BenchSupport.SEED);
        if (single) {
            af = BenchSupport.floats(rnd, m * k);
            bf = BenchSupport.floats(rnd, k * n);
            cf = new float[m * n];
        } else {
            ad = BenchSupport.doubles(rnd, m * k);
            bd = BenchSupport.doubles(rnd, k * n);
            cd = new double[m * n];
        }
        Parallelism.setThreads(threads);
        if (native_) {
            natives = single ? NativeOperands.of(af, bf, cf) : NativeOperands.of(ad, bd, cd);
            OpenBlas.init(threads);
            cblasTa = ta ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
            cblasTb = tb ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
        } else {
            provider = BenchSupport.provider(impl);
        }
        checkOneCall();
    }

    /**
     * Refuses to measure a GEMM that does not compute: one call, then two corners of C against a direct dot product.
     * (A native call with a bad argument prints a warning and returns without work, which would otherwise be timed.)
     */
    private void checkOneCall() {
        gemm();
        for (int[] ij : new int[][] {{0, 0}, {m - 1, n - 1}}) {
            int i = ij[0], j = ij[1];
            double want = 0, scale = 0;
            for (int p = 0; p < k; p++) {
                int ai = ta ? p * lda + i : i * lda + p, bi = tb ? j * ldb + p : p * ldb + j;
                double term = single ? (double) af[ai] * bf[bi] : ad[ai] * bd[bi];
                want += term;
                scale += Math.abs(term);
            }
            double got = !native_ ? (single ? cf[i * n + j] : cd[i * n + j])
                    : (single ? natives.fc.get((long) i * n + j) : natives.dc.get((long) i * n + j));
            if (!(Math.abs(got - want) <= 1e-3 * scale + 1e-6)) {
                throw new IllegalStateException(impl + " " + precision + " " + shape + " " + trans + ": C[" + i + "]["
                        + j + "] = " + got + ", expected " + want);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (natives != null) {
            natives.close();
        }
    }

    @Benchmark
    public Object gemm() {
        if (native_) {
            if (single) {
                openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, cblasTa, cblasTb, m, n, k, 1f,
                        natives.fa, lda, natives.fb, ldb, 0f, natives.fc, n);
                return natives.fc;
            }
            openblas_nolapack.cblas_dgemm(openblas_nolapack.CblasRowMajor, cblasTa, cblasTb, m, n, k, 1.0,
                    natives.da, lda, natives.db, ldb, 0.0, natives.dc, n);
            return natives.dc;
        }
        if (single) {
            provider.gemm(ta, tb, m, n, k, 1f, af, 0, lda, bf, 0, ldb, 0f, cf, 0, n);
            return cf;
        }
        provider.gemm(ta, tb, m, n, k, 1.0, ad, 0, lda, bd, 0, ldb, 0.0, cd, 0, n);
        return cd;
    }
}
