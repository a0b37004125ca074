package dev.lanewise.kernel;

import java.util.Objects;

/**
 * What a fused GEMM does to each element after the multiply, while the C tile is still in cache: a dense layer's
 * forward pass in one pass over C. With Z = alpha · op(A) · op(B) + beta · C + 1 · biasᵀ (bias[biasOffset + j] is
 * added to column j of every row; no bias when {@code bias} is null), the result is C = f(Z) for the activation f,
 * and if a pre-activation array is given, Z is also stored there (m × n, row-major, its own offset and leading
 * dimension) for the backward pass of activations that need z.
 *
 * <p>Use {@link OfFloat} with float GEMM and {@link OfDouble} with double GEMM; see
 * {@link Gemm#gemm(Transpose, Transpose, int, int, int, float, float[], int, int, float[], int, int, float, float[],
 * int, int, OfFloat)}.
 */
public final class Epilogue {
    private Epilogue() {
    }

    /** Only an activation (no bias), for float GEMM. */
    public static OfFloat ofFloat(Activation activation) {
        return new OfFloat(null, 0, activation, null, 0, 0);
    }

    /** Only an activation (no bias), for double GEMM. */
    public static OfDouble ofDouble(Activation activation) {
        return new OfDouble(null, 0, activation, null, 0, 0);
    }

    /** Bias (nullable) of n elements from {@code biasOffset}, then {@code activation}. */
    public static OfFloat of(float[] bias, int biasOffset, Activation activation) {
        return new OfFloat(bias, biasOffset, activation, null, 0, 0);
    }

    /** Bias (nullable) of n elements from {@code biasOffset}, then {@code activation}. */
    public static OfDouble of(double[] bias, int biasOffset, Activation activation) {
        return new OfDouble(bias, biasOffset, activation, null, 0, 0);
    }

    /**
     * The float epilogue.
     *
     * @param bias n elements from {@code biasOffset}, or null for no bias
     * @param activation applied last (never null; {@link Activation#IDENTITY} for none)
     * @param preActivation m × n destination for Z, or null
     */
    public record OfFloat(float[] bias, int biasOffset, Activation activation, float[] preActivation,
                          int preActivationOffset, int ldPreActivation) {
        public OfFloat {
            Objects.requireNonNull(activation, "activation must not be null");
        }

        /** This epilogue, also storing Z in {@code z} (m × n from {@code offset}, leading dimension {@code ld}). */
        public OfFloat withPreActivation(float[] z, int offset, int ld) {
            return new OfFloat(bias, biasOffset, activation, Objects.requireNonNull(z, "z must not be null"), offset,
                    ld);
        }
    }

    /** The double epilogue; see {@link OfFloat}. */
    public record OfDouble(double[] bias, int biasOffset, Activation activation, double[] preActivation,
                           int preActivationOffset, int ldPreActivation) {
        public OfDouble {
            Objects.requireNonNull(activation, "activation must not be null");
        }

        /** This epilogue, also storing Z in {@code z} (m × n from {@code offset}, leading dimension {@code ld}). */
        public OfDouble withPreActivation(double[] z, int offset, int ld) {
            return new OfDouble(bias, biasOffset, activation, Objects.requireNonNull(z, "z must not be null"), offset,
                    ld);
        }
    }
}
