package dev.lanewise.bench;

import dev.lanewise.kernel.Activation;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Param;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class ActivationBenchmarkTest {

    /** The issue asks for every activation: a constant added to the enum must be added to the @Param list too. */
    @Test
    void functionParamListsEveryActivation() throws NoSuchFieldException {
        String[] benchmarked = ActivationBenchmark.class.getField("function").getAnnotation(Param.class).value();
        assertThat(benchmarked).containsExactlyInAnyOrder(
                Arrays.stream(Activation.Function.values()).map(Enum::name).toArray(String[]::new));
    }
}
