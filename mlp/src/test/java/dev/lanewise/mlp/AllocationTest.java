package dev.lanewise.mlp;

import dev.lanewise.kernel.Activation;
import dev.lanewise.mlp.loss.BinaryCrossEntropy;
import dev.lanewise.mlp.loss.Loss;
import dev.lanewise.mlp.loss.MeanSquaredError;
import dev.lanewise.mlp.loss.SoftmaxCrossEntropy;
import dev.lanewise.mlp.loss.Target;
import dev.lanewise.mlp.optim.Adam;
import dev.lanewise.mlp.optim.Optimizer;
import dev.lanewise.mlp.optim.Sgd;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Steady-state training steps allocate nothing: after warm-up (so that the JIT has compiled the step and escape
 * analysis has removed the kernel facades' short-lived objects), 2,000 steps alternating a full batch and a smaller
 * last batch, the full one through {@link Mlp#step} and the last through computeGradients + the optimizer's step as
 * the Trainer runs them (rounds until one allocates nothing, 5 rounds and about 40 s at most) must not allocate a
 * single byte on this thread (HotSpot's per-thread allocation counter). The JMH TrainingStepBenchmark checks the
 * same with -prof gc.
 *
 * <p>Each setup runs in a fresh JVM (like a training application). Whether C2 keeps the kernels' vectors in
 * registers depended on the JVM's history before the activation kernels got one loop per function with the formula
 * written out (kernel ActivationKernels, issue 6): in a JVM that had run several activation functions every call
 * boxed vectors (tens of KB per step), and a fresh JVM allocated 0 or ~2 KB per call depending on compilation order.
 *
 * <p>The first test uses batches whose activation sizes are multiples of 16 elements (every elementwise call covers
 * whole vectors of any species up to 512 bits); the second uses ragged batches (17 and 5 rows), so the kernels'
 * scalar tails run too.
 */
class AllocationTest {
    enum Setup { SOFTMAX_SGD, SOFTMAX_MOMENTUM, SIGMOID_BCE_MOMENTUM, TANH_MSE_ADAM }

    @ParameterizedTest
    @EnumSource(Setup.class)
    void trainingStepsAllocateNothingAfterWarmUp(Setup setup) throws Exception {
        assertThat(inFreshJvm(setup, 32, 16)).as("bytes allocated by 2,000 steps").isZero();
    }

    /** Runs {@link #main} in a child JVM with this JVM's class path and flags; returns the bytes it measured. */
    static long inFreshJvm(Setup setup, int fullBatch, int lastBatch) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, "--add-modules", "jdk.incubator.vector", "-cp",
                System.getProperty("java.class.path"), AllocationTest.class.getName(), setup.name(),
                Integer.toString(fullBatch), Integer.toString(lastBatch)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("child JVM output: %s", out).isZero();
        String last = out.strip().lines().reduce((a, b) -> b).orElseThrow();
        assertThat(last).as("child JVM output: %s", out).startsWith("allocated ");
        return Long.parseLong(last.substring("allocated ".length()));
    }

    /** Child-JVM entry: prints "allocated N" for N bytes allocated by 2,000 steps after warm-up. */
    public static void main(String[] args) {
        System.out.println("allocated " + allocatedBySteps(Setup.valueOf(args[0]), Integer.parseInt(args[1]),
                Integer.parseInt(args[2])));
    }

    @ParameterizedTest
    @EnumSource(Setup.class)
    void raggedBatchesAllocateNothingAfterWarmUp(Setup setup) throws Exception {
        assertThat(inFreshJvm(setup, 17, 5)).as("bytes allocated by 2,000 steps").isZero();
    }

    /**
     * The full batch through {@link Mlp#step} (for SGD but Nesterov the update fused into the backward pass), the
     * last one through computeGradients and the optimizer's own step, as the Trainer runs an epoch's batches.
     */
    private static double step(Mlp model, Matrix x, Target target, Loss loss, Optimizer opt, int which) {
        if (which == 0) {
            return model.step(x, target, loss, opt);
        }
        double value = model.computeGradients(x, target, loss);
        opt.step();
        return value;
    }

    static long allocatedBySteps(Setup setup, int fullBatch, int lastBatch) {
        Precision precision = setup == Setup.TANH_MSE_ADAM || setup == Setup.SOFTMAX_MOMENTUM ? Precision.DOUBLE
                : Precision.FLOAT;
        Activation hidden = switch (setup) {
            case SOFTMAX_SGD, SOFTMAX_MOMENTUM -> Activation.RELU;
            case SIGMOID_BCE_MOMENTUM -> Activation.SIGMOID;
            case TANH_MSE_ADAM -> Activation.TANH;
        };
        boolean softmax = setup == Setup.SOFTMAX_SGD || setup == Setup.SOFTMAX_MOMENTUM;
        int outputs = softmax ? 10 : 1;
        Mlp model = Mlp.of(precision, "32-48-16-" + outputs, hidden,
                setup == Setup.SIGMOID_BCE_MOMENTUM ? Activation.SIGMOID : Activation.IDENTITY,
                Initializer.XAVIER_UNIFORM, 1);
        Loss loss = switch (setup) {
            case SOFTMAX_SGD, SOFTMAX_MOMENTUM -> new SoftmaxCrossEntropy();
            case SIGMOID_BCE_MOMENTUM -> BinaryCrossEntropy.onProbabilities();
            case TANH_MSE_ADAM -> new MeanSquaredError();
        };
        Optimizer opt = switch (setup) {
            case SOFTMAX_SGD -> new Sgd(model.parameters(), 0.01);
            case SOFTMAX_MOMENTUM -> Sgd.withMomentum(model.parameters(), 0.01, 0.9, false);
            case SIGMOID_BCE_MOMENTUM -> Sgd.withMomentum(model.parameters(), 0.01, 0.9, true);
            case TANH_MSE_ADAM -> Adam.adamW(model.parameters());
        };
        SplittableRandom r = new SplittableRandom(1);
        Matrix full = precision.zeros(fullBatch, 32), last = precision.zeros(lastBatch, 32);
        for (Matrix m : List.of(full, last)) {
            for (int i = 0; i < m.size(); i++) {
                m.set(i, r.nextGaussian());
            }
        }
        int[] labels = new int[fullBatch];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = r.nextInt(10);
        }
        Matrix tFull = precision.zeros(fullBatch, outputs), tLast = precision.zeros(lastBatch, outputs);
        for (Matrix t : List.of(tFull, tLast)) {
            for (int i = 0; i < t.size(); i++) {
                t.set(i, r.nextInt(2));
            }
        }
        Target[] targets = softmax
                ? new Target[]{Target.labels(labels), Target.labels(labels)}
                : new Target[]{Target.values(tFull), Target.values(tLast)};
        Matrix[] xs = {full, last};
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        double sink = 0;
        for (int i = 0; i < 30_000; i++) {
            sink += step(model, xs[i & 1], targets[i & 1], loss, opt, i & 1);
        }
        // Rounds until one allocates nothing, keeping the least, for at most 5 rounds on an idle machine and about
        // 40 s on a loaded one: a round can catch a transient JIT event (measured: 128 B/step in some rounds while C2
        // was still recompiling; with load averages of 4-7 C2's queue ran late enough that several kernels still ran
        // the Vector API's Java fallbacks after the warm-up), but a structural allocation shows in every round.
        long allocated = Long.MAX_VALUE;
        long deadline = System.nanoTime() + 40_000_000_000L;
        for (int round = 0; allocated > 0 && (round < 5 || System.nanoTime() < deadline); round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 2_000; i++) {
                sink += step(model, xs[i & 1], targets[i & 1], loss, opt, i & 1);
            }
            allocated = Math.min(allocated, threads.getCurrentThreadAllocatedBytes() - before);
        }
        assertThat(sink).isFinite();
        return allocated;
    }
}
