package dev.lanewise.bench;

import dev.lanewise.bench.peer.OpenBlas;
import dev.lanewise.kernel.Activation;
import dev.lanewise.kernel.Parallelism;
import dev.lanewise.kernel.spi.KernelProvider;
import dev.lanewise.kernel.spi.Providers;
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
 * A dense layer's forward pass, Y = f(X·W + b), float, one layer per operation. {@code shape} is "MxKxN": X is the
 * M×K batch, W is K×N, Y is M×N. {@code fused}: Lanewise's GEMM with the bias and activation applied to each C tile
 * while it is in cache. {@code openblas}: OpenBLAS's sgemm (writing the Java array directly, no copy), then
 * Lanewise's vector kernels in two calls over the whole of Y: the bias added to every row as a rank-1 update
 * (Y += 1·bᵀ, GER with a vector of ones) and the activation over the M·N contiguous elements. Until session 17 that
 * side added the bias and activated row by row: with 10-column rows each call ran mostly its scalar tail, which
 * made it up to 4 x slower (GELU at 128x128x10) and flattered the fused side's ratio.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class DenseLayerBenchmark {

    @Param({"fused", "openblas"})
    public String impl;

    @Param({"128x784x256", "128x256x128", "128x128x10"})
    public String shape;

    @Param({"RELU", "GELU_TANH"})
    public Activation.Function activation;

    private int m, k, n;
    private boolean fused;
    private float slope;
    private float[] x, w, bias, y, ones;
    private KernelProvider vector;

    @Setup(Level.Trial)
    public void setUp() {
        int[] s = BenchSupport.shape(shape);
        m = s[0];
        k = s[1];
        n = s[2];
        fused = impl.equals("fused");
        slope = (float) Activation.of(activation).parameter();
        SplittableRandom rnd = new SplittableRandom(BenchSupport.SEED);
        x = BenchSupport.floats(rnd, m * k);
        w = BenchSupport.floats(rnd, k * n);
        bias = BenchSupport.floats(rnd, n);
        y = new float[m * n];
        ones = new float[m];
        java.util.Arrays.fill(ones, 1f);
        vector = Providers.vector();
        Parallelism.setThreads(1); // single thread on both sides, like OpenBLAS below
        if (!fused) {
            OpenBlas.init(1);
        }
    }

    @Benchmark
    public Object layer() {
        if (fused) {
            vector.gemmFused(false, false, m, n, k, 1f, x, 0, k, w, 0, n, 0f, y, 0, n, bias, 0, activation, slope,
                    null, 0, 0);
            return y;
        }
        OpenBlas.sgemm(false, false, m, n, k, 1f, x, k, w, n, 0f, y, n);
        vector.ger(m, n, 1f, ones, 0, bias, 0, y, 0, n);
        vector.activationForward(activation, slope, m * n, y, 0, y, 0);
        return y;
    }
}
