package dev.lanewise.bench;

import dev.lanewise.bench.peer.NativeOperands;
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
 * y = op(A)·x for a square {@code size}×{@code size} row-major A, one call per operation. The matrix dominates the
 * traffic (size² elements read once): 256 fits in L2, 1024 in L3, 4096 (64 MiB float) goes to memory.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class GemvBenchmark {

    @Param({"scalar", "vector", "openblas"})
    public String impl;

    @Param({"256", "1024", "4096"})
    public int size;

    /** N: y = A·x; T: y = Aᵀ·x. */
    @Param({"N", "T"})
    public String transA;

    @Param({"float", "double"})
    public String precision;

    private KernelProvider provider;
    private boolean single, native_, t;
    private float[] af, xf, yf;
    private double[] ad, xd, yd;
    private NativeOperands natives;

    @Setup(Level.Trial)
    public void setUp() {
        single = precision.equals("float");
        native_ = impl.equals("openblas");
        t = transA.equals("T");
        SplittableRandom rnd = new SplittableRandom(BenchSupport.SEED);
        if (single) {
            af = BenchSupport.floats(rnd, size * size);
            xf = BenchSupport.floats(rnd, size);
            yf = new float[size];
        } else {
            ad = BenchSupport.doubles(rnd, size * size);
            xd = BenchSupport.doubles(rnd, size);
            yd = new double[size];
        }
        if (native_) {
            natives = single ? NativeOperands.of(af, xf, yf) : NativeOperands.of(ad, xd, yd);
        } else {
            provider = BenchSupport.provider(impl);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (natives != null) {
            natives.close();
        }
    }

    @Benchmark
    public Object gemv() {
        if (native_) {
            int op = t ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
            if (single) {
                openblas_nolapack.cblas_sgemv(openblas_nolapack.CblasRowMajor, op, size, size, 1f, natives.fa, size,
                        natives.fb, 1, 0f, natives.fc, 1);
                return natives.fc;
            }
            openblas_nolapack.cblas_dgemv(openblas_nolapack.CblasRowMajor, op, size, size, 1.0, natives.da, size,
                    natives.db, 1, 0.0, natives.dc, 1);
            return natives.dc;
        }
        if (single) {
            provider.gemv(t, size, size, 1f, af, 0, size, xf, 0, 0f, yf, 0);
            return yf;
        }
        provider.gemv(t, size, size, 1.0, ad, 0, size, xd, 0, 0.0, yd, 0);
        return yd;
    }
}
