package dev.lanewise.bench.peer;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The native peer: OpenBLAS through JavaCPP. Benchmarks call {@code cblas_*} with native memory (Float/DoublePointer
 * allocated once in {@code @Setup}); the {@code float[]} overloads copy on every call and would handicap OpenBLAS.
 */
public final class OpenBlas {
    private static volatile boolean loaded;

    private OpenBlas() {
    }

    /** Loads OpenBLAS and pins it to {@code threads} threads (1 for the single-thread comparisons). */
    public static synchronized void init(int threads) {
        if (!loaded) {
            Loader.load(openblas_nolapack.class);
            loaded = true;
        }
        openblas_nolapack.blas_set_num_threads(threads);
    }

    public static int threads() {
        return openblas_nolapack.blas_get_num_threads();
    }

    private static final class HeapGemm {
        // cblas_sgemm(order, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
        static final MethodHandle SGEMM = heapDowncall("cblas_sgemm", FunctionDescriptor.ofVoid(
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_FLOAT, ValueLayout.ADDRESS,
                ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_FLOAT,
                ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    }

    /**
     * A downcall that may be handed heap arrays ({@code Linker.Option.critical(true)}): OpenBLAS then reads and writes
     * the Java arrays themselves, with no copy, which is what a fair "OpenBLAS, then a Java pass over C" needs.
     */
    @SuppressWarnings("restricted") // native access is granted on purpose (--enable-native-access=ALL-UNNAMED)
    private static MethodHandle heapDowncall(String name, FunctionDescriptor descriptor) {
        init(1);
        MemorySegment symbol = SymbolLookup.loaderLookup().find(name)
                .orElseThrow(() -> new IllegalStateException(name + " not found in the loaded OpenBLAS"));
        return Linker.nativeLinker().downcallHandle(symbol, descriptor, Linker.Option.critical(true));
    }

    /** Row-major float GEMM on Java arrays, C = alpha·op(A)·op(B) + beta·C, through OpenBLAS with no copies. */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int lda,
                             float[] b, int ldb, float beta, float[] c, int ldc) {
        try {
            HeapGemm.SGEMM.invokeExact(openblas_nolapack.CblasRowMajor,
                    transA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
                    transB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans, m, n, k, alpha,
                    MemorySegment.ofArray(a), lda, MemorySegment.ofArray(b), ldb, beta, MemorySegment.ofArray(c), ldc);
        } catch (Throwable e) {
            throw new IllegalStateException("cblas_sgemm failed", e);
        }
    }

    /**
     * The core OpenBLAS chose (e.g. "Zen", "SkylakeX", "Haswell"), read with the FFM API because the JavaCPP presets
     * do not map {@code openblas_get_corename}. Needs {@code --enable-native-access=ALL-UNNAMED}.
     */
    @SuppressWarnings("restricted") // a downcall into the library JavaCPP loaded: native access is granted on purpose
    public static String coreName() {
        init(1);
        try {
            MemorySegment symbol = SymbolLookup.loaderLookup().find("openblas_get_corename")
                    .or(() -> Linker.nativeLinker().defaultLookup().find("openblas_get_corename"))
                    .orElse(null);
            if (symbol == null) {
                return "unknown (openblas_get_corename not found)";
            }
            MethodHandle call = Linker.nativeLinker().downcallHandle(symbol, FunctionDescriptor.of(ValueLayout.ADDRESS));
            MemorySegment name = (MemorySegment) call.invokeExact();
            return name.reinterpret(256).getString(0);
        } catch (Throwable e) {
            return "unknown (" + e + ")";
        }
    }
}
