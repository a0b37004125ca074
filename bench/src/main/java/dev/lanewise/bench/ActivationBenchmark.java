package dev.lanewise.bench;

import dev.lanewise.kernel.Activation;
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
 * One activation kernel call over {@code size} elements per operation: forward y = f(z) (reads z, writes y) or
 * backward dz = dy·f′ (reads the operand {@link Activation#backwardOperand()} names and dy, writes dz). 4096 elements
 * stay in L1/L2; 16 Mi elements go to memory, where the kernels are judged against {@link CopyBenchmark}.
 * {@code function} defaults to every {@link Activation.Function}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ActivationBenchmark {

    @Param({"scalar", "vector"})
    public String impl;

    @Param
    public Activation.Function function;

    @Param({"forward", "backward"})
    public String pass;

    @Param({"4096", "16777216"})
    public int size;

    @Param({"float", "double"})
    public String precision;

    private KernelProvider provider;
    private boolean forward, single;
    private float param;
    private float[] zf, yf, dyf, dzf, operandF;
    private double[] zd, yd, dyd, dzd, operandD;

    @Setup(Level.Trial)
    public void setUp() {
        provider = BenchSupport.provider(impl);
        forward = pass.equals("forward");
        single = precision.equals("float");
        param = function == Activation.Function.LEAKY_RELU ? 0.01f : 0f;
        SplittableRandom rnd = new SplittableRandom(BenchSupport.SEED);
        boolean fromOutput = Activation.of(function).backwardOperand() == Activation.Operand.OUTPUT;
        if (single) {
            zf = BenchSupport.floats(rnd, size);
            for (int i = 0; i < size; i++) {
                zf[i] *= 6; // [-6, 6): the interesting range of every activation
            }
            yf = new float[size];
            dyf = BenchSupport.floats(rnd, size);
            dzf = new float[size];
            provider.activationForward(function, param, size, zf, 0, yf, 0);
            operandF = fromOutput ? yf : zf;
        } else {
            zd = BenchSupport.doubles(rnd, size);
            for (int i = 0; i < size; i++) {
                zd[i] *= 6;
            }
            yd = new double[size];
            dyd = BenchSupport.doubles(rnd, size);
            dzd = new double[size];
            provider.activationForward(function, param, size, zd, 0, yd, 0);
            operandD = fromOutput ? yd : zd;
        }
    }

    @Benchmark
    public Object activation() {
        if (single) {
            if (forward) {
                provider.activationForward(function, param, size, zf, 0, yf, 0);
                return yf;
            }
            provider.activationBackward(function, param, size, operandF, 0, dyf, 0, dzf, 0);
            return dzf;
        }
        if (forward) {
            provider.activationForward(function, param, size, zd, 0, yd, 0);
            return yd;
        }
        provider.activationBackward(function, param, size, operandD, 0, dyd, 0, dzd, 0);
        return dzd;
    }
}
