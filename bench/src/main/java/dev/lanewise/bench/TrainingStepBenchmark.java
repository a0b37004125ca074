package dev.lanewise.bench;

import dev.lanewise.kernel.Activation;
import dev.lanewise.kernel.Parallelism;
import dev.lanewise.kernel.Transpose;
import dev.lanewise.kernel.spi.Providers;
import dev.lanewise.mlp.Dense;
import dev.lanewise.mlp.Initializer;
import dev.lanewise.mlp.Matrix;
import dev.lanewise.mlp.Mlp;
import dev.lanewise.mlp.Precision;
import dev.lanewise.mlp.loss.SoftmaxCrossEntropy;
import dev.lanewise.mlp.loss.Target;
import dev.lanewise.mlp.optim.Adam;
import dev.lanewise.mlp.optim.Optimizer;
import dev.lanewise.mlp.optim.Sgd;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One MLP training step, as {@code ../shared/peers/mlp_step.py} times it: forward, softmax cross-entropy, backward,
 * plain SGD (lr 0.01), ReLU hidden layers, He init, fixed random batch; one op = one step, so ops/s = steps/s.
 *
 * <p>The phase benchmarks split the step for a breakdown (each op again one call):
 * {@code forward} (the model's forward pass), {@code forwardLoss} (+ the fused softmax-CE kernel),
 * {@code gradients} (+ the backward pass), {@code unfusedStep} (+ the SGD update as a pass of its own; {@code step}
 * fuses it into the backward pass), and {@code gemms}: the 8 GEMMs of {@code step} alone, with its shapes, transposes
 * and betas (3 forward, 3 weight updates W ← W − lr·xᵀ·dZ, 2 dX), so that everything else {@code step} does (bias,
 * activations, loss, column sums) = step − gemms.
 *
 * <p><b>impl.</b> The kernel provider is fixed per JVM ({@code Providers.get()}), so the implementation cannot be a
 * plain {@code @Param} switched inside one fork: each {@code impl} value needs forks started with
 * {@code -Dlanewise.provider=<impl>}. {@link #main} does that (one JMH run per impl, the property appended to that
 * run's fork JVM arguments), and so does the bench module's {@code Suite}; through the JMH jar's own main, pass
 * {@code -p impl=scalar -jvmArgsAppend "--add-modules=jdk.incubator.vector -Dlanewise.provider=scalar"} (the
 * command-line option replaces the {@code @Fork} arguments). The kernel benchmarks call
 * {@code Providers.scalar()/vector()} directly; this one goes through the model, hence the facades, hence the
 * per-JVM provider. {@link #setup} refuses to measure when the running provider differs from
 * {@code impl}, so a mislabelled result cannot appear.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class TrainingStepBenchmark {

    /** The peers' learning rate. */
    private static final double LEARNING_RATE = 0.01;

    @Param({"vector"})
    public String impl;

    @Param({"784-256-128-10"})
    public String layers;

    @Param({"128"})
    public int batch;

    /** GEMM threads ({@code Parallelism}); the peers are timed at 1 and 2 threads. */
    @Param({"1"})
    public int threads;

    @Param({"float"})
    public String precision;

    /**
     * {@code sgd} (plain, lr 0.01: the peers' step), {@code momentum} (0.9, lr 0.01, as the MNIST demo trains) or
     * {@code adam} (PyTorch's defaults but lr 0.01).
     */
    @Param({"sgd"})
    public String optimizer;

    private Mlp model;
    private Matrix x;
    private Target target;
    private SoftmaxCrossEntropy loss;
    private Optimizer optimizerInstance;
    private Matrix lossGradient;

    // GEMM operands with the step's shapes, in the run's precision (for the GEMM-only phase): the model's own W,
    // and random activations a, output gradients dZ and input gradients dX per layer.
    private Matrix[] weights, activations, outputGradients, inputGradients;

    @Setup
    public void setup() {
        String running = Providers.get().name();
        if (!running.equals(impl)) {
            throw new IllegalStateException("impl=" + impl + " but the JVM runs the " + running
                    + " provider: start the forks with -Dlanewise.provider=" + impl + " (see the class Javadoc)");
        }
        Parallelism.setThreads(threads);
        Precision p = precision.equals("double") ? Precision.DOUBLE : Precision.FLOAT;
        model = Mlp.of(p, layers, Activation.RELU, Activation.IDENTITY, Initializer.HE_NORMAL, 0);
        SplittableRandom r = new SplittableRandom(0);
        x = p.zeros(batch, model.inputWidth());
        for (int i = 0; i < x.size(); i++) {
            x.set(i, r.nextGaussian());
        }
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = r.nextInt(model.outputWidth());
        }
        target = Target.labels(labels);
        loss = new SoftmaxCrossEntropy();
        optimizerInstance = switch (optimizer) {
            case "sgd" -> new Sgd(model.parameters(), LEARNING_RATE);
            case "momentum" -> Sgd.withMomentum(model.parameters(), LEARNING_RATE, 0.9, false);
            case "adam" -> Adam.adam(model.parameters(), LEARNING_RATE);
            default -> throw new IllegalArgumentException("optimizer must be sgd, momentum or adam, got " + optimizer);
        };
        lossGradient = p.zeros(batch, model.outputWidth());
        int n = model.denseLayers().size();
        weights = new Matrix[n];
        activations = new Matrix[n + 1];
        outputGradients = new Matrix[n];
        inputGradients = new Matrix[n];
        activations[0] = p.zeros(batch, model.inputWidth());
        for (int l = 0; l < n; l++) {
            Dense d = model.denseLayers().get(l);
            weights[l] = d.weight().value();
            activations[l + 1] = p.zeros(batch, d.outputWidth());
            outputGradients[l] = p.zeros(batch, d.outputWidth());
            inputGradients[l] = p.zeros(batch, d.inputWidth());
        }
        // Random operands: a kernel's speed must not depend on zeros it could skip.
        for (Matrix[] matrices : new Matrix[][]{activations, outputGradients}) {
            for (Matrix m : matrices) {
                for (int i = 0; i < m.size(); i++) {
                    m.set(i, r.nextGaussian());
                }
            }
        }
    }

    /**
     * Forward, loss, backward and SGD, the peers' step, as {@code Trainer} runs it: {@link Mlp#step}, which fuses the
     * SGD update into the backward pass (plain SGD: W ← W − lr·xᵀ·dZ by the weight-gradient GEMM; no dW stored).
     */
    @Benchmark
    public double step() {
        return model.step(x, target, loss, optimizerInstance);
    }

    /** The same step as two calls: {@code computeGradients} (dW stored), then the optimizer's step over W and dW. */
    @Benchmark
    public double unfusedStep() {
        double l = model.computeGradients(x, target, loss);
        optimizerInstance.step();
        return l;
    }

    /** Forward, loss and backward, no update. */
    @Benchmark
    public double gradients() {
        return model.computeGradients(x, target, loss);
    }

    /** Forward and the fused softmax cross-entropy (with its gradient), no backward. */
    @Benchmark
    public double forwardLoss() {
        return loss.compute(model.forward(x), target, lossGradient);
    }

    /** The forward pass only. */
    @Benchmark
    public Matrix forward() {
        return model.forward(x);
    }

    /**
     * The GEMMs of {@link #step} alone, as it runs them: z = a·W (beta 0 where the hidden layers' fused epilogue writes
     * z; beta 1 for the output layer, which adds x·W to the broadcast bias), dX = dZ·Wᵀ (no dX for layer 1) with the
     * W of the forward pass, then the fused SGD update W ← W − lr·aᵀ·dZ (alpha −lr, beta 1, on W itself).
     */
    @Benchmark
    public Object gemms() {
        int n = weights.length;
        for (int l = 0; l < n; l++) {
            activations[l + 1].gemm(Transpose.NONE, Transpose.NONE, 1, activations[l], weights[l], l == n - 1 ? 1 : 0);
        }
        for (int l = n - 1; l >= 0; l--) {
            if (l > 0) {
                inputGradients[l].gemm(Transpose.NONE, Transpose.TRANSPOSE, 1, outputGradients[l], weights[l], 0);
            }
            weights[l].gemm(Transpose.TRANSPOSE, Transpose.NONE, -LEARNING_RATE, activations[l], outputGradients[l], 1);
        }
        return weights;
    }

    /**
     * Runs this benchmark once per {@code impl} (default: vector and scalar), each with its forks started with
     * {@code -Dlanewise.provider=<impl>}; other JMH command-line options pass through (e.g. {@code -prof gc},
     * {@code -p precision=float,double}, {@code -f 3}, a method regex such as {@code "TrainingStepBenchmark.step$"}).
     * The system property {@code impls} (comma-separated) chooses the implementations.
     */
    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        CommandLineOptions cli = new CommandLineOptions(args);
        for (String impl : System.getProperty("impls", "vector,scalar").split(",")) {
            OptionsBuilder o = new OptionsBuilder();
            o.parent(cli);
            if (cli.getIncludes().isEmpty()) {
                o.include(TrainingStepBenchmark.class.getSimpleName() + ".step$");
            }
            o.param("impl", impl);
            o.jvmArgsAppend("--add-modules=jdk.incubator.vector", "-Dlanewise.provider=" + impl);
            new Runner(o.build()).run();
        }
    }
}
