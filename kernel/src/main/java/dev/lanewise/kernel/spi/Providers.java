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

    /** The provider chosen for a forced setting (may be null or blank) and module availability, with the reason. */
    record Choice(KernelProvider provider, String reason) {
        String logLine() {
            return "Lanewise kernel provider: " + provider.name() + " (" + provider.description() + "); " + reason;
        }
    }

    static Choice choose(String forced, boolean moduleAvailable) {
        if (forced != null && !forced.isBlank()) {
            String value = forced.trim().toLowerCase(Locale.ROOT);
            switch (value) {
                case "scalar":
                    return new Choice(scalar(), "forced by -D" + PROPERTY + "=scalar");
                case "vector":
                    if (!moduleAvailable) {
                        throw new IllegalStateException("-D" + PROPERTY + "=vector needs the " + INCUBATOR_MODULE
                                + " module: start the JVM with " + VECTOR_FLAG);
                    }
                    return new Choice(vector(), "forced by -D" + PROPERTY + "=vector");
                default:
                    throw new IllegalStateException(
                            "-D" + PROPERTY + " must be 'scalar' or 'vector', got '" + forced + "'");
            }
        }
        if (moduleAvailable) {
            return new Choice(vector(), "module " + INCUBATOR_MODULE + " is present");
        }
        return new Choice(scalar(), "module " + INCUBATOR_MODULE + " is absent; add the JVM flag " + VECTOR_FLAG
                + " to use the Vector API provider");
    }

    private static final class Holder {
        static final KernelProvider INSTANCE = init();

        private static KernelProvider init() {
            Choice choice = choose(System.getProperty(PROPERTY), vectorAvailable());
            System.getLogger("dev.lanewise.kernel").log(System.Logger.Level.INFO, choice.logLine());
            return choice.provider();
        }
    }
}
