package dev.lanewise.mlp.check;

import dev.lanewise.kernel.Activation;
import dev.lanewise.mlp.Matrix;
import dev.lanewise.mlp.Mlp;
import dev.lanewise.mlp.Parameter;
import dev.lanewise.mlp.Precision;
import dev.lanewise.mlp.loss.BinaryCrossEntropy;
import dev.lanewise.mlp.loss.Loss;
import dev.lanewise.mlp.loss.MeanSquaredError;
import dev.lanewise.mlp.loss.Reduction;
import dev.lanewise.mlp.loss.SoftmaxCrossEntropy;
import dev.lanewise.mlp.loss.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Randomized gradient checks: every activation of the kernel module × every loss × batch {1, 3, 17} × 1–4 hidden
 * layers of odd widths (576 networks). Double: finite differences on every weight, bias and input element, with
 * elements within h of a ReLU kink skipped (see {@link GradientCheck}): the five-point stencil (h = 1e-3) must
 * reach max relative error ≤ 1e-7; the two-point one at h = 1e-6 is at its resolution limit there (its rounding
 * noise, ~ε·|L|/h, is of the order of 1e-7 · the smaller gradients: measured worst 1.12e-7), so it is held to
 * 2e-7. Float: the same network's float gradients against the double ones (same rounded parameters and inputs),
 * max |g_float − g_double| ≤ 1e-4 · max |g_double|, the reference's float criterion.
 */
class GradientCheckTest {
    static final int[] BATCHES = {1, 3, 17};

    enum LossCase {
        MSE_MEAN, MSE_SUM, BCE_LOGITS, BCE_PROBABILITIES, SOFTMAX_CE_LABELS, SOFTMAX_CE_ONE_HOT_BATCH_MEAN;

        Loss loss() {
            return switch (this) {
                case MSE_MEAN -> new MeanSquaredError();
                case MSE_SUM -> new MeanSquaredError(Reduction.SUM);
                case BCE_LOGITS -> BinaryCrossEntropy.withLogits();
                case BCE_PROBABILITIES -> BinaryCrossEntropy.onProbabilities();
                case SOFTMAX_CE_LABELS -> new SoftmaxCrossEntropy();
                case SOFTMAX_CE_ONE_HOT_BATCH_MEAN -> new SoftmaxCrossEntropy(Reduction.BATCH_MEAN);
            };
        }

        /** The output activation the loss expects; MSE puts the activation under test on the output too. */
        Activation output(Activation underTest) {
            return switch (this) {
                case MSE_MEAN, MSE_SUM -> underTest;
                case BCE_PROBABILITIES -> Activation.SIGMOID;
                default -> Activation.IDENTITY;
            };
        }
    }

    /** A random network and batch for one combination; reproducible from the seed. */
    record Case(Activation activation, LossCase lossCase, int batch, int depth, long seed) {
        int[] widths(SplittableRandom r) {
            int[] w = new int[depth + 2];
            for (int i = 0; i < w.length; i++) {
                w[i] = 1 + 2 * r.nextInt(4);    // 1, 3, 5, 7
            }
            if (lossCase == LossCase.SOFTMAX_CE_LABELS || lossCase == LossCase.SOFTMAX_CE_ONE_HOT_BATCH_MEAN) {
                w[w.length - 1] = 3 + 2 * r.nextInt(2);
            }
            return w;
        }

        Mlp model(Precision precision) {
            SplittableRandom r = new SplittableRandom(seed);
            int[] w = widths(r);
            Mlp.Builder b = Mlp.builder(precision, w[0]);
            for (int l = 1; l < w.length; l++) {
                b.dense(w[l], l == w.length - 1 ? lossCase.output(activation) : activation);
            }
            Mlp model = b.build();
            for (Parameter p : model.parameters()) {
                Matrix v = p.value();
                double scale = p.name().endsWith(".b") ? 0.5 : 1.2 / Math.sqrt(v.rows());
                for (int i = 0; i < v.size(); i++) {
                    v.set(i, scale * r.nextGaussian());
                }
            }
            return model;
        }

        Matrix x(Precision precision, Mlp model) {
            SplittableRandom r = new SplittableRandom(seed + 1);
            Matrix x = precision.zeros(batch, model.inputWidth());
            for (int i = 0; i < x.size(); i++) {
                x.set(i, r.nextGaussian());
            }
            return x;
        }

