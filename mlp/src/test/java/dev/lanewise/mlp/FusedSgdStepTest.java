package dev.lanewise.mlp;

import dev.lanewise.kernel.Activation;
import dev.lanewise.mlp.FusedLayersTest.LossCase;
import dev.lanewise.mlp.loss.Loss;
import dev.lanewise.mlp.loss.SoftmaxCrossEntropy;
import dev.lanewise.mlp.loss.Target;
import dev.lanewise.mlp.optim.Adam;
import dev.lanewise.mlp.optim.Optimizer;
import dev.lanewise.mlp.optim.Sgd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;

import static dev.lanewise.mlp.FusedLayersTest.assertClose;
import static dev.lanewise.mlp.FusedLayersTest.fillGaussian;
import static dev.lanewise.mlp.FusedLayersTest.input;
import static dev.lanewise.mlp.FusedLayersTest.target;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Mlp#step} against its definition, {@link Mlp#computeGradients} then {@code optimizer.step()}: two models with
 * the same parameters take three steps on the same batches, one each way. For SGD without Nesterov the step fuses the
 * update into the backward pass (the weight gradient xᵀ·dZ accumulated straight into W, or into the momentum buffer,
 * by its GEMM); every parameter's change must agree with the reference's to rounding (normwise, 1e-12 in double, 1e-5
 * in float) over plain SGD, weight decay, momentum and momentum with dampening and weight decay (three steps, so the
 * buffers' history counts), and the fused model's weight gradients must still be zero (none stored: this is what
 * fails if the step silently ran unfused). Nesterov, Adam, an optimizer over some of the parameters, and a non-finite
 * loss take the unfused path or none, checked bit for bit.
 */
class FusedSgdStepTest {
    static final List<Activation> ACTIVATIONS = List.of(Activation.RELU, Activation.SIGMOID, Activation.TANH,
            Activation.GELU_TANH);
    static final int[] BATCHES = {1, 7, 33};
    static final double LR = 0.1;

    /** The Sgd settings Mlp.step fuses: every one but Nesterov. */
    enum Fused {
        PLAIN, WEIGHT_DECAY, MOMENTUM, MOMENTUM_DAMPENING_WEIGHT_DECAY;

        Sgd of(List<Parameter> parameters) {
            return switch (this) {
                case PLAIN -> new Sgd(parameters, LR);
                case WEIGHT_DECAY -> new Sgd(parameters, LR, 0, 0, 0.05, false);
                case MOMENTUM -> Sgd.withMomentum(parameters, LR, 0.9, false);
                case MOMENTUM_DAMPENING_WEIGHT_DECAY -> new Sgd(parameters, LR, 0.8, 0.3, 0.05, false);
            };
        }
    }

    static Stream<Arguments> cases() {
        return FusedLayersTest.cases(ACTIVATIONS, BATCHES).flatMap(a -> Stream.of(Fused.values())
                .map(f -> Arguments.of(a.get()[0], a.get()[1], a.get()[2], a.get()[3], f)));
    }

    @ParameterizedTest(name = "{0} {1} {2} batch {3} {4}")
    @MethodSource("cases")
    void fusedSgdMatchesGradientsThenStep(Precision precision, Activation activation, LossCase lossCase, int batch,
                                          Fused sgd) {
        // toString, not hashCode: a parameterized activation's identity hash differs from JVM to JVM.
        SplittableRandom random = new SplittableRandom(17L * batch + activation.toString().hashCode()
                + lossCase.ordinal());
        int outputs = FusedLayersTest.outputs(lossCase);
        Activation output = FusedLayersTest.outputActivation(lossCase, activation);
        Loss loss = FusedLayersTest.loss(lossCase);
        long seed = random.nextLong();
        Function<Long, Mlp> make = s -> {
            Mlp m = Mlp.builder(precision, 5).dense(7, activation).dense(9, activation).dense(outputs, output)
                    .build();
            m.initialize(Initializer.XAVIER_UNIFORM, s);
            SplittableRandom biases = new SplittableRandom(s);
            for (Dense d : m.denseLayers()) {
                fillGaussian(d.bias().value(), biases, 0.5);
            }
            return m;
        };
        Mlp reference = make.apply(seed), fused = make.apply(seed);
        Sgd referenceSgd = sgd.of(reference.parameters()), fusedSgd = sgd.of(fused.parameters());
        double tol = precision == Precision.DOUBLE ? 1e-12 : 1e-5;

        for (int step = 0; step < 3; step++) {
            int rows = step == 1 ? batch + 2 : batch;   // a batch of another size between: buffers grow
            Matrix x = input(precision, rows, random);
            Target t = target(precision, lossCase, rows, outputs, random);
            List<Matrix> before = reference.parameters().stream().map(p -> p.value().copy()).toList();

            double referenceLoss = reference.computeGradients(x, t, loss);
            referenceSgd.step();
            double fusedLoss = fused.step(x, t, loss, fusedSgd);

            assertThat(Math.abs(fusedLoss - referenceLoss)).as("loss, step %d", step)
                    .isLessThanOrEqualTo(tol * Math.abs(referenceLoss));
            double changed = 0;
            for (int p = 0; p < before.size(); p++) {
                Parameter r = reference.parameters().get(p), f = fused.parameters().get(p);
                changed += assertSameChange(r.name() + ", step " + step, f.value(), r.value(), before.get(p), tol);
            }
            // A layer may legitimately stand still (all its ReLUs off for this batch), the whole model not.
            assertThat(changed).as("step %d changed the reference model", step).isPositive();
            for (Dense d : fused.denseLayers()) {
                assertThat(maxAbs(d.weight().grad())).as("%s: no dW stored by the fused step", d.weight().name())
                        .isZero();
            }
            for (int l = 0; l < fused.denseLayers().size(); l++) {
                assertClose("bias gradient of layer " + l, fused.denseLayers().get(l).bias().grad(),
                        reference.denseLayers().get(l).bias().grad(), tol);
            }
        }
    }

    enum Other { NESTEROV, ADAM, SOME_LAYERS_ONLY }

    /** Nesterov, Adam, an optimizer over some layers: the step is the two calls, so the result is bit-identical. */
    @ParameterizedTest
    @EnumSource(Other.class)
    void otherOptimizersRunTheTwoCalls(Other other) {
        SplittableRandom random = new SplittableRandom(other.ordinal());
        Mlp reference = Mlp.of(Precision.FLOAT, "5-8-4", Activation.TANH, Activation.IDENTITY,
                Initializer.XAVIER_UNIFORM, 3);
        Mlp model = Mlp.of(Precision.FLOAT, "5-8-4", Activation.TANH, Activation.IDENTITY,
                Initializer.XAVIER_UNIFORM, 3);
        Optimizer referenceOpt = optimizer(other, reference), opt = optimizer(other, model);
        Loss loss = new SoftmaxCrossEntropy();
        for (int step = 0; step < 3; step++) {
            Matrix x = input(Precision.FLOAT, 6, random);
            Target t = target(Precision.FLOAT, LossCase.SOFTMAX_CE, 6, 4, random);
            double referenceLoss = reference.computeGradients(x, t, loss);
            referenceOpt.step();
            assertThat(model.step(x, t, loss, opt)).isEqualTo(referenceLoss);
            for (int p = 0; p < model.parameters().size(); p++) {
                assertThat(model.parameters().get(p).value().toDoubleArray())
                        .as(model.parameters().get(p).name())
                        .containsExactly(reference.parameters().get(p).value().toDoubleArray());
                assertThat(model.parameters().get(p).grad().toDoubleArray())
                        .containsExactly(reference.parameters().get(p).grad().toDoubleArray());
            }
        }
        assertThat(maxAbs(model.denseLayers().get(1).weight().grad())).as("dW stored").isPositive();
    }

    private static Optimizer optimizer(Other other, Mlp m) {
        return switch (other) {
            case NESTEROV -> Sgd.withMomentum(m.parameters(), LR, 0.9, true);
            case ADAM -> Adam.adamW(m.parameters());
            case SOME_LAYERS_ONLY -> new Sgd(m.parameters().subList(0, 2), LR);
        };
    }

    /** A NaN input gives a NaN loss: the step returns it and changes no parameter, fused or not. */
    @ParameterizedTest
    @EnumSource(Precision.class)
    void nonFiniteLossChangesNoParameter(Precision precision) {
        for (String kind : List.of("plain", "momentum", "nesterov")) {
            Mlp model = Mlp.of(precision, "5-8-4", Activation.RELU, Activation.IDENTITY, Initializer.HE_NORMAL, 5);
            Optimizer opt = kind.equals("plain") ? new Sgd(model.parameters(), LR)
                    : Sgd.withMomentum(model.parameters(), LR, 0.9, kind.equals("nesterov"));
            Matrix x = input(precision, 3, new SplittableRandom(2));
            x.set(4, Double.NaN);
            List<double[]> before = model.parameters().stream().map(p -> p.value().toDoubleArray()).toList();
            double value = model.step(x, target(precision, LossCase.SOFTMAX_CE, 3, 4, new SplittableRandom(3)),
                    new SoftmaxCrossEntropy(), opt);
            assertThat(value).as("loss").isNaN();
            for (int p = 0; p < before.size(); p++) {
                assertThat(model.parameters().get(p).value().toDoubleArray()).as("%s: %s", kind,
                        model.parameters().get(p).name()).containsExactly(before.get(p));
            }
        }
    }

    @Test
    void everySgdButNesterovFuses() {
        Mlp m = Mlp.of(Precision.FLOAT, "2-3", Activation.RELU, Activation.IDENTITY, Initializer.HE_NORMAL, 1);
        for (Fused f : Fused.values()) {
            assertThat(f.of(m.parameters()).fusesIntoBackward()).as(f.name()).isTrue();
        }
        Sgd nesterov = Sgd.withMomentum(m.parameters(), LR, 0.5, true);
        assertThat(nesterov.fusesIntoBackward()).isFalse();
        Matrix x = Precision.FLOAT.zeros(1, 2), dz = Precision.FLOAT.zeros(1, 3);
        org.assertj.core.api.Assertions.assertThatIllegalStateException()
                .isThrownBy(() -> nesterov.stepFromGradientProduct(0, x, dz)).withMessageContaining("Nesterov");
    }

    /**
     * ‖(fused − before) − (reference − before)‖₂ ≤ tol · ‖reference − before‖₂ + 2 ε ‖reference‖₂: the changes agree
     * to tol, beside the one rounding of each stored parameter (ε the precision's unit roundoff), which the two ways
     * of computing p − lr·g may each take on a value much larger than its change. Returns ‖reference − before‖₂.
     */
    private static double assertSameChange(String what, Matrix fused, Matrix reference, Matrix before, double tol) {
        double eps = fused.precision() == Precision.DOUBLE ? 0x1p-53 : 0x1p-24;
        double diff = 0, change = 0, norm = 0;
        for (int i = 0; i < reference.size(); i++) {
            double d = fused.get(i) - reference.get(i), c = reference.get(i) - before.get(i);
            diff += d * d;
            change += c * c;
            norm += reference.get(i) * reference.get(i);
        }
        assertThat(Math.sqrt(diff)).as("%s: |fused - reference|, change %s", what, Math.sqrt(change))
                .isLessThanOrEqualTo(tol * Math.sqrt(change) + 2 * eps * Math.sqrt(norm));
        return Math.sqrt(change);
    }

    private static double maxAbs(Matrix m) {
        double max = 0;
        for (int i = 0; i < m.size(); i++) {
            max = Math.max(max, Math.abs(m.get(i)));
        }
        return max;
    }
}
