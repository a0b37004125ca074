package dev.lanewise.kernel;

/** Whether a matrix operand is used as stored ({@link #NONE}) or transposed ({@link #TRANSPOSE}). */
public enum Transpose {
    /** op(X) = X. */
    NONE,
    /** op(X) = Xᵀ. */
    TRANSPOSE;

    /** {@code true} for {@link #TRANSPOSE}. */
    public boolean isTransposed() {
        return this == TRANSPOSE;
    }
}
