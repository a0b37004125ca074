package dev.lanewise.mlp.train;

import dev.lanewise.mlp.Matrix;
import dev.lanewise.mlp.Mlp;
import dev.lanewise.mlp.loss.Loss;
import dev.lanewise.mlp.loss.Target;
import dev.lanewise.mlp.optim.Optimizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Mini-batch training: per-epoch shuffling from a seeded generator, one optimizer step per batch, evaluation (loss,
 * accuracy) and one progress line per epoch. Every batch buffer is allocated when the trainer is made, so a
 * training step allocates nothing (only the per-epoch bookkeeping and progress line do).
 *
 * <pre>{@code
 * Trainer trainer = new Trainer(model, new SoftmaxCrossEntropy(), new Sgd(model.parameters(), 0.1), 128, 42);
 * trainer.fit(train, test, 3, System.out::println);
 * }</pre>
 */
public final class Trainer {
    private final Mlp model;
    private final Loss loss;
    private final Optimizer optimizer;
    private final int batchSize;
    private final SplittableRandom random;
    private final Matrix batchX;
    private final Matrix batchT;
    private final int[] batchLabels;
    private final int[] predicted;
    private final double[] gradientNorms;
    private final Target labelTarget;
    private final Target valueTarget;
    private long steps;
    private java.util.function.IntToDoubleFunction schedule;

