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
