package dev.lanewise.mlp.data;

import dev.lanewise.mlp.Matrix;
import dev.lanewise.mlp.Precision;
import dev.lanewise.mlp.train.Dataset;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Readers for the data files the project ships: CSV with a header row and the integer label in the last column
 * (scikit-learn's small data sets), and gzipped IDX files (MNIST).
 */
public final class DataFiles {
    private DataFiles() {
    }

    /** Features from every column but the last, labels from the last; {@code binary} makes a 1-output data set. */
    public static Dataset csv(Path file, Precision precision, boolean binary) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.size() < 2) {
            throw new IOException(file + ": expected a header and at least one row");
        }
        int cols = lines.getFirst().split(",").length;
        Matrix x = precision.zeros(lines.size() - 1, cols - 1);
        int[] labels = new int[lines.size() - 1];
        int classes = 0;
        for (int r = 1; r < lines.size(); r++) {
            String[] f = lines.get(r).split(",");
            if (f.length != cols) {
                throw new IOException(file + ": line " + (r + 1) + " has " + f.length + " fields, expected " + cols);
            }
            try {
                for (int c = 0; c < cols - 1; c++) {
                    x.set(r - 1, c, Double.parseDouble(f[c]));
                }
                labels[r - 1] = Integer.parseInt(f[cols - 1].trim());
            } catch (NumberFormatException e) {
                throw new IOException(file + ": line " + (r + 1) + ": " + e.getMessage(), e);
            }
            classes = Math.max(classes, labels[r - 1] + 1);
        }
        return binary ? Dataset.binary(x, labels) : Dataset.classification(x, labels, classes);
    }

    /**
     * MNIST-style images and labels ({@code prefix-images-idx3-ubyte.gz}, {@code prefix-labels-idx1-ubyte.gz} in
     * {@code dir}); pixels scaled to [0, 1]; the first {@code limit} samples (all if limit &lt; 0).
     */
    public static Dataset idx(Path dir, String prefix, Precision precision, int limit) throws IOException {
        Path imageFile = dir.resolve(prefix + "-images-idx3-ubyte.gz");
        Path labelFile = dir.resolve(prefix + "-labels-idx1-ubyte.gz");
        try (DataInputStream images = open(imageFile); DataInputStream labels = open(labelFile)) {
            header(images, 0x803, imageFile);
            int n = images.readInt(), rows = images.readInt(), cols = images.readInt();
            header(labels, 0x801, labelFile);
            int nLabels = labels.readInt();
            if (n != nLabels) {
                throw new IOException(imageFile + " has " + n + " images but " + labelFile + " " + nLabels + " labels");
            }
            int count = limit < 0 ? n : Math.min(limit, n);
            Matrix x = precision.zeros(count, rows * cols);
            byte[] pixels = new byte[rows * cols];
            for (int i = 0; i < count; i++) {
                images.readFully(pixels);
                for (int p = 0; p < pixels.length; p++) {
                    x.set(i, p, (pixels[p] & 0xFF) / 255.0);
                }
            }
            byte[] y = new byte[count];
            labels.readFully(y);
            int[] l = new int[count];
            for (int i = 0; i < count; i++) {
                l[i] = y[i] & 0xFF;
            }
            return Dataset.classification(x, l, 10);
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        return new DataInputStream(new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16));
    }

    private static void header(DataInputStream in, int magic, Path file) throws IOException {
        int m = in.readInt();
        if (m != magic) {
            throw new IOException(file + ": magic 0x" + Integer.toHexString(m) + ", expected 0x"
                    + Integer.toHexString(magic));
        }
    }

}
