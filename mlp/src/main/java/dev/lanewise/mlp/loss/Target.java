package dev.lanewise.mlp.loss;

import dev.lanewise.mlp.Matrix;

/**
 * What a loss compares the model's output with: either integer class labels (one per row) or a matrix of target
 * values with the output's shape. A target refers to its arrays without copying; a trainer reuses one target object
 * over its preallocated batch buffers.
 */
public final class Target {
    private final int[] labels;
    private final Matrix values;

    private Target(int[] labels, Matrix values) {
        this.labels = labels;
        this.values = values;
    }

    /** Class labels: row r of the output belongs to class {@code labels[r]} (the array may be longer than B). */
    public static Target labels(int[] labels) {
        if (labels == null) {
            throw new NullPointerException("labels must not be null");
        }
        return new Target(labels, null);
    }

    /** Target values of the output's shape (B × K). */
    public static Target values(Matrix values) {
        if (values == null) {
            throw new NullPointerException("values must not be null");
        }
        return new Target(null, values);
    }

    public boolean hasLabels() {
        return labels != null;
    }

    /** The labels; throws if this target holds values. */
    public int[] labels() {
        if (labels == null) {
            throw new IllegalArgumentException("this loss needs class labels, but the target holds values");
        }
        return labels;
    }

    /** The values, checked against the output's shape; throws if this target holds labels. */
    public Matrix valuesFor(Matrix output) {
        if (values == null) {
            throw new IllegalArgumentException("this loss needs target values (B x K), but the target holds labels");
        }
        if (values.rows() != output.rows() || values.cols() != output.cols()
                || values.precision() != output.precision()) {
            throw new IllegalArgumentException("target values are " + values.precision() + " " + values.rows() + "x"
                    + values.cols() + ", the output is " + output.precision() + " " + output.rows() + "x"
                    + output.cols());
        }
        return values;
    }

    /** Checks that the labels cover {@code batch} rows. */
    int[] labels(int batch) {
        int[] l = labels();
        if (l.length < batch) {
            throw new IllegalArgumentException("labels has " + l.length + " entries, the batch has " + batch + " rows");
        }
        return l;
    }
}
