package dev.lanewise.mlp;

import dev.lanewise.kernel.Activation;
import dev.lanewise.mlp.loss.Loss;
import dev.lanewise.mlp.loss.Target;
import dev.lanewise.mlp.optim.Optimizer;
import dev.lanewise.mlp.optim.Sgd;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A sequential multilayer perceptron: dense layers, each followed by its activation layer (none for identity).
 *
 * <pre>{@code
 * Mlp model = Mlp.of(Precision.FLOAT, "784-256-128-10", Activation.RELU, Activation.IDENTITY,
 *                    Initializer.HE_NORMAL, 42);
 * double loss = model.computeGradients(x, Target.labels(y), new SoftmaxCrossEntropy());
 * optimizer.step();
 * // or both in one call, which fuses an SGD update (any setting but Nesterov) into the backward pass:
 * loss = model.step(x, Target.labels(y), new SoftmaxCrossEntropy(), optimizer);
 * }</pre>
 *
 * <p>A dense layer directly followed by an activation layer runs as one fused pair (an optimisation, see
 * {@link Dense#forwardWithActivation} and {@link Dense#backwardWithActivation}): forward, one GEMM whose epilogue adds
 * the bias, keeps z and writes a = f(z); backward, one pass for dZ = dA ⊙ f′ and db, then the two GEMMs for dW and dX.
 * Every layer's output and output gradient stays available as in the layer-by-layer definition. Dense layers without
 * an activation (e.g. a linear output layer, or the last one when the loss folds its activation) run unfused.
 *
 * <p>Batches are B × width matrices, one sample per row. Every buffer (layer outputs, gradients) is owned by the
 * model and reused, growing only when a batch larger than any before arrives, so a training step allocates nothing
 * after the first. Matrices returned by {@link #forward} are those buffers: valid until the next call.
 *
 * <p>Not thread-safe: one model serves one thread at a time.
 */
public final class Mlp {
    private final Precision precision;
    private final List<Layer> layers;
    private final List<Dense> denseLayers;
    private final List<Parameter> parameters;
    // firstParameter[i]: the index in parameters of layer i's first parameter (a dense layer's W; its b is next).
    private final int[] firstParameter;
    // fusedActivation[i]: the activation layer i + 1 when layer i is a Dense directly followed by one, else null.
    private final ActivationLayer[] fusedActivation;
    private final Matrix[] layerOutputs;
    private final Matrix[] layerOutputGradients;
    private final Matrix outputGradient;
    private final Matrix preActivationGradient;
    private Matrix inputGradient;

    private Mlp(Precision precision, List<Layer> layers) {
        this.precision = precision;
        this.layers = List.copyOf(layers);
        List<Dense> dense = new ArrayList<>();
        List<Parameter> params = new ArrayList<>();
        this.firstParameter = new int[layers.size()];
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            if (layer instanceof Dense d) {
                dense.add(d);
            }
            firstParameter[i] = params.size();
            params.addAll(layer.parameters());
        }
        this.denseLayers = List.copyOf(dense);
        this.parameters = List.copyOf(params);
        this.fusedActivation = new ActivationLayer[layers.size()];
        for (int i = 0; i + 1 < layers.size(); i++) {
            if (layers.get(i) instanceof Dense && layers.get(i + 1) instanceof ActivationLayer next) {
                fusedActivation[i] = next;
            }
        }
        this.layerOutputs = new Matrix[layers.size()];
        this.layerOutputGradients = new Matrix[layers.size()];
        this.outputGradient = precision.zeros(0, outputWidth());
        this.preActivationGradient = precision.zeros(0, outputWidth());
    }

    /**
     * A model from a spec of layer sizes such as {@code "784-256-128-10"}: every hidden layer uses {@code hidden},
     * the last one {@code output}; weights drawn by {@code init} from a generator seeded with {@code seed}.
     */
    public static Mlp of(Precision precision, String sizes, Activation hidden, Activation output, Initializer init,
                         long seed) {
        String[] parts = sizes.trim().split("-");
        if (parts.length < 2) {
            throw new IllegalArgumentException("sizes must list at least an input and an output width, got '"
                    + sizes + "'");
        }
        int[] widths = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                widths[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("sizes: '" + parts[i] + "' in '" + sizes + "' is not a width", e);
            }
        }
        Builder b = builder(precision, widths[0]);
        for (int i = 1; i < widths.length; i++) {
            b.dense(widths[i], i == widths.length - 1 ? output : hidden);
        }
        Mlp model = b.build();
        model.initialize(init, seed);
        return model;
    }

    public static Builder builder(Precision precision, int inputWidth) {
        return new Builder(precision, inputWidth);
    }

    /** Builds a model layer by layer; parameters start at zero until {@link #initialize} or a load. */
    public static final class Builder {
        private final Precision precision;
        private final List<Layer> layers = new ArrayList<>();
        private int width;
        private int denseCount;

        private Builder(Precision precision, int inputWidth) {
            if (inputWidth < 1) {
                throw new IllegalArgumentException("inputWidth must be >= 1, got " + inputWidth);
            }
            this.precision = precision;
            this.width = inputWidth;
        }

        /** Adds a dense layer of {@code units} outputs followed by {@code activation} (nothing for identity). */
        public Builder dense(int units, Activation activation) {
            layers.add(new Dense(precision, width, units, "layers." + denseCount++));
            width = units;
            if (activation.function() != Activation.Function.IDENTITY) {
                layers.add(new ActivationLayer(precision, activation, units));
            }
            return this;
        }

        public Mlp build() {
            if (denseCount == 0) {
                throw new IllegalStateException("a model needs at least one dense layer");
            }
            return new Mlp(precision, layers);
        }
    }

    /** Redraws every weight with {@code init} from a generator seeded with {@code seed}; biases become 0. */
    public void initialize(Initializer init, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (Dense d : denseLayers) {
            init.fill(d.weight().value(), random);
            d.bias().value().fill(0);
        }
    }

    public Precision precision() {
        return precision;
    }

    public int inputWidth() {
        return layers.getFirst().inputWidth();
    }

    public int outputWidth() {
        return layers.getLast().outputWidth();
    }

    public List<Layer> layers() {
        return layers;
    }

    public List<Dense> denseLayers() {
        return denseLayers;
    }

    /** All parameters in layer order: layers.0.W, layers.0.b, layers.1.W, ... */
    public List<Parameter> parameters() {
        return parameters;
    }

    /** Total number of trainable scalars. */
    public long parameterCount() {
        long n = 0;
        for (Parameter p : parameters) {
            n += p.value().size();
        }
        return n;
    }

    /**
     * The output for a batch x (B × inputWidth). NaN or infinite inputs propagate into the output (no check here:
     * {@code Trainer} validates whole data sets once).
     *
     * @throws IllegalArgumentException if x has the wrong width or precision
     */
    public Matrix forward(Matrix x) {
        if (x.cols() != inputWidth()) {
            throw new IllegalArgumentException("x has " + x.cols() + " columns, the model's input width is "
                    + inputWidth());
        }
        if (x.precision() != precision) {
            throw new IllegalArgumentException("x is " + x.precision() + ", the model is " + precision);
        }
        Matrix a = x;
        for (int i = 0; i < layers.size(); i++) {
            if (fusedActivation[i] != null && layers.get(i) instanceof Dense dense) {
                // Layers i and i + 1 in one fused GEMM: z = x·W + b kept in the dense layer, a = f(z).
                a = dense.forwardWithActivation(a, fusedActivation[i]);
                layerOutputs[i] = dense.output();
                layerOutputs[++i] = a;
            } else {
                a = layers.get(i).forward(a);
                layerOutputs[i] = a;
            }
        }
        return a;
    }

    /** The output of layer {@code i} in the last forward pass (z of a dense layer, a of an activation layer). */
    public Matrix layerOutput(int i) {
        return layerOutputs[i];
    }

    /**
     * dL/d(output of layer {@code i}) in the last backward pass: for a dense layer this is dZ. When the loss folds
     * the last activation, that activation layer has none ({@code null}).
     */
    public Matrix layerOutputGradient(int i) {
        return layerOutputGradients[i];
    }

    /**
     * The loss of a batch without touching the gradients, evaluated exactly as {@link #computeGradients} does (from
     * the last pre-activation when the loss folds the output activation).
     */
    public double loss(Matrix x, Target target, Loss loss) {
        Matrix output = forward(x);
        return foldsLastActivation(loss)
                ? loss.computeFromPreActivation(layerOutputs[layers.size() - 2], target, null)
                : loss.compute(output, target, null);
    }

    /** Forward pass, loss and backward pass; fills every parameter's gradient and returns the loss. */
    public double computeGradients(Matrix x, Target target, Loss loss) {
        return computeGradients(x, target, loss, false);
    }

    /**
     * As {@link #computeGradients(Matrix, Target, Loss)}; with {@code withInputGradient} also dL/dx, then available
     * from {@link #inputGradient()}. If the loss is invalid for the target (e.g. a label out of range), it throws
     * before any gradient is written.
     */
    public double computeGradients(Matrix x, Target target, Loss loss, boolean withInputGradient) {
        return forwardBackward(x, target, loss, withInputGradient, null);
    }

    /**
     * One training step on a batch: {@link #computeGradients(Matrix, Target, Loss)}, then {@code optimizer.step()},
     * unless the loss is not finite: then no parameter changes (the caller decides what a diverged loss means; {@code
     * Trainer} throws). Returns the loss.
     *
     * <p>For {@link Sgd} over exactly this model's parameters ({@link #parameters()}, in that order) and without
     * Nesterov ({@link Sgd#fusesIntoBackward}), the step is fused into the backward pass: each dense layer's weight
     * gradient xᵀ·dZ goes straight into its update by one GEMM ({@link Sgd#stepFromGradientProduct}; for plain SGD
     * W ← W − lr·xᵀ·dZ with alpha = −lr and beta = 1, after dX has been taken with the old W), so dW is never stored
     * and the update's own pass over W and dW goes (for plain SGD 2 reads and a write of every weight; JMH, 784-256-
     * 128-10 on an Intel Xeon, fused against the two calls in one run: +13%, +5% and +6% in three runs). The
     * parameters come out as from the two calls up to rounding (e.g. W + round(−lr·acc) instead of one fma of W, −lr
     * and a stored dW). The weight gradients are then not this batch's (they keep their previous contents); the bias
     * gradients are. For anything else the two calls run as they are (e.g. Nesterov, Adam, or an optimizer over some
     * layers only).
     */
    public double step(Matrix x, Target target, Loss loss, Optimizer optimizer) {
        if (optimizer instanceof Sgd sgd && sgd.fusesIntoBackward() && isParameterList(sgd.parameters())) {
            double value = forwardBackward(x, target, loss, false, sgd);
            if (Double.isFinite(value)) {
                sgd.endStep();
            }
            return value;
        }
        double value = computeGradients(x, target, loss);
        if (Double.isFinite(value)) {
            optimizer.step();
        }
        return value;
    }

    /** Whether these are this model's parameters, the same objects in the same order (an index loop: no iterator). */
    private boolean isParameterList(List<Parameter> list) {
        if (list.size() != parameters.size()) {
            return false;
        }
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) != parameters.get(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Forward, loss and backward; with an {@code update}, its step is taken layer by layer in place of the stored dW
     * (see {@link #step}), and not at all when the loss is not finite.
     */
    private double forwardBackward(Matrix x, Target target, Loss loss, boolean withInputGradient, Sgd update) {
        Matrix output = forward(x);
        int last = layers.size() - 1;
        double value;
        Matrix g;
        if (foldsLastActivation(loss)) {
            // The loss takes z of the last dense layer and returns dL/dz directly (e.g. σ + BCE: (σ(z) − t)/N).
            preActivationGradient.setRows(output.rows());
            value = loss.computeFromPreActivation(layerOutputs[last - 1], target, preActivationGradient);
            g = preActivationGradient;
            last--;
        } else {
            outputGradient.setRows(output.rows());
            value = loss.compute(output, target, outputGradient);
            g = outputGradient;
        }
        if (update != null && !Double.isFinite(value)) {
            return value;
        }
        for (int i = last; i >= 0; i--) {
            layerOutputGradients[i] = g;
            if (i > 0 && fusedActivation[i - 1] != null && layers.get(i - 1) instanceof Dense dense) {
                // Layers i - 1 and i as a fused pair: dZ = dA ⊙ f′ and db in one pass, then dW and dX.
                ActivationLayer activation = fusedActivation[i - 1];
                g = dense.backwardWithActivation(g, activation, i - 1 > 0 || withInputGradient, update,
                        firstParameter[i - 1]);
                layerOutputGradients[--i] = activation.inputGradient();
            } else if (layers.get(i) instanceof Dense dense) {
                g = dense.backward(g, i > 0 || withInputGradient, update, firstParameter[i]);
            } else {
                g = layers.get(i).backward(g, i > 0 || withInputGradient);
            }
        }
        inputGradient = g;
        return value;
    }

    /** Whether {@link #computeGradients} hands the last pre-activation to {@code loss} (see Loss#foldableActivation). */
    public boolean foldsLastActivation(Loss loss) {
        Activation foldable = loss.foldableActivation();
        return foldable != null && layers.getLast() instanceof ActivationLayer a && a.activation().equals(foldable);
    }

    /** dL/dx of the last {@link #computeGradients} call made with {@code withInputGradient = true}. */
    public Matrix inputGradient() {
        return inputGradient;
    }

    /** Writes ‖dL/dW‖_F of each dense layer (first layer first) into {@code out} (length ≥ dense layer count). */
    public void weightGradientNorms(double[] out) {
        for (int i = 0; i < denseLayers.size(); i++) {
            out[i] = Math.sqrt(denseLayers.get(i).weight().grad().sumOfSquares());
        }
    }

    /** The parameter with this name. */
    public Parameter parameter(String name) {
        for (Parameter p : parameters) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no parameter named '" + name + "'");
    }

    @Override
    public String toString() {
        return "Mlp" + layers + " (" + precision + ", " + parameterCount() + " parameters)";
    }
}
