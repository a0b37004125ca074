package dev.lanewise.bench;

import dev.lanewise.kernel.Activation;
import dev.lanewise.kernel.spi.KernelProvider;
import dev.lanewise.kernel.spi.Providers;
import org.bytedeco.javacpp.Loader;
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

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One dense-layer forward pass per operation, float: Y = f(X·W + b) with X (M×K), W (K×N), b (N), Y (M×N), the MLP
 * layer shapes of {@link GemmBenchmark} ({@code shape} = {@code "MxKxN"}).
 *
 * <ul>
 *   <li>{@code fused}: Lanewise's fused GEMM ({@code gemmFused} of the vector provider: bias and activation applied
 *   to each C tile while it is in cache).</li>
 *   <li>{@code openblas}: OpenBLAS {@code cblas_sgemm} (the same org.bytedeco build and one thread as
 *   {@link GemmBenchmark}), then Lanewise's vector kernels for the rest: the bias as a rank-1 update
 *   (C += 1·bᵀ, {@code ger}) and {@code activationForward} over C. OpenBLAS is called through the FFM API with heap
 *   arrays (critical downcall, no copy), so both sides work on the same Java arrays.</li>
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Fork(value = 3, jvmArgsAppend = {BenchSupport.ADD_VECTOR, BenchSupport.NATIVE_ACCESS, BenchSupport.ALLOW_UNSAFE})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class DenseLayerBenchmark {

    @Param({"fused", "openblas"})
    public String impl;

    @Param({"128x784x256", "128x256x128", "128x128x10"})
    public String shape;

    @Param({"RELU", "GELU_TANH"})
    public String activation;

    private int m, k, n;
    private boolean nativePeer;
    private Activation.Function function;
    private KernelProvider vector;
    private float[] x, w, bias, ones, y;
    private MethodHandle sgemm;

    @Setup(Level.Trial)
    @SuppressWarnings("restricted") // a deliberate native call; the forks run with --enable-native-access
    public void setUp() {
        int[] d = BenchSupport.dims(shape, 3);
        m = d[0];
        k = d[1];
        n = d[2];
        function = Activation.Function.valueOf(activation);
        nativePeer = switch (impl) {
            case "fused" -> false;
            case "openblas" -> true;
            default -> throw new IllegalArgumentException("impl must be fused or openblas, was: " + impl);
        };
        vector = Providers.vector();
        SplittableRandom random = BenchSupport.random(0);
        x = BenchSupport.floats(m * k, random, -1, 1);
        w = BenchSupport.floats(k * n, random, -1, 1);
        bias = BenchSupport.floats(n, random, -1, 1);
        ones = new float[m];
        java.util.Arrays.fill(ones, 1f);
        y = new float[m * n];
        if (nativePeer) {
            OpenBlas.init();
            Loader.load(openblas_nolapack.class);
            Pointer symbol = Loader.addressof("cblas_sgemm");
            if (symbol == null || symbol.address() == 0) {
                throw new IllegalStateException("cblas_sgemm not found in the loaded OpenBLAS");
            }
            ValueLayout.OfInt i = ValueLayout.JAVA_INT;
            ValueLayout.OfFloat f = ValueLayout.JAVA_FLOAT;
            sgemm = Linker.nativeLinker().downcallHandle(MemorySegment.ofAddress(symbol.address()),
                    FunctionDescriptor.ofVoid(i, i, i, i, i, i, f, ValueLayout.ADDRESS, i, ValueLayout.ADDRESS, i, f,
                            ValueLayout.ADDRESS, i),
                    Linker.Option.critical(true));
        }
    }

    @Benchmark
    public Object layer() throws Throwable {
        if (nativePeer) {
            sgemm.invokeExact(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasNoTrans,
                    openblas_nolapack.CblasNoTrans, m, n, k, 1f, MemorySegment.ofArray(x), k, MemorySegment.ofArray(w),
                    n, 0f, MemorySegment.ofArray(y), n);
            vector.ger(m, n, 1f, ones, 0, bias, 0, y, 0, n);
            vector.activationForward(function, 0f, m * n, y, 0, y, 0);
            return y;
        }
        vector.gemmFused(false, false, m, n, k, 1f, x, 0, k, w, 0, n, 0f, y, 0, n, bias, 0, function, 0f, null, 0, 0);
        return y;
    }
}
