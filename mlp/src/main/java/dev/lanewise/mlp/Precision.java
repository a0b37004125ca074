package dev.lanewise.mlp;

/** The floating-point type a model computes in. Every matrix of one model has the model's precision. */
public enum Precision {
    /** 32-bit IEEE floats ({@link FloatMatrix}). */
    FLOAT,
    /** 64-bit IEEE doubles ({@link DoubleMatrix}). */
    DOUBLE;

    /** A new rows × cols matrix of zeros in this precision. */
    public Matrix zeros(int rows, int cols) {
        return this == FLOAT ? new FloatMatrix(rows, cols) : new DoubleMatrix(rows, cols);
    }

    /** A rows × cols matrix in this precision holding {@code values} (row-major, rounded to float for FLOAT). */
    public Matrix of(int rows, int cols, double... values) {
        Matrix m = zeros(rows, cols);
        if (values.length != m.size()) {
            throw new IllegalArgumentException(
                    "values has " + values.length + " elements, a " + rows + "x" + cols + " matrix needs " + m.size());
        }
        for (int i = 0; i < values.length; i++) {
            m.set(i, values[i]);
        }
        return m;
    }
}
