package dev.lanewise.mlp;

import java.util.List;

/**
 * One step of a sequential model: a forward/backward pair. {@link #forward} keeps in an explicit cache what
 * {@link #backward} needs; the matrices it returns are the layer's own buffers, valid until its next call, and sized
 * to the batch (one buffer per layer serves every batch size up to the largest seen, so steady-state training
 * allocates nothing).
 */
public interface Layer {
    /** Width of the input rows. */
    int inputWidth();

    /** Width of the output rows. */
    int outputWidth();

    /** The output for a batch {@code input} (B × inputWidth); caches what the backward pass needs. */
    Matrix forward(Matrix input);

    /**
     * Given dL/d(output) of the last forward batch, writes the gradients of this layer's parameters and returns
     * dL/d(input), or {@code null} if {@code needInputGradient} is false (the first layer does not need it).
     */
    Matrix backward(Matrix outputGradient, boolean needInputGradient);

    /** The trainable parameters (empty for parameter-free layers). */
    List<Parameter> parameters();
}
