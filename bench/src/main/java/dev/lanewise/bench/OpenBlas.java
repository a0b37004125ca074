package dev.lanewise.bench;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas_nolapack;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The native peer: OpenBLAS from org.bytedeco, pinned to one thread so it is compared core for core with the
 * single-threaded Java kernels.
 */
public final class OpenBlas {

    /** Environment variables that would force a weaker kernel or cache model; benchmark JVMs must not see them. */
    public static final String[] FORCING_ENV = {"OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"};

    static final int THREADS = 1;

    private OpenBlas() {
    }

    /** Loads OpenBLAS, sets {@value #THREADS} thread(s) and fails if it did not take. */
    static void init() {
        Loader.load(openblas_nolapack.class);
        openblas_nolapack.blas_set_num_threads(THREADS);
        int threads = openblas_nolapack.blas_get_num_threads();
        if (threads != THREADS) {
            throw new IllegalStateException("OpenBLAS runs " + threads + " threads, wanted " + THREADS);
        }
        for (String name : FORCING_ENV) {
            if (System.getenv(name) != null) {
                System.err.println("WARNING: " + name + "=" + System.getenv(name) + " is set: OpenBLAS core "
                        + coreName() + " may not be its best kernel for this CPU; run with env -u " + name);
            }
        }
    }

    /** Thread count OpenBLAS reports after {@link #init()}. */
    public static int threads() {
        init();
        return openblas_nolapack.blas_get_num_threads();
    }

    /**
     * The core type OpenBLAS's dynamic dispatch chose (e.g. {@code SkylakeX}, {@code Cooperlake}, or {@code Haswell}
     * when forced). The presets do not map {@code openblas_get_corename}, so it is called through the FFM API at the
     * address javacpp resolved in the loaded library.
     */
    @SuppressWarnings("restricted") // a deliberate native call; the forks run with --enable-native-access
    public static String coreName() {
        Loader.load(openblas_nolapack.class);
        Pointer symbol = Loader.addressof("openblas_get_corename");
        if (symbol == null || symbol.address() == 0) {
            return "unknown (openblas_get_corename not found)";
        }
        MethodHandle getCoreName = Linker.nativeLinker().downcallHandle(
                MemorySegment.ofAddress(symbol.address()), FunctionDescriptor.of(ValueLayout.ADDRESS));
        try {
            MemorySegment name = (MemorySegment) getCoreName.invokeExact();
            return name.reinterpret(256).getString(0);
        } catch (Throwable e) {
            throw new IllegalStateException("openblas_get_corename failed", e);
        }
    }
}