    /** Per-epoch results; test values are NaN without a test set. */
    public record Epoch(int epoch, double trainLoss, double trainAccuracy, double testLoss, double testAccuracy,
                        double samplesPerSecond, double seconds, double[] gradientNorms) {
        /** The progress line, e.g. {@code epoch 1/3  loss 0.2311  acc 93.21%  test loss ...  41,230 samples/s}. */
        public String line(int epochs) {
            StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "epoch %d/%d  loss %.4f", epoch, epochs,
                    trainLoss));
            if (!Double.isNaN(trainAccuracy)) {
                s.append(String.format(Locale.ROOT, "  acc %.2f%%", 100 * trainAccuracy));
            }
            if (!Double.isNaN(testLoss)) {
                s.append(String.format(Locale.ROOT, "  test loss %.4f", testLoss));
            }
            if (!Double.isNaN(testAccuracy)) {
                s.append(String.format(Locale.ROOT, "  test acc %.2f%%", 100 * testAccuracy));
            }
            s.append(String.format(Locale.ROOT, "  %,.0f samples/s  %.1f s  |dW|", samplesPerSecond, seconds));
            for (double g : gradientNorms) {
                s.append(String.format(Locale.ROOT, " %.2e", g));
            }
            return s.toString();
        }
    }

    /** Evaluation of a data set: mean loss per sample batch-weighted, and accuracy (NaN without labels). */
    public record Evaluation(double loss, double accuracy) {
    }

    public Trainer(Mlp model, Loss loss, Optimizer optimizer, int batchSize, long seed) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        this.model = model;
        this.loss = loss;
        this.optimizer = optimizer;
        this.batchSize = batchSize;
        this.random = new SplittableRandom(seed);
        this.batchX = model.precision().zeros(batchSize, model.inputWidth());
        this.batchT = model.precision().zeros(batchSize, model.outputWidth());
        this.batchLabels = new int[batchSize];
        this.predicted = new int[batchSize];
        this.gradientNorms = new double[model.denseLayers().size()];
        this.labelTarget = Target.labels(batchLabels);
        this.valueTarget = Target.values(batchT);
    }

    /**
     * Sets a learning-rate schedule: before epoch e (1-based) the optimizer's learning rate becomes
     * {@code schedule.applyAsDouble(e)}. Returns this trainer.
     */
    public Trainer learningRateSchedule(java.util.function.IntToDoubleFunction schedule) {
        this.schedule = schedule;
        return this;
    }

    /** Trains for {@code epochs} epochs; after each, evaluates on {@code test} (may be null) and reports a line. */
    public List<Epoch> fit(Dataset train, Dataset test, int epochs, Consumer<String> progress) {
        check(train, "train");
        if (test != null) {
            check(test, "test");
        }
        int[] order = Dataset.permutation(train.size(), random);
        List<Epoch> history = new ArrayList<>();
        for (int e = 1; e <= epochs; e++) {
            if (e > 1) {
                Dataset.shuffle(order, random);
            }
            if (schedule != null) {
                optimizer.learningRate(schedule.applyAsDouble(e));
            }
            long start = System.nanoTime();
            double lossSum = 0;
            long correct = 0;
            for (int from = 0; from < order.length; from += batchSize) {
                int count = Math.min(batchSize, order.length - from);
                double l = step(train, order, from, count, e);
                lossSum += l * count;
                correct += countCorrect(train, count);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            model.weightGradientNorms(gradientNorms);
            Evaluation ev = test == null ? new Evaluation(Double.NaN, Double.NaN) : evaluate(test);
            Epoch epoch = new Epoch(e, lossSum / train.size(),
                    train.labels() == null ? Double.NaN : (double) correct / train.size(), ev.loss(), ev.accuracy(),
                    train.size() / seconds, seconds, gradientNorms.clone());
            history.add(epoch);
            if (progress != null) {
                progress.accept(epoch.line(epochs));
            }
        }
        return history;
    }

    /** One optimizer step on the given rows; returns the batch loss. */
    private double step(Dataset data, int[] order, int from, int count, int epoch) {
        Target target = gather(data, order, from, count);
        // The epoch's last batch stores its weight gradients, for the per-epoch gradient norms; the others go
        // through Mlp.step, which fuses an SGD update (but Nesterov) into the backward pass and then stores no dW.
        // Either way a non-finite loss changes no parameter.
        boolean lastOfEpoch = from + count == order.length;
        double l = lastOfEpoch ? model.computeGradients(batchX, target, loss)
                : model.step(batchX, target, loss, optimizer);
        steps++;
        if (!Double.isFinite(l)) {
            throw new TrainingDivergedException(epoch, steps, l);
        }
        if (lastOfEpoch) {
            optimizer.step();
        }
        return l;
    }

    private Target gather(Dataset data, int[] order, int from, int count) {
        batchX.gatherRows(data.features(), order, from, count);
        if (data.labels() != null) {
            for (int i = 0; i < count; i++) {
                batchLabels[i] = data.labels()[order[from + i]];
            }
        }
        if (loss.usesLabels() && data.labels() != null) {
            return labelTarget;
        }
        if (data.targets() == null) {
            throw new IllegalArgumentException(loss + " needs target values, the data set has only labels");
        }
        batchT.gatherRows(data.targets(), order, from, count);
        return valueTarget;
    }

    /** Correct predictions among the batch's rows, from the last forward output. */
    private int countCorrect(Dataset data, int count) {
        if (data.labels() == null) {
            return 0;
        }
        Matrix out = model.layerOutput(model.layers().size() - 1);
        int correct = 0;
        if (out.cols() == 1) {
            double threshold = loss.decisionThreshold();
            for (int i = 0; i < count; i++) {
                correct += (out.get(i) >= threshold ? 1 : 0) == batchLabels[i] ? 1 : 0;
            }
        } else {
            out.rowArgmax(predicted);
            for (int i = 0; i < count; i++) {
                correct += predicted[i] == batchLabels[i] ? 1 : 0;
            }
        }
        return correct;
    }

    /** Loss (mean over samples of the batch losses, weighted by batch size) and accuracy on {@code data}. */
    public Evaluation evaluate(Dataset data) {
        check(data, "data");
        int[] order = new int[Math.min(batchSize, data.size())];
        double lossSum = 0;
        long correct = 0;
        for (int from = 0; from < data.size(); from += batchSize) {
            int count = Math.min(batchSize, data.size() - from);
            for (int i = 0; i < count; i++) {
                order[i] = from + i;
            }
            Target target = gather(data, order, 0, count);
            lossSum += model.loss(batchX, target, loss) * count;
            correct += countCorrect(data, count);
        }
        return new Evaluation(lossSum / data.size(),
                data.labels() == null ? Double.NaN : (double) correct / data.size());
    }

    /** The norm ‖dL/dW‖_F of each dense layer at the last step of the last epoch. */
    public double[] gradientNorms() {
        return gradientNorms.clone();
    }

    /** Optimizer steps taken so far. */
    public long steps() {
        return steps;
    }

    private void check(Dataset data, String name) {
        if (data.features().cols() != model.inputWidth()) {
            throw new IllegalArgumentException(name + " has " + data.features().cols()
                    + " features per sample, the model's input width is " + model.inputWidth());
        }
        if (data.features().precision() != model.precision()) {
            throw new IllegalArgumentException(name + " is " + data.features().precision() + ", the model is "
                    + model.precision());
        }
        if (data.labels() != null && model.outputWidth() > 1 && data.classes() > model.outputWidth()) {
            throw new IllegalArgumentException(name + " has " + data.classes() + " classes, the model only "
                    + model.outputWidth() + " outputs");
        }
        if (data.targets() != null && data.targets().cols() != model.outputWidth()) {
            throw new IllegalArgumentException(name + " targets have " + data.targets().cols()
                    + " columns, the model " + model.outputWidth() + " outputs");
        }
    }
}
