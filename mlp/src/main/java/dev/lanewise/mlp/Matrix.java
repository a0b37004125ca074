package dev.lanewise.mlp;

import dev.lanewise.kernel.Activation;
import dev.lanewise.kernel.Transpose;

/**
 * A dense row-major matrix in one {@link Precision}: the only place where the model's float and double code paths
 * differ. Layers, losses and optimizers are written once against this class; its two subclasses route each
 * operation to the float or double twin of the kernel facade.
 *
 * <p>Element (r, c) is {@code data[r * cols + c]} (leading dimension = cols). The number of rows is variable up to a
 * capacity, so that one preallocated buffer serves every batch size up to the largest one seen:
 * {@link #setRows(int)} never allocates within the capacity. Operations with a matrix argument require both to have
 * the same precision and compatible shapes; mismatches throw {@link IllegalArgumentException} naming the operand.
 */
public abstract sealed class Matrix permits FloatMatrix, DoubleMatrix {
    final int cols;
    int rows;

    Matrix(int rows, int cols) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("matrix shape must be non-negative, got " + rows + "x" + cols);
        }
        if ((long) rows * cols > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("matrix " + rows + "x" + cols + " exceeds the largest Java array");
        }
        this.rows = rows;
        this.cols = cols;
    }

    public final int rows() {
        return rows;
    }

    public final int cols() {
        return cols;
    }

    /** rows · cols: the number of elements in use. */
    public final int size() {
        return rows * cols;
    }

    public abstract Precision precision();

    /** Rows the storage holds without reallocating. */
    public abstract int capacityRows();

    /**
     * Sets the number of rows in use (a view of the first {@code rows} rows). Grows the storage, allocating and
     * keeping the current contents, only when {@code rows} exceeds {@link #capacityRows()}.
     */
    public final void setRows(int rows) {
        if (rows < 0) {
            throw new IllegalArgumentException("rows must be >= 0, got " + rows);
        }
        if (rows > capacityRows()) {
            grow(rows);
        }
        this.rows = rows;
    }

    abstract void grow(int rows);

    /** Element {@code i} in row-major order. */
    public abstract double get(int i);

    public abstract void set(int i, double value);

    public final double get(int r, int c) {
        return get(r * cols + c);
    }

    public final void set(int r, int c, double value) {
        set(r * cols + c, value);
    }

    /** A copy with the same shape and precision and exactly as many rows as are in use. */
    public abstract Matrix copy();

    /** The values as doubles, row-major (exact for both precisions). */
    public final double[] toDoubleArray() {
        double[] out = new double[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = get(i);
        }
        return out;
    }

    // ---- Kernel operations. Each one checks shapes here, once for both precisions, then calls its twin.

    /** this = alpha · op(a) · op(b) + beta · this, through {@link dev.lanewise.kernel.Gemm}. */
    public final void gemm(Transpose transA, Transpose transB, double alpha, Matrix a, Matrix b, double beta) {
        int k = gemmInnerDimension(transA, transB, a, b);
        gemmTwin(transA, transB, rows, cols, k, alpha, a, b, beta);
    }

    abstract void gemmTwin(Transpose transA, Transpose transB, int m, int n, int k, double alpha, Matrix a, Matrix b,
                           double beta);

    /**
     * this = f(op(a) · op(b) + bias), the bias (1 × cols) added to every row, in one fused GEMM
     * ({@link dev.lanewise.kernel.Gemm} with an {@link dev.lanewise.kernel.Epilogue}): bias and activation are applied
     * to each tile of the product while it is still in cache, instead of in separate passes over memory. If
     * {@code preActivation} is not null (same shape as this), the pre-activation op(a) · op(b) + bias is stored there
     * as well. This is a dense layer followed by its activation; this must not be a, b, bias or preActivation.
     */
    public final void gemmBiasActivation(Transpose transA, Transpose transB, Matrix a, Matrix b, Matrix bias,
                                         Activation f, Matrix preActivation) {
        int k = gemmInnerDimension(transA, transB, a, b);
        samePrecision(bias, "bias");
        if (bias.rows != 1 || bias.cols != cols) {
            throw new IllegalArgumentException("bias must be 1x" + cols + ", got " + bias.rows + "x" + bias.cols);
        }
        if (preActivation != null) {
            sameShape(preActivation, "preActivation");
        }
        gemmBiasActivationTwin(transA, transB, rows, cols, k, a, b, bias, f, preActivation);
    }

    abstract void gemmBiasActivationTwin(Transpose transA, Transpose transB, int m, int n, int k, Matrix a, Matrix b,
                                         Matrix bias, Activation f, Matrix preActivation);

    /** Checks that op(a) · op(b) fits this (m × n = rows × cols) and returns the inner dimension k. */
    private int gemmInnerDimension(Transpose transA, Transpose transB, Matrix a, Matrix b) {
        int m = transA.isTransposed() ? a.cols : a.rows;
        int k = transA.isTransposed() ? a.rows : a.cols;
        int kb = transB.isTransposed() ? b.cols : b.rows;
        int n = transB.isTransposed() ? b.rows : b.cols;
        samePrecision(a, "a");
        samePrecision(b, "b");
        if (k != kb || m != rows || n != cols) {
            throw new IllegalArgumentException("gemm shapes do not match: op(a) is " + m + "x" + k + ", op(b) is " + kb
                    + "x" + n + ", c is " + rows + "x" + cols);
        }
        return k;
    }

    /** this (1 × a.cols) = column sums of a + beta · this, through {@link dev.lanewise.kernel.Reductions}. */
    public final void columnSumsOf(Matrix a, double beta) {
        samePrecision(a, "a");
        if (rows != 1 || cols != a.cols) {
            throw new IllegalArgumentException("column sums of a " + a.rows + "x" + a.cols + " matrix need a 1x"
                    + a.cols + " output, got " + rows + "x" + cols);
        }
        columnSumsTwin(a, beta);
    }

    abstract void columnSumsTwin(Matrix a, double beta);

    /** this = f(z) elementwise; same shape as z. */
    public final void activate(Activation f, Matrix z) {
        sameShape(z, "z");
        activateTwin(f, z);
    }

    abstract void activateTwin(Activation f, Matrix z);

    /** this = dy ⊙ f′, f′ computed from {@code operand} (z or y as {@link Activation#backwardOperand()} says). */
    public final void activationGradient(Activation f, Matrix operand, Matrix dy) {
        sameShape(operand, "operand");
        sameShape(dy, "dy");
        activationGradientTwin(f, operand, dy);
    }

    abstract void activationGradientTwin(Activation f, Matrix operand, Matrix dy);

    /**
     * this = dy ⊙ f′ as {@link #activationGradient}, and {@code columnSums} (1 × cols) = the column sums of the
     * result, in one pass ({@link Activation#backwardWithBiasGradient}): an activation's backward pass fused with the
     * bias gradient of the dense layer before it. columnSums must not be this, operand or dy.
     */
    public final void activationGradientWithColumnSums(Activation f, Matrix operand, Matrix dy, Matrix columnSums) {
        sameShape(operand, "operand");
        sameShape(dy, "dy");
        samePrecision(columnSums, "columnSums");
        if (columnSums.rows != 1 || columnSums.cols != cols) {
            throw new IllegalArgumentException("columnSums must be 1x" + cols + ", got " + columnSums.rows + "x"
                    + columnSums.cols);
        }
        activationGradientWithColumnSumsTwin(f, operand, dy, columnSums);
    }

    abstract void activationGradientWithColumnSumsTwin(Activation f, Matrix operand, Matrix dy, Matrix columnSums);

    /** this += alpha · x, through {@link dev.lanewise.kernel.Blas1#axpy}. */
    public final void axpy(double alpha, Matrix x) {
        sameShape(x, "x");
        axpyTwin(alpha, x);
    }

    abstract void axpyTwin(double alpha, Matrix x);

    /**
     * One Adam step on this parameter in one pass, through {@link dev.lanewise.kernel.Updates#adam} (the formula and
     * the arguments' meaning are there), in this matrix's precision: grad is read, the moment buffers m and v are
     * updated in place. All three have this matrix's shape and precision.
     */
    public final void adamUpdate(Matrix grad, Matrix m, Matrix v, double l2, double decay, double oneMinusBeta1,
                                 double beta2, double oneMinusBeta2, double eps, double stepSize,
                                 double correction2Sqrt) {
        sameShape(grad, "grad");
        sameShape(m, "m");
        sameShape(v, "v");
        adamTwin(grad, m, v, l2, decay, oneMinusBeta1, beta2, oneMinusBeta2, eps, stepSize, correction2Sqrt);
    }

    abstract void adamTwin(Matrix grad, Matrix m, Matrix v, double l2, double decay, double oneMinusBeta1,
                           double beta2, double oneMinusBeta2, double eps, double stepSize, double correction2Sqrt);

    /** this *= alpha. */
    public abstract void scale(double alpha);

    /** Frobenius norm squared, Σ x², accumulated in double. */
    public abstract double sumOfSquares();

    /** Sets every element in use to {@code value}. */
    public abstract void fill(double value);

    /** this = src (same shape). */
    public final void copyFrom(Matrix src) {
        sameShape(src, "src");
        copyTwin(src);
    }

    abstract void copyTwin(Matrix src);

    /** Every row of this = {@code row} (a 1 × cols matrix): the bias broadcast of a dense layer. */
    public final void broadcastRows(Matrix row) {
        samePrecision(row, "row");
        if (row.rows != 1 || row.cols != cols) {
            throw new IllegalArgumentException("row must be 1x" + cols + ", got " + row.rows + "x" + row.cols);
        }
        broadcastTwin(row);
    }

    abstract void broadcastTwin(Matrix row);

    /**
     * Sets the rows in use to {@code count} and copies rows {@code indices[from .. from+count)} of {@code src} into
     * them: gathering a shuffled mini-batch. Indices are trusted to lie in [0, src.rows).
     */
    public final void gatherRows(Matrix src, int[] indices, int from, int count) {
        samePrecision(src, "src");
        if (src.cols != cols) {
            throw new IllegalArgumentException("src has " + src.cols + " columns, this has " + cols);
        }
        setRows(count);
        gatherTwin(src, indices, from, count);
    }

    abstract void gatherTwin(Matrix src, int[] indices, int from, int count);

    /** out[r] = the column of row r's largest element (first on ties; first NaN if any), r in [0, rows). */
    public final void rowArgmax(int[] out) {
        if (out.length < rows) {
            throw new IllegalArgumentException("out has " + out.length + " entries, need " + rows);
        }
        if (cols == 0) {
            throw new IllegalArgumentException("argmax of a matrix with 0 columns");
        }
        rowArgmaxTwin(out);
    }

    abstract void rowArgmaxTwin(int[] out);

    /** Index of the first non-finite element in use, or -1 if every element is finite. */
    public final int indexOfNonFinite() {
        for (int i = 0, n = size(); i < n; i++) {
            if (!Double.isFinite(get(i))) {
                return i;
            }
        }
        return -1;
    }

    final void samePrecision(Matrix other, String name) {
        if (other.precision() != precision()) {
            throw new IllegalArgumentException(name + " is " + other.precision() + ", expected " + precision());
        }
    }

    final void sameShape(Matrix other, String name) {
        samePrecision(other, name);
        if (other.rows != rows || other.cols != cols) {
            throw new IllegalArgumentException(name + " is " + other.rows + "x" + other.cols + ", expected " + rows
                    + "x" + cols);
        }
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(precision() + " " + rows + "x" + cols + " [");
        for (int r = 0; r < Math.min(rows, 4); r++) {
            s.append(r == 0 ? "[" : ", [");
            for (int c = 0; c < Math.min(cols, 6); c++) {
                s.append(c == 0 ? "" : ", ").append(get(r, c));
            }
            s.append(cols > 6 ? ", ...]" : "]");
        }
        return s.append(rows > 4 ? ", ...]" : "]").toString();
    }
}
