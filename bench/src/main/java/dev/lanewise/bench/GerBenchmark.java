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
 * Rank-1 update A += α·x·yᵀ on a square {@code size}×{@code size} A, one call per operation (A read and written
 * once). α is tiny so that repeated updates keep A bounded.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class GerBenchmark {
    private static final float ALPHA = 1e-9f;

    @Param({"scalar", "vector", "openblas"})
    public String impl;

    @Param({"256", "1024", "4096"})
    public int size;

    @Param({"float", "double"})
    public String precision;

    private KernelProvider provider;
    private boolean single, native_;
    private float[] af, xf, yf;
    private double[] ad, xd, yd;
    private NativeOperands natives;

    @Setup(Level.Trial)
    public void setUp() {
        single = precision.equals("float");
        native_ = impl.equals("openblas");
        SplittableRandom rnd = new SplittableRandom(BenchSupport.SEED);
        if (single) {
            af = BenchSupport.floats(rnd, size * size);
            xf = BenchSupport.floats(rnd, size);
            yf = BenchSupport.floats(rnd, size);
        } else {
            ad = BenchSupport.doubles(rnd, size * size);
            xd = BenchSupport.doubles(rnd, size);
            yd = BenchSupport.doubles(rnd, size);
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
    public Object ger() {
        if (native_) {
            if (single) {
                openblas_nolapack.cblas_sger(openblas_nolapack.CblasRowMajor, size, size, ALPHA, natives.fb, 1,
                        natives.fc, 1, natives.fa, size);
                return natives.fa;
            }
            openblas_nolapack.cblas_dger(openblas_nolapack.CblasRowMajor, size, size, ALPHA, natives.db, 1,
                    natives.dc, 1, natives.da, size);
            return natives.da;
        }
        if (single) {
            provider.ger(size, size, ALPHA, xf, 0, yf, 0, af, 0, size);
            return af;
        }
        provider.ger(size, size, ALPHA, xd, 0, yd, 0, ad, 0, size);
        return ad;
    }
}
