package dev.lanewise.mlp.optim;

import dev.lanewise.mlp.Parameter;
import dev.lanewise.mlp.Precision;
import dev.lanewise.mlp.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.lanewise.mlp.testing.Reference.assertClose;
import static dev.lanewise.mlp.testing.Reference.doubles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Optimizers against PyTorch: optimizer-reference.json holds the parameters after each of 4 steps of
 * torch.optim.SGD / Adam / AdamW (made by src/test/python/optimizer_reference.py with torch 1.13) for a fixed
 * gradient sequence, in float64 and float32. Double must agree to 1e-14 normwise (a different but equally exact
 * operation order may move the last bit); float to 1e-6 (both round every intermediate to float32, but the order of
 * operations and PyTorch's float32 scalars may move the last bits).
 */
class OptimizerTest {
    @SuppressWarnings("unchecked")
    static Map<String, Object> reference() throws IOException {
        try (InputStream in = OptimizerTest.class.getResourceAsStream("/reference/optimizer-reference.json")) {
            return (Map<String, Object>) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    static Stream<Arguments> configs() throws IOException {
        Map<?, ?> configs = (Map<?, ?>) reference().get("configs");
        return configs.keySet().stream().flatMap(k -> Stream.of(Precision.values()).map(p -> Arguments.of(k, p)));
    }

    static Optimizer make(String optimizer, Map<?, ?> kw, List<Parameter> params) {
        double lr = kw.containsKey("lr") ? num(kw.get("lr")) : 1e-3;
        double wd = kw.containsKey("weight_decay") ? num(kw.get("weight_decay")) : -1;
        return switch (optimizer) {
            case "SGD" -> new Sgd(params, lr, kw.containsKey("momentum") ? num(kw.get("momentum")) : 0,
                    kw.containsKey("dampening") ? num(kw.get("dampening")) : 0, Math.max(wd, 0),
                    Boolean.TRUE.equals(kw.get("nesterov")));
            case "Adam", "AdamW" -> {
                boolean w = optimizer.equals("AdamW");
                if (kw.isEmpty()) {
                    yield w ? Adam.adamW(params) : Adam.adam(params);     // the defaults under test
                }
                double[] betas = kw.containsKey("betas") ? doubles(kw.get("betas")) : new double[]{0.9, 0.999};
                double eps = kw.containsKey("eps") ? num(kw.get("eps")) : 1e-8;
                yield new Adam(params, lr, betas[0], betas[1], eps, wd >= 0 ? wd : (w ? 1e-2 : 0), w);
            }
            default -> throw new IllegalArgumentException(optimizer);
        };
    }

    static double num(Object o) {
        return ((Number) o).doubleValue();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("configs")
    void matchesPyTorch(String key, Precision precision) throws IOException {
        Map<String, Object> ref = reference();
        Map<?, ?> config = (Map<?, ?>) ((Map<?, ?>) ref.get("configs")).get(key);
        double[] p0 = doubles(ref.get("p0"));
        List<?> grads = (List<?>) ref.get("grads");
        Parameter p = new Parameter("p", precision.of(1, p0.length, p0), precision.zeros(1, p0.length));
        Optimizer opt = make((String) config.get("optimizer"), (Map<?, ?>) config.get("kwargs"), List.of(p));
        List<?> expected = (List<?>) config.get(precision == Precision.DOUBLE ? "float64" : "float32");
        for (int step = 0; step < grads.size(); step++) {
            double[] g = doubles(grads.get(step));
            for (int i = 0; i < g.length; i++) {
                p.grad().set(i, g[i]);
            }
            opt.step();
            assertClose(key + " step " + (step + 1), p.value().toDoubleArray(), doubles(expected.get(step)),
                    precision == Precision.DOUBLE ? 1e-14 : 1e-6);
        }
    }

    /** Hand-derived: Adam's first step moves every element by lr·g/(|g| + ε·...) ≈ lr·sign(g) (bias correction). */
    @Test
    void adamFirstStepIsLearningRateTimesSign() {
        Parameter p = new Parameter("p", Precision.DOUBLE.of(1, 3, 1, 1, 1), Precision.DOUBLE.of(1, 3, 0.5, -2, 1e-3));
        Adam.adam(List.of(p), 0.01).step();
        // m̂ = g, v̂ = g², so Δ = −lr·g/(|g| + ε) exactly as derived.
        double[] g = {0.5, -2, 1e-3};
        for (int i = 0; i < 3; i++) {
            assertThat(p.value().get(i)).isCloseTo(1 - 0.01 * g[i] / (Math.abs(g[i]) + 1e-8),
                    org.assertj.core.data.Offset.offset(1e-16));
        }
    }

    @Test
    void rejectsBadHyperParameters() {
        Parameter p = new Parameter("p", Precision.DOUBLE.zeros(1, 1), Precision.DOUBLE.zeros(1, 1));
        assertThatThrownBy(() -> new Sgd(List.of(p), -1)).hasMessageContaining("lr");
        assertThatThrownBy(() -> new Sgd(List.of(p), 0.1, 0, 0, 0, true)).hasMessageContaining("Nesterov");
        assertThatThrownBy(() -> new Adam(List.of(p), 0.1, 1.0, 0.999, 1e-8, 0, false)).hasMessageContaining("beta1");
        assertThatThrownBy(() -> new Adam(List.of(p), Double.NaN, 0.9, 0.999, 1e-8, 0, false))
                .hasMessageContaining("lr");
    }
}
