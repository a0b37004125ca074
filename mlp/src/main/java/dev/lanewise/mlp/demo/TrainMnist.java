package dev.lanewise.mlp.demo;

import dev.lanewise.kernel.Activation;
import dev.lanewise.kernel.spi.Providers;
import dev.lanewise.mlp.Initializer;
import dev.lanewise.mlp.Mlp;
import dev.lanewise.mlp.Precision;
import dev.lanewise.mlp.data.DataFiles;
import dev.lanewise.mlp.loss.SoftmaxCrossEntropy;
import dev.lanewise.mlp.optim.Sgd;
import dev.lanewise.mlp.train.Dataset;
import dev.lanewise.mlp.train.Trainer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Trains MNIST 784-256-128-10 (ReLU, He init, softmax cross-entropy, SGD with momentum 0.9, lr 0.05 and 0.005 in
 * the last epoch, float, batch 128, seed 42) and prints
 * one progress line per epoch, the test accuracy and the training throughput.
 *
 * <p>Arguments: {@code [dataDir (default data/mnist)] [epochs (default 3)] [float|double]}.
 */
public final class TrainMnist {
    /** Hyper-parameters of the demo and of the MNIST accuracy test. */
    public static final int BATCH = 128;
    public static final double LEARNING_RATE = 0.05;
    /** The learning rate drops tenfold for the last epoch, which settles the noisy end of SGD. */
    public static final double FINAL_EPOCH_FACTOR = 0.1;
    public static final double MOMENTUM = 0.9;
    public static final long SEED = 42;

    private TrainMnist() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "data/mnist");
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Precision precision = args.length > 2 ? Precision.valueOf(args[2].toUpperCase(Locale.ROOT)) : Precision.FLOAT;
        System.out.println("kernel provider: " + Providers.get().name() + " (" + Providers.get().description() + ")");
        Dataset train = DataFiles.idx(dir, "train", precision, -1);
        Dataset test = DataFiles.idx(dir, "t10k", precision, -1);
        List<Trainer.Epoch> history = train(train, test, epochs, precision, System.out::println);
        Trainer.Epoch last = history.getLast();
        double total = history.stream().mapToDouble(Trainer.Epoch::seconds).sum();
        System.out.printf(Locale.ROOT, "test accuracy %.2f%% after %d epochs; training %.0f samples/s (%.1f s)%n",
                100 * last.testAccuracy(), epochs, epochs * train.size() / total, total);
    }

    /** The demo's recipe, shared with the accuracy test. */
    public static List<Trainer.Epoch> train(Dataset train, Dataset test, int epochs, Precision precision,
                                            java.util.function.Consumer<String> progress) {
        Mlp model = Mlp.of(precision, "784-256-128-10", Activation.RELU, Activation.IDENTITY, Initializer.HE_NORMAL,
                SEED);
        Trainer trainer = new Trainer(model, new SoftmaxCrossEntropy(),
                Sgd.withMomentum(model.parameters(), LEARNING_RATE, MOMENTUM, false), BATCH, SEED);
        trainer.learningRateSchedule(e -> e == epochs && epochs > 1 ? LEARNING_RATE * FINAL_EPOCH_FACTOR : LEARNING_RATE);
        return trainer.fit(train, test, epochs, progress);
    }
}
