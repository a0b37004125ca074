package dev.lanewise.mlp;

import dev.lanewise.kernel.Activation;
import dev.lanewise.kernel.Softmax;
import dev.lanewise.mlp.loss.BinaryCrossEntropy;
import dev.lanewise.mlp.loss.Loss;
import dev.lanewise.mlp.loss.MeanSquaredError;
import dev.lanewise.mlp.loss.Reduction;
import dev.lanewise.mlp.loss.SoftmaxCrossEntropy;
import dev.lanewise.mlp.loss.Target;
import dev.lanewise.mlp.optim.Sgd;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.lanewise.mlp.testing.Reference.assertClose;
import static dev.lanewise.mlp.testing.Reference.doubles;
import static dev.lanewise.mlp.testing.Reference.example;
import static dev.lanewise.mlp.testing.Reference.get;
import static dev.lanewise.mlp.testing.Reference.list;
import static dev.lanewise.mlp.testing.Reference.map;
import static dev.lanewise.mlp.testing.Reference.matrix;
import static dev.lanewise.mlp.testing.Reference.number;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The worked examples of ../shared/reference/backprop-examples.md, loaded from the JSON copy in test resources:
 * every forward value, loss, gradient, updated parameter and the loss after the step, to 1e-12 normwise in double
 * and to the reference's float tolerances (1e-6; 1e-5 for the XOR example, whose db3 cancels).
 */
class WorkedExamplesTest {

    static Stream<Arguments> networks() {
        return Stream.of(Precision.values()).flatMap(p -> Stream.of(
                Arguments.of("relu_sigmoid_2_2_1", p, p == Precision.DOUBLE ? 1e-12 : 1e-6),
                Arguments.of("sigmoid_sigmoid_2_1_1", p, p == Precision.DOUBLE ? 1e-12 : 1e-6),
                Arguments.of("sigmoid_sigmoid_2_2_1_mazur", p, p == Precision.DOUBLE ? 1e-12 : 1e-6),
                Arguments.of("xor_relu_relu_sigmoid_2_4_4_1", p, p == Precision.DOUBLE ? 1e-12 : 1e-5)));
    }

    /** Builds the example's network with its initial parameters. */
    static Mlp network(Map<String, Object> ex, Precision precision) {
        double[] sizes = doubles(ex.get("layer_sizes"));
        List<Object> activations = list(ex, "activations");
        Mlp.Builder b = Mlp.builder(precision, (int) sizes[0]);
        for (int l = 1; l < sizes.length; l++) {
            b.dense((int) sizes[l], dev.lanewise.mlp.testing.Reference.activation(activations.get(l - 1)));
        }
        Mlp model = b.build();
        List<Object> params = list(ex, "params");
        for (int l = 0; l < params.size(); l++) {
            Dense d = model.denseLayers().get(l);
            d.weight().value().copyFrom(matrix(precision, get(params.get(l), "W")));
            d.bias().value().copyFrom(matrix(precision, get(params.get(l), "b")));
        }
        return model;
    }

    static Loss loss(Map<String, Object> ex) {
        return switch ((String) ex.get("loss")) {
            case "half_squared_error" -> new MeanSquaredError();
            case "bce_mean" -> BinaryCrossEntropy.onProbabilities();
            default -> throw new IllegalArgumentException((String) ex.get("loss"));
        };
    }