        Target target(Precision precision, Mlp model) {
            SplittableRandom r = new SplittableRandom(seed + 2);
            int k = model.outputWidth();
            if (lossCase == LossCase.SOFTMAX_CE_LABELS) {
                int[] labels = new int[batch];
                for (int i = 0; i < batch; i++) {
                    labels[i] = r.nextInt(k);
                }
                return Target.labels(labels);
            }
            Matrix t = precision.zeros(batch, k);
            for (int i = 0; i < batch; i++) {
                for (int c = 0; c < k; c++) {
                    t.set(i, c, switch (lossCase) {
                        case MSE_MEAN, MSE_SUM -> r.nextGaussian();
                        case BCE_LOGITS, BCE_PROBABILITIES -> r.nextDouble();
                        default -> 0;
                    });
                }
                if (lossCase == LossCase.SOFTMAX_CE_ONE_HOT_BATCH_MEAN) {
                    t.set(i, r.nextInt(k), 1);
                }
            }
            return t == null ? null : Target.values(t);
        }
    }

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        long seed = 1000;
        for (Activation.Function f : Activation.Function.values()) {
            for (LossCase loss : LossCase.values()) {
                for (int batch : BATCHES) {
                    for (int depth = 1; depth <= 4; depth++) {
                        all.add(Arguments.of(new Case(Activation.of(f), loss, batch, depth, seed++)));
                    }
                }
            }
        }
        return all.stream();
    }

    static final java.util.Map<String, Double> WORST = new java.util.concurrent.ConcurrentSkipListMap<>();

    static void record(String what, double error) {
        WORST.merge(what, error, Math::max);
    }

    @org.junit.jupiter.api.AfterAll
    static void printWorst() {
        System.out.println("GradientCheckTest worst errors: " + WORST);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void doubleGradientsMatchCentralDifferences(Case c) {
        Mlp model = c.model(Precision.DOUBLE);
        Matrix x = c.x(Precision.DOUBLE, model);
        for (GradientCheck.Stencil stencil : GradientCheck.Stencil.values()) {
            GradientCheck.Report report = GradientCheck.check(model, x, c.target(Precision.DOUBLE, model),
                    c.lossCase().loss(), stencil);
            assertThat(report.checked()).as("%s %s: elements checked", c, stencil).isGreaterThan(0);
            double limit = stencil == GradientCheck.Stencil.FIVE_POINT ? 1e-7 : 2e-7;
            record(stencil.name(), report.maxRelativeError());
            assertThat(report.maxRelativeError()).as("%s %s: %s", c, stencil, report).isLessThanOrEqualTo(limit);
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void floatGradientsMatchDouble(Case c) {
        Mlp d = c.model(Precision.DOUBLE);
        Mlp f = c.model(Precision.FLOAT);
        // The float model's parameters and inputs are the double ones rounded; compare at the same rounded point.
        for (int i = 0; i < d.parameters().size(); i++) {
            d.parameters().get(i).value().copyFrom(toDouble(f.parameters().get(i).value()));
        }
        Matrix xf = c.x(Precision.FLOAT, f);
        Loss loss = c.lossCase().loss();
        f.computeGradients(xf, c.target(Precision.FLOAT, f), loss, true);
        d.computeGradients(toDouble(xf), c.target(Precision.DOUBLE, d).hasLabels() ? c.target(Precision.DOUBLE, d)
                : Target.values(toDouble(c.target(Precision.FLOAT, f).valuesFor(f.forward(xf)))), loss, true);
        double max = 0, err = 0;
        for (int i = 0; i < d.parameters().size(); i++) {
            Matrix gd = d.parameters().get(i).grad(), gf = f.parameters().get(i).grad();
            for (int j = 0; j < gd.size(); j++) {
                max = Math.max(max, Math.abs(gd.get(j)));
                err = Math.max(err, Math.abs(gd.get(j) - gf.get(j)));
            }
        }
        record("float vs double (relative to max |g|)", max == 0 ? err : err / max);
        assertThat(err).as("%s: float vs double gradients, max |g| %s", c, max).isLessThanOrEqualTo(1e-4 * max);
    }

    static Matrix toDouble(Matrix m) {
        Matrix d = Precision.DOUBLE.zeros(m.rows(), m.cols());
        for (int i = 0; i < m.size(); i++) {
            d.set(i, m.get(i));
        }
        return d;
    }

    @Test
    void reportNamesTheWorstParameterOfABrokenGradient() {
        Case c = new Case(Activation.TANH, LossCase.MSE_MEAN, 3, 2, 7);
        Mlp model = c.model(Precision.DOUBLE);
        Matrix x = c.x(Precision.DOUBLE, model);
        Target t = c.target(Precision.DOUBLE, model);
        // A loss whose gradient is wrong by 1% on one element: the checker must find exactly that element's effect.
        Loss broken = new Loss() {
            final MeanSquaredError mse = new MeanSquaredError();

            @Override
            public double compute(Matrix output, Target target, Matrix grad) {
                double v = mse.compute(output, target, grad);
                if (grad != null) {
                    grad.set(0, grad.get(0) * 1.01);
                }
                return v;
            }
        };
        GradientCheck.Report report = GradientCheck.check(model, x, t, broken);
        assertThat(report.maxRelativeError()).isGreaterThan(1e-4);
        assertThat(report.worst().name()).startsWith("layers.");
        assertThat(report.toString()).contains(report.worst().name());
    }

    @Test
    void reluKinksAreSkippedNotFailed() {
        // Example F's start has exact zeros in ReLU pre-activations: those points must be skipped, not reported.
        Mlp model = Mlp.builder(Precision.DOUBLE, 2).dense(3, Activation.RELU).dense(1, Activation.IDENTITY).build();
        model.parameters().get(0).value().fill(0.5);
        Matrix x = Precision.DOUBLE.of(2, 2, 0, 0, 1, -1);   // both rows give z = 0 exactly in the hidden layer
        GradientCheck.Report report = GradientCheck.check(model, x, Target.values(Precision.DOUBLE.of(2, 1, 1, 2)),
                new MeanSquaredError());
        assertThat(report.skippedAtKinks()).isGreaterThan(0);
        assertThat(report.maxRelativeError()).isLessThanOrEqualTo(1e-7);
    }
}
