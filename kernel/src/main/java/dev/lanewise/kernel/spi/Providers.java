package dev.lanewise.kernel.spi;

import dev.lanewise.kernel.scalar.ScalarProvider;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Locale;

/**
 * Chooses the {@link KernelProvider} once per JVM, lazily, on first use.
 *
 * <p>The Vector API provider is chosen when the {@code jdk.incubator.vector} module is in the boot layer (the JVM was
 * started with {@code --add-modules jdk.incubator.vector}); otherwise the scalar provider. Classes that touch the
 * incubator module are loaded only after that check, by name, so a JVM without the module never sees them.
 *
 * <p>The system property {@code lanewise.provider} = {@code scalar} | {@code vector} forces a choice. Forcing
 * {@code vector} without the module is an error on first use, not a silent fallback.
 *
 * <p>One {@link System.Logger} INFO line (logger {@code dev.lanewise.kernel}) says which provider was chosen and why.
 */
public final class Providers {

    /** System property that forces the provider: {@code scalar} or {@code vector}. */
    public static final String PROPERTY = "lanewise.provider";
    /** The JVM flag that enables the vector provider. */
    public static final String VECTOR_FLAG = "--add-modules jdk.incubator.vector";

    private static final String INCUBATOR_MODULE = "jdk.incubator.vector";
    private static final String VECTOR_PROVIDER_CLASS = "dev.lanewise.kernel.vector.VectorProvider";

    private Providers() {
    }

    /** The provider every facade uses. */
    public static KernelProvider get() {
        return Holder.INSTANCE;
    }

    /** The scalar reference provider (always available). */
    public static KernelProvider scalar() {
        return ScalarProvider.INSTANCE;
    }

    /** Whether the Vector API provider can run in this JVM. */
    public static boolean vectorAvailable() {
        return ModuleLayer.boot().findModule(INCUBATOR_MODULE).isPresent();
    }

    /**
     * The Vector API provider, whatever the default is.
     *
     * @throws IllegalStateException if the JVM was started without the incubator module
     */
    public static KernelProvider vector() {
        if (!vectorAvailable()) {
            throw new IllegalStateException("The Vector API provider needs the " + INCUBATOR_MODULE
                    + " module: start the JVM with " + VECTOR_FLAG);
        }
        return VectorHolder.INSTANCE;
    }

    private static final class VectorHolder {
        static final KernelProvider INSTANCE = loadVectorProvider();

        private static KernelProvider loadVectorProvider() {
            try {
                Class<?> type = Class.forName(VECTOR_PROVIDER_CLASS);
                return (KernelProvider) MethodHandles.publicLookup()
                        .findConstructor(type, MethodType.methodType(void.class)).invoke();
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException("Cannot create " + VECTOR_PROVIDER_CLASS, e);
            }
        }
    }

    private static final class Holder {
        static final KernelProvider INSTANCE = choose();

        private static KernelProvider choose() {
            System.Logger log = System.getLogger("dev.lanewise.kernel");
            String forced = System.getProperty(PROPERTY);
            KernelProvider chosen;
            String why;
            if (forced != null && !forced.isBlank()) {
                switch (forced.trim().toLowerCase(Locale.ROOT)) {
                    case "scalar" -> {
                        chosen = scalar();
                        why = "forced by -D" + PROPERTY + "=scalar";
                    }
                    case "vector" -> {
                        chosen = vector();
                        why = "forced by -D" + PROPERTY + "=vector";
                    }
                    default -> throw new IllegalStateException(
                            "-D" + PROPERTY + " must be 'scalar' or 'vector', got '" + forced + "'");
                }
            } else if (vectorAvailable()) {
                chosen = vector();
                why = "module " + INCUBATOR_MODULE + " is present";
            } else {
                chosen = scalar();
                why = "module " + INCUBATOR_MODULE + " is absent; add the JVM flag " + VECTOR_FLAG
                        + " for the Vector API provider";
            }
            log.log(System.Logger.Level.INFO, "Lanewise kernel provider: {0} ({1}); {2}",
                    chosen.name(), chosen.description(), why);
            return chosen;
        }
    }
}
