package dev.lanewise.kernel.spi;

import dev.lanewise.kernel.vector.VectorProvider;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Runs in the JVMs that have the incubator module (native width, and again with 128-bit vectors). */
class ProvidersTest {

    @Test
    void theVectorProviderIsTheDefaultWhenTheModuleIsPresent() {
        assertThat(Providers.vectorAvailable()).isTrue();
        assertThat(Providers.get().name()).isEqualTo("vector");
        assertThat(Providers.choose(null, true).reason()).contains("present");
    }

    @Test
    void everyKernelIsImplementedByTheVectorProviderItself() {
        // netlib's trap: a vector class that inherits a scalar method makes "vector vs scalar" compare scalar with
        // scalar. VectorProvider must declare every interface method itself (and must not extend ScalarProvider).
        assertThat(VectorProvider.class.getSuperclass()).isEqualTo(Object.class);
        for (Method m : KernelProvider.class.getMethods()) {
            if (m.isDefault() || java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
                throw new AssertionError("KernelProvider." + m.getName() + " has a default body: implement it in "
                        + "both providers instead");
            }
            try {
                VectorProvider.class.getDeclaredMethod(m.getName(), m.getParameterTypes());
            } catch (NoSuchMethodException e) {
                throw new AssertionError("VectorProvider does not implement " + m + " itself", e);
            }
        }
    }

    @Test
    void theVectorWidthIsTheOneThisJvmWasStartedFor() {
        int bits = VectorProvider.floatSpecies().vectorBitSize();
        String expected = System.getProperty("lanewise.test.expectedVectorBits");
        if (expected != null) {
            assertThat(bits).as("-XX:MaxVectorSize must shrink the species").isEqualTo(Integer.parseInt(expected));
        } else {
            assertThat(bits).isIn(128, 256, 512);
        }
        assertThat(Providers.vector().description()).contains(bits + "-bit");
    }

    @Test
    void forcingWorksAndBadValuesAreErrors() {
        assertThat(Providers.choose("scalar", true).provider().name()).isEqualTo("scalar");
        assertThat(Providers.choose(" Vector ", true).provider().name()).isEqualTo("vector");
        assertThat(Providers.choose("scalar", true).logLine())
                .startsWith("Lanewise kernel provider: scalar").contains("forced by -Dlanewise.provider=scalar");
        assertThatThrownBy(() -> Providers.choose("gpu", true)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'gpu'");
        assertThatThrownBy(() -> Providers.choose("vector", false)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("--add-modules jdk.incubator.vector");
    }
}
