package dev.lanewise.mlp.train;

import dev.lanewise.kernel.Activation;
import dev.lanewise.mlp.Initializer;
import dev.lanewise.mlp.Matrix;
import dev.lanewise.mlp.Mlp;
import dev.lanewise.mlp.Parameter;
import dev.lanewise.mlp.Precision;
import dev.lanewise.mlp.loss.BinaryCrossEntropy;
import dev.lanewise.mlp.loss.MeanSquaredError;
import dev.lanewise.mlp.loss.Target;
import dev.lanewise.mlp.optim.Adam;
import dev.lanewise.mlp.optim.Sgd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class TrainingTest {
    static final double[] XOR_X = {0, 0, 0, 1, 1, 0, 1, 1};
    static final int[] XOR_Y = {0, 1, 1, 0};
    /**
     * A seed known to converge: XOR from a random He init does not converge for every seed (about 1/3 stall on
     * dead-ReLU plateaus, see backprop-examples.md 9.1), so the test fixes one that does.
     */
    static final long XOR_SEED = 2;

    static Trainer.Epoch trainXor(Precision precision, long seed, int epochs) {
        Mlp model = Mlp.of(precision, "2-4-4-1", Activation.RELU, Activation.SIGMOID, Initializer.HE_NORMAL, seed);
        Dataset xor = Dataset.binary(precision.of(4, 2, XOR_X), XOR_Y);
        Trainer trainer = new Trainer(model, BinaryCrossEntropy.onProbabilities(), Adam.adam(model.parameters(), 0.01),
                4, seed);
        List<Trainer.Epoch> h = trainer.fit(xor, xor, epochs, null);
        return h.getLast();
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void xorLearnsWithTheDocumentedSeed(Precision precision) {
        Trainer.Epoch last = trainXor(precision, XOR_SEED, 3000);
        assertThat(last.testAccuracy()).isEqualTo(1.0);
        assertThat(last.testLoss()).isLessThan(0.01);
    }

    /**
     * Over seeds 1..10 every run either converges or stalls on one of the dead-ReLU plateaus that
     * backprop-examples.md 9.1 derives: (2 ln(3/2) + ln 3)/4, ln(2)/2 or ln 2 (measured: 4 of 10 converge with this
     * Adam recipe; the reference measured 63 of 100).
     */
    @Test
    void xorEitherConvergesOrStallsOnAKnownPlateau() {
        double[] plateaus = {(2 * Math.log(1.5) + Math.log(3)) / 4, Math.log(2) / 2, Math.log(2)};
        int converged = 0;
        for (long seed = 1; seed <= 10; seed++) {
            Trainer.Epoch e = trainXor(Precision.DOUBLE, seed, 3000);
            if (e.testAccuracy() == 1.0 && e.testLoss() < 0.01) {
                converged++;
            } else {
                double loss = e.testLoss();
                assertThat(Arrays.stream(plateaus).anyMatch(p -> Math.abs(loss - p) < 1e-3))
                        .as("seed %d stalled at loss %s, not on a known plateau", seed, loss).isTrue();
            }
        }
        assertThat(converged).isGreaterThan(0);
    }

    @Test
    void sameSeedSameModelDifferentSeedDifferentOrder() {
        double[] a = trainedWeights(11), b = trainedWeights(11), c = trainedWeights(12);
        assertThat(a).isEqualTo(b);
        assertThat(a).isNotEqualTo(c);
    }

    /** Same initial model, different shuffling seeds: the runs differ only through the batch order. */
    static double[] trainedWeights(long shuffleSeed) {
        Mlp model = Mlp.of(Precision.DOUBLE, "3-5-2", Activation.TANH, Activation.IDENTITY, Initializer.XAVIER_UNIFORM, 1);
        SplittableRandom r = new SplittableRandom(5);
        Matrix x = gaussian(40, 3, 1, r);
        Matrix t = gaussian(40, 2, 1, r);
        new Trainer(model, new MeanSquaredError(), new Sgd(model.parameters(), 0.05), 8, shuffleSeed)
                .fit(Dataset.regression(x, t), null, 3, null);
        return model.parameters().getFirst().value().toDoubleArray();
    }

    /**
     * The vanishing-gradient effect (backprop-examples.md 9.3): ‖dL/dW_first‖ / ‖dL/dW_last hidden‖ for 16-wide
     * stacks with Kaiming-normal weights, zero biases, batch 64 of N(0, 1) inputs, a linear 16 → 1 output with half
     * squared error; median over 10 seeds. Sigmoid: below 1e-3 at depth 10, falling with depth; ReLU: within
     * [0.1, 10] at every depth.
     */
    @Test
    void sigmoidGradientsVanishWithDepthReluWithHeInitDoNot() {
        double previousSigmoid = Double.MAX_VALUE;
        for (int depth : new int[]{2, 5, 10}) {
            double sigmoid = medianRatio(Activation.SIGMOID, depth);
            double relu = medianRatio(Activation.RELU, depth);
            assertThat(sigmoid).as("sigmoid depth %d", depth).isLessThan(previousSigmoid / 10);
            assertThat(relu).as("relu depth %d", depth).isBetween(0.1, 10.0);
            previousSigmoid = sigmoid;
            if (depth == 10) {
                assertThat(sigmoid).as("sigmoid depth 10").isLessThan(1e-3);
            }
        }
    }

    static double medianRatio(Activation activation, int depth) {
        double[] ratios = new double[10];
        for (int seed = 0; seed < ratios.length; seed++) {
            Mlp.Builder b = Mlp.builder(Precision.DOUBLE, 16);
            for (int l = 0; l < depth; l++) {
                b.dense(16, activation);
            }
            Mlp model = b.dense(1, Activation.IDENTITY).build();
            model.initialize(Initializer.HE_NORMAL, 100 + seed);
            SplittableRandom r = new SplittableRandom(seed);
            Matrix x = gaussian(64, 16, 1, r);
            Matrix y = gaussian(64, 1, 1, r);
            model.computeGradients(x, Target.values(y), new MeanSquaredError());
            double[] norms = new double[depth + 1];
            model.weightGradientNorms(norms);
            ratios[seed] = norms[0] / norms[depth - 1];
        }
        Arrays.sort(ratios);
        return (ratios[4] + ratios[5]) / 2;
    }

    @Test
    void progressLineAndGradientNormsPerEpoch() {
        Mlp model = Mlp.of(Precision.FLOAT, "3-5-4-3", Activation.TANH, Activation.IDENTITY, Initializer.XAVIER_UNIFORM, 1);
        SplittableRandom r = new SplittableRandom(2);
        Matrix x = Precision.FLOAT.zeros(30, 3);
        int[] y = new int[30];
        for (int i = 0; i < 30; i++) {
            for (int c = 0; c < 3; c++) {
                x.set(i, c, r.nextGaussian());
            }
            y[i] = r.nextInt(3);
        }
        Dataset data = Dataset.classification(x, y, 3);
        List<String> lines = new ArrayList<>();
        Trainer trainer = new Trainer(model, new dev.lanewise.mlp.loss.SoftmaxCrossEntropy(),
                new Sgd(model.parameters(), 0.1), 8, 3);
        List<Trainer.Epoch> history = trainer.fit(data, data, 2, lines::add);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).startsWith("epoch 2/2  loss ").contains(" acc ").contains(" test acc ")
                .contains(" samples/s ").contains("|dW|");
        assertThat(Arrays.stream(history.get(1).gradientNorms()).boxed().toList()).hasSize(3)
                .allMatch(g -> g > 0 && Double.isFinite(g));
        assertThat(trainer.gradientNorms()).isEqualTo(history.get(1).gradientNorms());
        assertThat(trainer.steps()).isEqualTo(2 * 4);    // 30 samples in batches of 8: 4 steps per epoch
        Trainer.Evaluation ev = trainer.evaluate(data);
        assertThat(ev.loss()).isEqualTo(history.get(1).testLoss());
        assertThat(ev.accuracy()).isBetween(0.0, 1.0);
    }

    /** A double matrix of N(0, scale²) draws. */
    static Matrix gaussian(int rows, int cols, double scale, SplittableRandom r) {
        Matrix m = Precision.DOUBLE.zeros(rows, cols);
        for (int i = 0; i < m.size(); i++) {
            m.set(i, scale * r.nextGaussian());
        }
        return m;
    }

    @Test
    void divergingLossStopsBeforeTheBadStep() {
        Mlp model = Mlp.of(Precision.DOUBLE, "4-8-1", Activation.RELU, Activation.IDENTITY, Initializer.HE_NORMAL, 3);
        SplittableRandom r = new SplittableRandom(3);
        Matrix x = gaussian(32, 4, 100, r);
        Matrix t = gaussian(32, 1, 1e3, r);
        Trainer trainer = new Trainer(model, new MeanSquaredError(), new Sgd(model.parameters(), 10.0), 32, 1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> trainer.fit(Dataset.regression(x, t), null, 100, null))
                .isInstanceOf(TrainingDivergedException.class).hasMessageContaining("diverged");
        List<Double> params = new ArrayList<>();
        for (Parameter p : model.parameters()) {
            for (double v : p.value().toDoubleArray()) {
                params.add(v);
            }
        }
        assertThat(params).as("parameters of the last finite step").allMatch(Double::isFinite);
    }
}
