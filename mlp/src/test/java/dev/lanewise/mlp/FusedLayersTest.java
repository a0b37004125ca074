package dev.lanewise.mlp;

import dev.lanewise.kernel.Activation;
import dev.lanewise.mlp.loss.BinaryCrossEntropy;
import dev.lanewise.mlp.loss.Loss;
import dev.lanewise.mlp.loss.MeanSquaredError;
import dev.lanewise.mlp.loss.SoftmaxCrossEntropy;
import dev.lanewise.mlp.loss.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The model's fused Dense + ActivationLayer pairs ({@link Dense#forwardWithActivation},
 * {@link Dense#backwardWithActivation}) against the textbook definition: the same model's layers called one by one
 * through {@link Layer#forward} and {@link Layer#backward}, with the loss handled as {@link Mlp#computeGradients}
 * documents it. Every layer output (z and a), every layer output gradient (dA and dZ), every parameter gradient, dX
 * and the loss must agree to rounding (normwise: 1e-12 in double, 1e-5 in float), for every activation, both
 * precisions, batches 1, 2, 7 and 33, and three loss set-ups: MSE (the activation under test on the output layer too,
 * so the output pair is fused both ways), softmax cross-entropy (linear output layer, unfused) and BCE on
 * probabilities (sigmoid output folded into the loss: that pair is fused forward, unfused backward).
 *
 * <p>Biases are random (not the initializer's zeros), so a bias the epilogue dropped shows in z; and before the
 * compared step the model runs a step on another batch of a different size, so buffers that grew (and the cached
 * epilogues that name them) and gradients that must be overwritten rather than accumulated are exercised too.
 */
class FusedLayersTest {
    static final List<Activation> ACTIVATIONS = List.of(Activation.RELU, Activation.LEAKY_RELU,
            Activation.leakyRelu(0.2), Activation.SIGMOID, Activation.TANH, Activation.GELU_TANH, Activation.GELU_ERF,
            Activation.SILU, Activation.SOFTPLUS);
    static final int[] BATCHES = {1, 2, 7, 33};

    enum LossCase { MSE, SOFTMAX_CE, BCE_FOLDED }

    static Stream<Arguments> cases() {
        return cases(ACTIVATIONS, BATCHES);
    }

    /** Every precision x activation x loss set-up x batch size. */
    static Stream<Arguments> cases(List<Activation> activations, int[] batches) {
        List<Arguments> cases = new ArrayList<>();
        for (Precision precision : Precision.values()) {
            for (Activation activation : activations) {
                for (LossCase lossCase : LossCase.values()) {
                    for (int batch : batches) {
                        cases.add(Arguments.of(precision, activation, lossCase, batch));
                    }
                }
            }
        }
        return cases.stream();
    }

    static int outputs(LossCase lossCase) {
        return lossCase == LossCase.SOFTMAX_CE ? 4 : 3;
    }

    /** The output layer's activation of a loss set-up whose hidden layers use {@code hidden}. */
    static Activation outputActivation(LossCase lossCase, Activation hidden) {
        return switch (lossCase) {
            case MSE -> hidden;
            case SOFTMAX_CE -> Activation.IDENTITY;
            case BCE_FOLDED -> Activation.SIGMOID;
        };
    }

    static Loss loss(LossCase lossCase) {
        return switch (lossCase) {
            case MSE -> new MeanSquaredError();
            case SOFTMAX_CE -> new SoftmaxCrossEntropy();
            case BCE_FOLDED -> BinaryCrossEntropy.onProbabilities();
        };
    }

    @ParameterizedTest(name = "{0} {1} {2} batch {3}")
    @MethodSource("cases")
    void fusedPairsMatchTheLayersCalledOneByOne(Precision precision, Activation activation, LossCase lossCase,
                                                int batch) {
        SplittableRandom random = new SplittableRandom(31L * batch + activation.hashCode() + lossCase.ordinal());
        int outputs = outputs(lossCase);
        Activation output = outputActivation(lossCase, activation);
        Loss loss = loss(lossCase);
        Mlp model = Mlp.builder(precision, 5).dense(7, activation).dense(9, activation).dense(outputs, output).build();
        model.initialize(Initializer.XAVIER_UNIFORM, random.nextLong());
        for (Dense d : model.denseLayers()) {
            fillGaussian(d.bias().value(), random, 0.5);
        }
        assertThat(model.foldsLastActivation(loss)).isEqualTo(lossCase == LossCase.BCE_FOLDED);

        // A step on another batch size first: growing buffers, gradients to be overwritten.
        int warmBatch = batch == 1 ? 5 : 1;
        model.computeGradients(input(precision, warmBatch, random), target(precision, lossCase, warmBatch, outputs,
                random), loss, true);

        Matrix x = input(precision, batch, random);
        Target target = target(precision, lossCase, batch, outputs, random);
        int n = model.layers().size();

        // The model: fused pairs. Copy everything before the layers' buffers are reused by the reference.
        double fusedLoss = model.computeGradients(x, target, loss, true);
        Matrix[] fusedOutputs = new Matrix[n];
        Matrix[] fusedOutputGradients = new Matrix[n];
        for (int i = 0; i < n; i++) {
            fusedOutputs[i] = model.layerOutput(i).copy();
            fusedOutputGradients[i] = model.layerOutputGradient(i) == null ? null
                    : model.layerOutputGradient(i).copy();
        }
        List<Matrix> fusedGrads = model.parameters().stream().map(p -> p.grad().copy()).toList();
        Matrix fusedInputGradient = model.inputGradient().copy();

        // The reference: each layer's textbook forward and backward, in order, as Mlp documents the loss.
        List<Layer> layers = model.layers();
        Matrix[] referenceOutputs = new Matrix[n];
        Matrix a = x;
        for (int i = 0; i < n; i++) {
            a = layers.get(i).forward(a);
            referenceOutputs[i] = a;
        }
        int last = n - 1;
        Matrix g = precision.zeros(batch, outputs);
        double referenceLoss;
        if (model.foldsLastActivation(loss)) {
            referenceLoss = loss.computeFromPreActivation(referenceOutputs[n - 2], target, g);
            last--;
        } else {
            referenceLoss = loss.compute(a, target, g);
        }
        Matrix[] referenceOutputGradients = new Matrix[n];
        for (int i = last; i >= 0; i--) {
            referenceOutputGradients[i] = g.copy();
            g = layers.get(i).backward(g, true);
        }

        double tol = precision == Precision.DOUBLE ? 1e-12 : 1e-5;
        assertThat(Math.abs(fusedLoss - referenceLoss)).as("loss").isLessThanOrEqualTo(tol * Math.abs(referenceLoss));
        for (int i = 0; i < n; i++) {
            assertClose("output of layer " + i + " " + layers.get(i), fusedOutputs[i], referenceOutputs[i], tol);
            if (referenceOutputGradients[i] == null) {
                assertThat(fusedOutputGradients[i]).as("output gradient of layer " + i).isNull();
            } else {
                assertClose("output gradient of layer " + i + " " + layers.get(i), fusedOutputGradients[i],
                        referenceOutputGradients[i], tol);
            }
        }
        for (int p = 0; p < fusedGrads.size(); p++) {
            Parameter parameter = model.parameters().get(p);
            assertClose("gradient of " + parameter.name(), fusedGrads.get(p), parameter.grad(), tol);
        }
        assertClose("dX", fusedInputGradient, g, tol);
    }

    /** ‖actual − expected‖₂ ≤ tol · ‖expected‖₂ (exactly equal when expected is 0), same shape. */
    static void assertClose(String what, Matrix actual, Matrix expected, double tol) {
        assertThat(actual.rows()).as(what + " rows").isEqualTo(expected.rows());
        assertThat(actual.cols()).as(what + " cols").isEqualTo(expected.cols());
        double diff = 0, norm = 0;
        for (int i = 0; i < expected.size(); i++) {
            double d = actual.get(i) - expected.get(i);
            diff += d * d;
            norm += expected.get(i) * expected.get(i);
        }
        assertThat(Math.sqrt(diff)).as("%s: |fused - reference|, reference norm %s%nfused %s%nreference %s", what,
                Math.sqrt(norm), actual, expected).isLessThanOrEqualTo(tol * Math.sqrt(norm));
    }

    static Matrix input(Precision precision, int batch, SplittableRandom random) {
        Matrix x = precision.zeros(batch, 5);
        fillGaussian(x, random, 1);
        return x;
    }

    static Target target(Precision precision, LossCase lossCase, int batch, int outputs, SplittableRandom random) {
        if (lossCase == LossCase.SOFTMAX_CE) {
            int[] labels = new int[batch];
            for (int i = 0; i < batch; i++) {
                labels[i] = random.nextInt(outputs);
            }
            return Target.labels(labels);
        }
        Matrix t = precision.zeros(batch, outputs);
        for (int i = 0; i < t.size(); i++) {
            t.set(i, lossCase == LossCase.BCE_FOLDED ? random.nextInt(2) : random.nextGaussian());
        }
        return Target.values(t);
    }

    static void fillGaussian(Matrix m, SplittableRandom random, double scale) {
        for (int i = 0; i < m.size(); i++) {
            m.set(i, scale * random.nextGaussian());
        }
    }
}
