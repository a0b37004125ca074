package dev.lanewise.kernel.spi;

import dev.lanewise.kernel.Activation;
import dev.lanewise.kernel.Gemm;
import dev.lanewise.kernel.Losses;
import dev.lanewise.kernel.Transpose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Runs only in the Surefire execution {@code no-incubator-module}: a JVM started without
 * {@code --add-modules jdk.incubator.vector}. The library must pick the scalar provider, say so in one log line with
 * the flag to add, and compute correct results. This class must not reference the vector package.
 */
class ProviderFallbackTest {
    private static final List<String> LOG = new ArrayList<>();

    @BeforeAll
    static void captureTheChoiceLogLine() {
        assertThat(System.getProperty("lanewise.test.noIncubator"))
                .as("this test belongs to the no-incubator-module execution").isEqualTo("true");
        Logger logger = Logger.getLogger("dev.lanewise.kernel");
        logger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord r) {
                LOG.add(java.text.MessageFormat.format(r.getMessage(), r.getParameters()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
    }

    @Test
    void scalarIsChosenWithOneExplainingLogLine() {
        assertThat(ModuleLayer.boot().findModule("jdk.incubator.vector")).isEmpty();
        assertThat(Providers.vectorAvailable()).isFalse();
        assertThat(Providers.get().name()).isEqualTo("scalar");
        assertThat(LOG).hasSize(1);
        assertThat(LOG.get(0)).contains("scalar").contains("--add-modules jdk.incubator.vector");
        assertThatThrownBy(Providers::vector).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("--add-modules jdk.incubator.vector");
        assertThatThrownBy(() -> Class.forName("jdk.incubator.vector.FloatVector"))
                .isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void theFacadesComputeCorrectResultsWithoutTheModule() {
        SplittableRandom rnd = new SplittableRandom(5);
        int m = 13, n = 17, k = 19;
        double[] a = new double[k * m], b = new double[k * n], c = new double[m * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = rnd.nextDouble() - 0.5;
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = rnd.nextDouble() - 0.5;
        }
        Gemm.gemm(Transpose.TRANSPOSE, Transpose.NONE, m, n, k, 2.0, a, 0, m, b, 0, n, 0.0, c, 0, n);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double want = 0;
                for (int p = 0; p < k; p++) {
                    want += a[p * m + i] * b[p * n + j];
                }
                assertThat(c[i * n + j]).isCloseTo(2 * want, org.assertj.core.data.Offset.offset(1e-13));
            }
        }
        float[] y = new float[3];
        Activation.SIGMOID.forward(3, new float[] {0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}, 0, y, 0);
        assertThat(y).containsExactly(0.5f, 1f, 0f);
        float[] grad = new float[2];
        double loss = Losses.softmaxCrossEntropy(1, 2, new float[] {0f, 0f}, 0, 2, new int[] {1}, 0, 1f, grad, 0, 2);
        assertThat(loss).isCloseTo(Math.log(2), org.assertj.core.data.Offset.offset(1e-7));
        assertThat(grad).containsExactly(0.5f, -0.5f);
    }
}
