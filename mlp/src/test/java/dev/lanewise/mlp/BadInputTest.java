package dev.lanewise.mlp;

import dev.lanewise.kernel.Activation;
import dev.lanewise.mlp.loss.MeanSquaredError;
import dev.lanewise.mlp.loss.SoftmaxCrossEntropy;
import dev.lanewise.mlp.loss.Target;
import dev.lanewise.mlp.optim.Sgd;
import dev.lanewise.mlp.train.Dataset;
import dev.lanewise.mlp.train.Trainer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Wrong widths, labels out of range, NaN inputs: a clear exception, or the documented behaviour. */
class BadInputTest {
    final Mlp model = Mlp.of(Precision.DOUBLE, "4-5-3", Activation.RELU, Activation.IDENTITY, Initializer.HE_NORMAL, 1);

    static double[][] grads(Mlp m) {
        return m.parameters().stream().map(p -> p.grad().toDoubleArray()).toArray(double[][]::new);
    }

    @Test
    void wrongInputWidthNamesBothWidths() {
        assertThatThrownBy(() -> model.forward(Precision.DOUBLE.zeros(2, 5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5 columns")
                .hasMessageContaining("input width is 4");
        assertThatThrownBy(() -> model.forward(Precision.FLOAT.zeros(2, 4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("FLOAT");
        Dataset wide = Dataset.classification(Precision.DOUBLE.zeros(3, 6), new int[3], 3);
        Trainer t = new Trainer(model, new SoftmaxCrossEntropy(), new Sgd(model.parameters(), 0.1), 2, 1);
        assertThatThrownBy(() -> t.fit(wide, null, 1, null)).hasMessageContaining("6 features");
    }

    @Test
    void labelOutOfRangeThrowsBeforeAnyGradientIsWritten() {
        Matrix x = Precision.DOUBLE.of(2, 4, 1, 2, 3, 4, -1, 0, 1, 0.5);
        model.computeGradients(x, Target.labels(new int[]{0, 1}), new SoftmaxCrossEntropy());
        double[][] before = grads(model);
        assertThatThrownBy(() -> model.computeGradients(x, Target.labels(new int[]{0, 3}), new SoftmaxCrossEntropy()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("labels[1] = 3");
        assertThat(grads(model)).isEqualTo(before);
        assertThatThrownBy(() -> Dataset.classification(Precision.DOUBLE.zeros(2, 4), new int[]{0, -1}, 3))
                .hasMessageContaining("labels[1] = -1");
    }

    @Test
    void targetsOfTheWrongShapeOrKind() {
        Matrix x = Precision.DOUBLE.zeros(2, 4);
        assertThatThrownBy(() -> model.computeGradients(x, Target.values(Precision.DOUBLE.zeros(2, 2)),
                new MeanSquaredError())).hasMessageContaining("2x2").hasMessageContaining("2x3");
        assertThatThrownBy(() -> model.computeGradients(x, Target.labels(new int[]{0, 1}), new MeanSquaredError()))
                .hasMessageContaining("needs target values");
    }

    @Test
    void nanInputsAreRejectedByDatasetsAndPropagateThroughForward() {
        Matrix x = Precision.DOUBLE.zeros(3, 4);
        x.set(2, 1, Double.NaN);
        assertThatThrownBy(() -> Dataset.classification(x, new int[3], 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sample 2, column 1");
        // Documented: forward() does not scan its input; NaN propagates to every output it reaches, never hidden.
        Matrix out = model.forward(x);
        assertThat(out.get(2, 0)).isNaN();
        assertThat(out.get(0, 0)).isNotNaN();
    }

    @Test
    void badSpecs() {
        assertThatThrownBy(() -> Mlp.of(Precision.FLOAT, "784", Activation.RELU, Activation.IDENTITY,
                Initializer.HE_NORMAL, 1)).hasMessageContaining("at least an input and an output");
        assertThatThrownBy(() -> Mlp.of(Precision.FLOAT, "784-x-10", Activation.RELU, Activation.IDENTITY,
                Initializer.HE_NORMAL, 1)).hasMessageContaining("'x'");
        assertThatThrownBy(() -> Mlp.of(Precision.FLOAT, "784-0-10", Activation.RELU, Activation.IDENTITY,
                Initializer.HE_NORMAL, 1)).hasMessageContaining(">= 1");
    }
}
