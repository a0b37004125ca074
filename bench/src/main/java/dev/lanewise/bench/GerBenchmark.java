package dev.lanewise.bench;

import dev.lanewise.bench.peer.OpenBlas;
import dev.lanewise.kernel.spi.KernelProvider;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
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
    private FloatPointer paf, pxf, pyf;
    private DoublePointer pad, pxd, pyd;

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
            OpenBlas.init(1);
            if (single) {
                paf = new FloatPointer(af);
                pxf = new FloatPointer(xf);
                pyf = new FloatPointer(yf);
            } else {
                pad = new DoublePointer(ad);
                pxd = new DoublePointer(xd);
                pyd = new DoublePointer(yd);
            }
        } else {
            provider = BenchSupport.provider(impl);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (var p : new org.bytedeco.javacpp.Pointer[] {paf, pxf, pyf, pad, pxd, pyd}) {
            if (p != null) {
                p.close();
            }
        }
    }

    @Benchmark
    public Object ger() {
        if (native_) {
            if (single) {
                openblas_nolapack.cblas_sger(openblas_nolapack.CblasRowMajor, size, size, ALPHA, pxf, 1, pyf, 1, paf,
                        size);
                return paf;
            }
            openblas_nolapack.cblas_dger(openblas_nolapack.CblasRowMajor, size, size, ALPHA, pxd, 1, pyd, 1, pad,
                    size);
            return pad;
        }
        if (single) {
            provider.ger(size, size, ALPHA, xf, 0, yf, 0, af, 0, size);
            return af;
        }
        provider.ger(size, size, ALPHA, xd, 0, yd, 0, ad, 0, size);
        return ad;
    }
}
