package dev.lanewise.mlp;

/**
 * A trainable tensor and its gradient, of the same shape and precision. The gradient holds dL/d(value) of the last
 * backward pass (overwritten, not accumulated).
 *
 * @param name  unique within a model, e.g. {@code "layers.0.W"}; used by optimizers' reports, gradient checks and
 *              safetensors files
 * @param value the parameter
 * @param grad  its gradient
 */
public record Parameter(String name, Matrix value, Matrix grad) {
    public Parameter {
        value.sameShape(grad, "grad of " + name);
    }

    static Parameter zeros(String name, Precision precision, int rows, int cols) {
        return new Parameter(name, precision.zeros(rows, cols), precision.zeros(rows, cols));
    }
}