    /** Index in model.layers() of the output of network layer l (a if it has an activation, else z). */
    static int[] denseIndex(Mlp model) {
        int[] idx = new int[model.denseLayers().size()];
        for (int i = 0, d = 0; i < model.layers().size(); i++) {
            if (model.layers().get(i) instanceof Dense) {
                idx[d++] = i;
            }
        }
        return idx;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("networks")
    void forwardBackwardAndOneSgdStep(String id, Precision precision, double tol) {
        Map<String, Object> ex = example(id);
        Map<String, Object> expected = map(ex, "expected");
        Mlp model = network(ex, precision);
        Matrix x = matrix(precision, ex.get("X"));
        Target target = Target.values(matrix(precision, ex.get("targets")));
        Loss loss = loss(ex);

        double value = model.computeGradients(x, target, loss, true);

        int[] dense = denseIndex(model);
        List<Object> forward = list(expected, "forward");
        List<Object> grads = list(expected, "grads");
        for (int l = 0; l < dense.length; l++) {
            assertClose("z" + (l + 1), model.layerOutput(dense[l]), get(forward.get(l), "z"), tol);
            assertClose("a" + (l + 1), model.layerOutput(dense[l] + 1), get(forward.get(l), "a"), tol);
            Dense d = model.denseLayers().get(l);
            assertClose("dZ" + (l + 1), model.layerOutputGradient(dense[l]), get(grads.get(l), "dZ"), tol);
            assertClose("dW" + (l + 1), d.weight().grad(), get(grads.get(l), "dW"), tol);
            assertClose("db" + (l + 1), d.bias().grad(), get(grads.get(l), "db"), tol);
        }
        assertClose("loss", value, number(expected, "loss"), tol);
        assertClose("dX", model.inputGradient(), expected.get("dX"), tol);

        Map<String, Object> sgd = map(expected, "sgd");
        new Sgd(model.parameters(), number(sgd, "lr")).step();
        List<Object> after = list(sgd, "params");
        for (int l = 0; l < after.size(); l++) {
            Dense d = model.denseLayers().get(l);
            assertClose("W" + (l + 1) + " after", d.weight().value(), get(after.get(l), "W"), tol);
            assertClose("b" + (l + 1) + " after", d.bias().value(), get(after.get(l), "b"), tol);
        }
        double lossAfter = model.loss(x, target, loss);
        assertClose("loss after", lossAfter, number(sgd, "loss_after"), tol);
        assertClose("output after", model.forward(x), sgd.get("output_after"), tol);
        if (sgd.containsKey("forward_after")) {
            List<Object> fa = list(sgd, "forward_after");
            for (int l = 0; l < dense.length; l++) {
                assertClose("z" + (l + 1) + " after", model.layerOutput(dense[l]), get(fa.get(l), "z"), tol);
            }
        }
    }

    /**
     * The weights-only variants: Example A (biases kept at 0.1) and Example C (a), the tutorial's own update, where
     * only W1 and W2 move.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("weightsOnlyVariants")
    void weightsOnlyUpdate(String id, String variantName, Precision precision) {
        Map<String, Object> ex = example(id);
        Map<String, Object> variant = map(map(ex, "variants"), variantName);
        Mlp model = network(ex, precision);
        Matrix x = matrix(precision, ex.get("X"));
        Target target = Target.values(matrix(precision, ex.get("targets")));
        model.computeGradients(x, target, new MeanSquaredError());
        List<Parameter> weightsOnly = List.of(model.denseLayers().get(0).weight(), model.denseLayers().get(1).weight());
        new Sgd(weightsOnly, number(map(ex, "expected").get("sgd") instanceof Map<?, ?> m ? m : Map.of(), "lr")).step();
        double tol = precision == Precision.DOUBLE ? 1e-12 : 1e-6;
        assertClose("loss after", model.loss(x, target, new MeanSquaredError()), number(variant, "loss_after"), tol);
        assertClose("output after", model.forward(x), variant.get("output_after"), tol);
        if (variant.containsKey("params")) {
            List<Object> params = list(variant, "params");
            for (int l = 0; l < params.size(); l++) {
                assertClose("W" + (l + 1), model.denseLayers().get(l).weight().value(), get(params.get(l), "W"), tol);
                assertClose("b" + (l + 1), model.denseLayers().get(l).bias().value(), get(params.get(l), "b"), tol);
            }
        }
    }

    static Stream<Arguments> weightsOnlyVariants() {
        return Stream.of(Precision.values()).flatMap(p -> Stream.of(
                Arguments.of("relu_sigmoid_2_2_1", "weights_only_update", p),
                Arguments.of("sigmoid_sigmoid_2_2_1_mazur", "weights_only_as_in_tutorial", p)));
    }

    /** Example F: 2000 full-batch SGD steps from the explicit start reproduce the loss curve and predictions. */
    @ParameterizedTest
    @EnumSource(Precision.class)
    void xorTrainingCurve(Precision precision) {
        Map<String, Object> ex = example("xor_relu_relu_sigmoid_2_4_4_1");
        Map<String, Object> training = map(ex, "training");
        Mlp model = network(ex, precision);
        Matrix x = matrix(precision, ex.get("X"));
        Target target = Target.values(matrix(precision, ex.get("targets")));
        Loss loss = loss(ex);
        Sgd sgd = new Sgd(model.parameters(), 1.0);
        double tol = precision == Precision.DOUBLE ? 1e-9 : 1e-3;
        Map<String, Object> curve = map(training, "loss_after_k_steps");
        for (int k = 0; k <= 2000; k++) {
            if (curve.containsKey(Integer.toString(k))) {
                double expectedLoss = number(curve, Integer.toString(k));
                assertThat(Math.abs(model.loss(x, target, loss) - expectedLoss))
                        .as("loss after %d steps", k).isLessThanOrEqualTo(tol * expectedLoss);
            }
            if (k < 2000) {
                model.computeGradients(x, target, loss);
                sgd.step();
            }
        }
        double[] predictions = model.forward(x).toDoubleArray();
        double[] expected = doubles(training.get("predictions_after_2000_steps"));
        for (int i = 0; i < expected.length; i++) {
            assertThat(Math.abs(predictions[i] - expected[i])).as("prediction %d", i)
                    .isLessThanOrEqualTo(tol * expected[i]);
        }
    }

    /** Example E: softmax cross-entropy on logits, from integer labels and from the one-hot targets. */
    @ParameterizedTest
    @EnumSource(Precision.class)
    void softmaxCrossEntropy(Precision precision) {
        Map<String, Object> ex = example("softmax_ce_3_classes");
        Map<String, Object> expected = map(ex, "expected");
        double tol = precision == Precision.DOUBLE ? 1e-12 : 1e-6;
        Matrix logits = matrix(precision, ex.get("logits"));
        int[] labels = {(int) doubles(ex.get("labels"))[0]};
        for (Target target : List.of(Target.labels(labels), Target.values(matrix(precision, ex.get("targets_one_hot"))))) {
            Matrix grad = precision.zeros(1, 3);
            double value = new SoftmaxCrossEntropy().compute(logits, target, grad);
            assertClose("loss", value, number(expected, "loss"), tol);
            assertClose("dL/dlogits", grad, expected.get("dL_dlogits"), tol);
        }
        double[] p = logits.toDoubleArray();
        Softmax.softmax(1, 3, p, 0, 3, p, 0, 3);
        assertClose("probabilities", p, doubles(expected.get("probs")), tol);
        assertThat(new SoftmaxCrossEntropy(Reduction.SUM).compute(logits, Target.labels(labels), null))
                .isEqualTo(new SoftmaxCrossEntropy().compute(logits, Target.labels(labels), null));
    }

    /** Example D: one sigmoid neuron with L = (y − t)² (no ½: twice the SUM-reduced half squared error). */
    @ParameterizedTest
    @EnumSource(Precision.class)
    void sigmoidNeuronChainRule(Precision precision) {
        Map<String, Object> c = map(map(example("chain_rule_and_local_gradients"), "cases"),
                "sigmoid_neuron_squared_error");
        double tol = precision == Precision.DOUBLE ? 1e-12 : 1e-6;
        Mlp neuron = Mlp.builder(precision, 1).dense(1, Activation.SIGMOID).build();
        neuron.denseLayers().getFirst().weight().value().set(0, number(c, "w"));
        neuron.denseLayers().getFirst().bias().value().set(0, number(c, "b"));
        Matrix x = precision.of(1, 1, number(c, "x"));
        Target t = Target.values(precision.of(1, 1, number(c, "t")));
        double half = neuron.computeGradients(x, t, new MeanSquaredError(Reduction.SUM), true);
        assertClose("L", 2 * half, number(c, "L"), tol);
        assertClose("y", neuron.forward(x).get(0), number(c, "y"), tol);
        assertClose("dL/dw", 2 * neuron.denseLayers().getFirst().weight().grad().get(0), number(c, "dL_dw"), tol);
        assertClose("dL/db", 2 * neuron.denseLayers().getFirst().bias().grad().get(0), number(c, "dL_db"), tol);
        assertClose("dL/dx", 2 * neuron.inputGradient().get(0), number(c, "dL_dx"), tol);
    }

    /** Example D: relu′ mask and sigmoid′ through the activation layer's backward pass with dA = 1. */
    @ParameterizedTest
    @EnumSource(Precision.class)
    void localGradients(Precision precision) {
        Map<String, Object> cases = map(example("chain_rule_and_local_gradients"), "cases");
        double tol = precision == Precision.DOUBLE ? 1e-12 : 1e-6;
        for (String name : List.of("relu_mask", "sigmoid_derivative")) {
            Map<String, Object> c = map(cases, name);
            Matrix z = matrix(precision, c.get("z"));
            ActivationLayer layer = new ActivationLayer(precision,
                    name.startsWith("relu") ? Activation.RELU : Activation.SIGMOID, z.cols());
            Matrix a = layer.forward(z);
            if (c.containsKey("sigmoid")) {
                assertClose("sigmoid", a, c.get("sigmoid"), tol);
            }
            Matrix ones = precision.zeros(1, z.cols());
            ones.fill(1);
            assertClose(name, layer.backward(ones, true), c.get(name.startsWith("relu") ? "relu_prime" : "sigmoid_prime"),
                    tol);
        }
    }
}
