package dev.lanewise.mlp;

import dev.lanewise.kernel.Activation;
import dev.lanewise.kernel.Blas1;
import dev.lanewise.kernel.Epilogue;
import dev.lanewise.kernel.Gemm;
import dev.lanewise.kernel.Reductions;
import dev.lanewise.kernel.Transpose;
import dev.lanewise.kernel.Updates;

import java.util.Arrays;

/**
 * The float twin of {@link Matrix}: each method is one call of the float kernel facade (or a plain loop where the
 * kernel module has no such operation). {@link DoubleMatrix} mirrors it line by line.
 */
public final class FloatMatrix extends Matrix {
    private float[] data;

    // The epilogue of the last fused GEMM into this matrix, reused while it names the same arrays and activation: an
    // Epilogue is an immutable record, and building one per call would allocate in every training step.
    private Epilogue.OfFloat epilogue;

    public FloatMatrix(int rows, int cols) {
        super(rows, cols);
        data = new float[rows * cols];
    }

    /** Wraps {@code data} (row-major, length ≥ rows · cols) without copying. */
    public FloatMatrix(int rows, int cols, float[] data) {
        super(rows, cols);
        if (data.length < rows * cols) {
            throw new IllegalArgumentException("data has " + data.length + " elements, need " + rows * cols);
        }
        this.data = data;
    }

    /** The backing array, row-major with leading dimension {@link #cols()}; valid until {@link #setRows} grows it. */
    public float[] data() {
        return data;
    }

    @Override
    public Precision precision() {
        return Precision.FLOAT;
    }

    @Override
    public int capacityRows() {
        return cols == 0 ? Integer.MAX_VALUE : data.length / cols;
    }

    @Override
    void grow(int newRows) {
        data = Arrays.copyOf(data, newRows * cols);
    }

    @Override
    public double get(int i) {
        return data[i];
    }

    @Override
    public void set(int i, double value) {
        data[i] = (float) value;
    }

    @Override
    public Matrix copy() {
        return new FloatMatrix(rows, cols, Arrays.copyOf(data, size()));
    }

    private static float[] of(Matrix m) {
        return ((FloatMatrix) m).data;
    }

    @Override
    void gemmTwin(Transpose transA, Transpose transB, int m, int n, int k, double alpha, Matrix a, Matrix b,
                  double beta) {
        Gemm.gemm(transA, transB, m, n, k, (float) alpha, of(a), 0, Math.max(1, a.cols), of(b), 0,
                Math.max(1, b.cols), (float) beta, data, 0, Math.max(1, cols));
    }

    @Override
    void gemmBiasActivationTwin(Transpose transA, Transpose transB, int m, int n, int k, Matrix a, Matrix b,
                                Matrix bias, Activation f, Matrix preActivation) {
        float[] biasData = of(bias);
        float[] preData = preActivation == null ? null : of(preActivation);
        Epilogue.OfFloat e = epilogue;
        if (e == null || e.bias() != biasData || e.activation() != f || e.preActivation() != preData) {
            e = Epilogue.of(biasData, 0, f);
            e = preData == null ? e : e.withPreActivation(preData, 0, Math.max(1, cols));
            epilogue = e;
        }
        Gemm.gemm(transA, transB, m, n, k, 1, of(a), 0, Math.max(1, a.cols), of(b), 0, Math.max(1, b.cols), 0, data,
                0, Math.max(1, cols), e);
    }

    @Override
    void columnSumsTwin(Matrix a, double beta) {
        Reductions.columnSums(a.rows, a.cols, of(a), 0, Math.max(1, a.cols), (float) beta, data, 0);
    }

    @Override
    void activateTwin(Activation f, Matrix z) {
        f.forward(size(), of(z), 0, data, 0);
    }

    @Override
    void activationGradientTwin(Activation f, Matrix operand, Matrix dy) {
        f.backward(size(), of(operand), 0, of(dy), 0, data, 0);
    }

    @Override
    void activationGradientWithColumnSumsTwin(Activation f, Matrix operand, Matrix dy, Matrix columnSums) {
        f.backwardWithBiasGradient(rows, cols, of(operand), 0, of(dy), 0, data, 0, 0, of(columnSums), 0);
    }

    @Override
    void axpyTwin(double alpha, Matrix x) {
        Blas1.axpy(size(), (float) alpha, of(x), 0, data, 0);
    }

    @Override
    void adamTwin(Matrix grad, Matrix m, Matrix v, double l2, double decay, double oneMinusBeta1, double beta2,
                  double oneMinusBeta2, double eps, double stepSize, double correction2Sqrt) {
        Updates.adam(size(), data, 0, of(grad), 0, of(m), 0, of(v), 0, (float) l2, (float) decay,
                (float) oneMinusBeta1, (float) beta2, (float) oneMinusBeta2, (float) eps, (float) stepSize,
                (float) correction2Sqrt);
    }

    @Override
    public void scale(double alpha) {
        Blas1.scal(size(), (float) alpha, data, 0);
    }

    @Override
    public double sumOfSquares() {
        double sum = 0;
        for (int i = 0, n = size(); i < n; i++) {
            sum += (double) data[i] * data[i];
        }
        return sum;
    }

    @Override
    public void fill(double value) {
        Arrays.fill(data, 0, size(), (float) value);
    }

    @Override
    void copyTwin(Matrix src) {
        System.arraycopy(of(src), 0, data, 0, size());
    }

    @Override
    void broadcastTwin(Matrix row) {
        float[] r = of(row);
        for (int i = 0; i < rows; i++) {
            System.arraycopy(r, 0, data, i * cols, cols);
        }
    }

    @Override
    void gatherTwin(Matrix src, int[] indices, int from, int count) {
        float[] s = of(src);
        for (int i = 0; i < count; i++) {
            System.arraycopy(s, indices[from + i] * cols, data, i * cols, cols);
        }
    }

    @Override
    void rowArgmaxTwin(int[] out) {
        Reductions.rowArgmax(rows, cols, data, 0, cols, out, 0);
    }
}
