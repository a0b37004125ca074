package dev.lanewise.mlp.train;

import dev.lanewise.mlp.Matrix;

import java.util.SplittableRandom;

/**
 * Samples for training or evaluation: a features matrix (n × d, one sample per row) with integer class labels,
 * target values (n × K), or both. Construction validates everything once (finite features, labels in range, shapes)
 * so that training steps need not.
 */
public final class Dataset {
    private final Matrix features;
    private final int[] labels;
    private final int classes;
    private final Matrix targets;

    private Dataset(Matrix features, int[] labels, int classes, Matrix targets) {
        int bad = features.indexOfNonFinite();
        if (bad >= 0) {
            throw new IllegalArgumentException("features: sample " + bad / features.cols() + ", column "
                    + bad % features.cols() + " is " + features.get(bad) + " (features must be finite)");
        }
        if (labels != null) {
            if (labels.length != features.rows()) {
                throw new IllegalArgumentException("labels has " + labels.length + " entries for "
                        + features.rows() + " samples");
            }
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] < 0 || labels[i] >= classes) {
                    throw new IllegalArgumentException("labels[" + i + "] = " + labels[i] + " is outside [0, "
                            + classes + ")");
                }
            }
        }
        if (targets != null) {
            if (targets.rows() != features.rows() || targets.precision() != features.precision()) {
                throw new IllegalArgumentException("targets is " + targets.precision() + " " + targets.rows()
                        + " rows, features " + features.precision() + " " + features.rows() + " rows");
            }
            int badTarget = targets.indexOfNonFinite();
            if (badTarget >= 0) {
                throw new IllegalArgumentException("targets: sample " + badTarget / targets.cols() + " is not finite");
            }
        }
        this.features = features;
        this.labels = labels;
        this.classes = classes;
        this.targets = targets;
    }

    /** Multi-class classification: labels in [0, classes). */
    public static Dataset classification(Matrix features, int[] labels, int classes) {
        return new Dataset(features, labels.clone(), classes, null);
    }

    /** Binary classification with one output: labels 0 or 1, also provided as an n × 1 target column. */
    public static Dataset binary(Matrix features, int[] labels) {
        Matrix t = features.precision().zeros(labels.length, 1);
        for (int i = 0; i < labels.length; i++) {
            t.set(i, labels[i]);
        }
        return new Dataset(features, labels.clone(), 2, t);
    }

    /** Regression (or any loss on target values): targets n × K. */
    public static Dataset regression(Matrix features, Matrix targets) {
        return new Dataset(features, null, 0, targets);
    }

    public int size() {
        return features.rows();
    }

    public Matrix features() {
        return features;
    }

    /** The labels (not a copy), or {@code null}. */
    public int[] labels() {
        return labels;
    }

    public int classes() {
        return classes;
    }

    /** The target values, or {@code null}. */
    public Matrix targets() {
        return targets;
    }

    /** The samples at {@code indices}, in that order (copied). */
    public Dataset subset(int[] indices) {
        Matrix x = features.precision().zeros(0, features.cols());
        x.gatherRows(features, indices, 0, indices.length);
        int[] l = null;
        if (labels != null) {
            l = new int[indices.length];
            for (int i = 0; i < l.length; i++) {
                l[i] = labels[indices[i]];
            }
        }
        Matrix t = null;
        if (targets != null) {
            t = targets.precision().zeros(0, targets.cols());
            t.gatherRows(targets, indices, 0, indices.length);
        }
        return new Dataset(x, l, classes, t);
    }

    /**
     * A fixed random split: a permutation from {@code seed}; the first {@code round(n · testFraction)} samples
     * become the second data set (test), the rest the first (train).
     */
    public Dataset[] split(double testFraction, long seed) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("testFraction must be in (0, 1), got " + testFraction);
        }
        int[] perm = permutation(size(), new SplittableRandom(seed));
        int nTest = (int) Math.round(size() * testFraction);
        return new Dataset[]{subset(java.util.Arrays.copyOfRange(perm, nTest, perm.length)),
                subset(java.util.Arrays.copyOf(perm, nTest))};
    }

    static int[] permutation(int n, SplittableRandom random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        shuffle(p, random);
        return p;
    }

    /** Fisher–Yates. */
    static void shuffle(int[] p, SplittableRandom random) {
        for (int i = p.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = p[i];
            p[i] = p[j];
            p[j] = tmp;
        }
    }

    /**
     * Standardises every feature column with this data set's mean and standard deviation (population), and applies
     * the same affine map to {@code others} (e.g. the test set), in place. Constant columns are only centred.
     */
    public void standardize(Dataset... others) {
        int d = features.cols(), n = size();
        double[] mean = new double[d];
        double[] sd = new double[d];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < d; c++) {
                mean[c] += features.get(r, c);
            }
        }
        for (int c = 0; c < d; c++) {
            mean[c] /= n;
        }
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < d; c++) {
                double dev = features.get(r, c) - mean[c];
                sd[c] += dev * dev;
            }
        }
        for (int c = 0; c < d; c++) {
            sd[c] = Math.sqrt(sd[c] / n);
            if (sd[c] == 0) {
                sd[c] = 1;
            }
        }
        applyAffine(features, mean, sd);
        for (Dataset o : others) {
            applyAffine(o.features, mean, sd);
        }
    }

    private static void applyAffine(Matrix m, double[] mean, double[] sd) {
        for (int r = 0; r < m.rows(); r++) {
            for (int c = 0; c < m.cols(); c++) {
                m.set(r, c, (m.get(r, c) - mean[c]) / sd[c]);
            }
        }
    }
}
