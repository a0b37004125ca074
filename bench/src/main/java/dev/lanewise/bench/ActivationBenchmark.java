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
 * One activation kernel call over {@code size} elements per operation. Bytes moved per operation (the report's
 * GB/s): forward reads z and writes y (2 arrays), backward reads the operand and dy and writes dz (3 arrays).
 * Judge the large size against {@link CopyBenchmark}, which moves 2 arrays.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Fork(value = 3, jvmArgsAppend = {BenchSupport.ADD_VECTOR, BenchSupport.NATIVE_ACCESS, BenchSupport.ALLOW_UNSAFE})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ActivationBenchmark {

    @Param({"scalar", "vector"})
    public String impl;

    /** Every constant of the enum (JMH 1.37 needs them spelled out; ActivationBenchmarkTest keeps the list complete). */
    @Param({"IDENTITY", "RELU", "LEAKY_RELU", "SIGMOID", "TANH", "GELU_TANH", "SILU", "SOFTPLUS"})
    public Activation.Function function;

    @Param({"forward", "backward"})
    public String pass;

    /** In-cache (16 KiB of floats) and far out of cache (64 MiB of floats). */
    @Param({"4096", "16777216"})
    public int size;

    @Param({"float", "double"})
    public String precision;

    private KernelProvider provider;
    private boolean dbl, backward;
    private float parameterF;
    private double parameterD;
    private float[] inF, dyF, outF;
    private double[] inD, dyD, outD;

    @Setup(Level.Trial)
    public void setUp() {
        provider = BenchSupport.provider(impl);
        dbl = BenchSupport.isDouble(precision);
        backward = switch (pass) {
            case "forward" -> false;
            case "backward" -> true;
            default -> throw new IllegalArgumentException("pass must be forward or backward, was: " + pass);
        };
        Activation activation = Activation.of(function);
        parameterD = activation.parameter();
        parameterF = (float) parameterD;
        SplittableRandom random = BenchSupport.random(1);
        // [-6, 6) covers the saturated tails and the linear middle of every function.
        if (dbl) {
            double[] z = BenchSupport.doubles(size, random, -6, 6);
            dyD = BenchSupport.doubles(size, random, -1, 1);
            outD = new double[size];
            if (activation.backwardOperand() == Activation.Operand.OUTPUT) {
                inD = new double[size];
                provider.activationForward(function, parameterD, size, z, 0, inD, 0);
            } else {
                inD = z;
            }
        } else {
            float[] z = BenchSupport.floats(size, random, -6, 6);
            dyF = BenchSupport.floats(size, random, -1, 1);
            outF = new float[size];
            if (activation.backwardOperand() == Activation.Operand.OUTPUT) {
                inF = new float[size];
                provider.activationForward(function, parameterF, size, z, 0, inF, 0);
            } else {
                inF = z;
            }
        }
    }

    @Benchmark
    public Object activation() {
        if (dbl) {
            if (backward) {
                provider.activationBackward(function, parameterD, size, inD, 0, dyD, 0, outD, 0);
            } else {
                provider.activationForward(function, parameterD, size, inD, 0, outD, 0);
            }
            return outD;
        }
        if (backward) {
            provider.activationBackward(function, parameterF, size, inF, 0, dyF, 0, outF, 0);
        } else {
            provider.activationForward(function, parameterF, size, inF, 0, outF, 0);
        }
        return outF;
    }
}
