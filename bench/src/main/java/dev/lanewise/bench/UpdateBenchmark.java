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
 * The fused Adam update ({@code Updates.adam}) over {@code size} parameters, one call per operation: 4096 (in
 * cache) and 235146, the parameter count of the 784-256-128-10 MLP (p, g, m and v: 3.8 MB in float). The moments
 * carry over from call to call, as in training; the step count stays fixed (the kernel's cost does not depend on it).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class UpdateBenchmark {

    @Param({"scalar", "vector"})
    public String impl;

    @Param({"4096", "235146"})
    public int size;

    @Param({"float", "double"})
    public String precision;

    private KernelProvider provider;
    private boolean single;
    private float[] pf, gf, mf, vf;
    private double[] pd, gd, md, vd;

    // PyTorch's defaults at step 10, lr 1e-3; fields, not constants, so that C2 cannot fold them into the kernel
    // (decay = 1, say, would let it drop a multiplication no real step skips).
    private double beta1 = 0.9, beta2 = 0.999, eps = 1e-8, stepSize = 1e-3 / (1 - Math.pow(0.9, 10));
    private double correction2Sqrt = Math.sqrt(1 - Math.pow(0.999, 10)), l2 = 0, decay = 1;

    @Setup(Level.Trial)
    public void setUp() {
        provider = BenchSupport.provider(impl);
        single = precision.equals("float");
        SplittableRandom rnd = new SplittableRandom(BenchSupport.SEED);
        if (single) {
            pf = BenchSupport.floats(rnd, size);
            gf = BenchSupport.floats(rnd, size);
            mf = new float[size];
            vf = new float[size];
        } else {
            pd = BenchSupport.doubles(rnd, size);
            gd = BenchSupport.doubles(rnd, size);
            md = new double[size];
            vd = new double[size];
        }
    }

    @Benchmark
    public Object adam() {
        if (single) {
            provider.adam(size, pf, 0, gf, 0, mf, 0, vf, 0, (float) l2, (float) decay, (float) (1 - beta1),
                    (float) beta2, (float) (1 - beta2), (float) eps, (float) stepSize, (float) correction2Sqrt);
            return pf;
        }
        provider.adam(size, pd, 0, gd, 0, md, 0, vd, 0, l2, decay, 1 - beta1, beta2, 1 - beta2, eps, stepSize,
                correction2Sqrt);
        return pd;
    }
}
