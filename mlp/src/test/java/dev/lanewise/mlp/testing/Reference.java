package dev.lanewise.mlp.testing;

import dev.lanewise.kernel.Activation;
import dev.lanewise.mlp.Matrix;
import dev.lanewise.mlp.Precision;
import dev.lanewise.mlp.io.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Loads the worked examples of backprop-examples.json (copied from ../shared/reference) and compares arrays. */
public final class Reference {
    private static Map<String, Object> root;

    private Reference() {
    }

    @SuppressWarnings("unchecked")
    public static synchronized Map<String, Object> example(String id) {
        if (root == null) {
            try (InputStream in = Reference.class.getResourceAsStream("/reference/backprop-examples.json")) {
                root = (Map<String, Object>) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (Object e : (List<Object>) root.get("examples")) {
            Map<String, Object> ex = (Map<String, Object>) e;
            if (id.equals(ex.get("id"))) {
                return ex;
            }
        }
        throw new IllegalArgumentException("no example " + id);
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object o, String key) {
        return (Map<String, Object>) ((Map<String, Object>) o).get(key);
    }

    @SuppressWarnings("unchecked")
    public static List<Object> list(Object o, String key) {
        return (List<Object>) ((Map<String, Object>) o).get(key);
    }

    public static Object get(Object o, String key) {
        return ((Map<?, ?>) o).get(key);
    }

    public static double number(Object o, String key) {
        return ((Number) ((Map<?, ?>) o).get(key)).doubleValue();
    }

    /** A JSON number array, flat or nested (2-D, row-major), as doubles. */
    public static double[] doubles(Object array) {
        List<?> list = (List<?>) array;
        if (!list.isEmpty() && list.getFirst() instanceof List<?>) {
            int cols = ((List<?>) list.getFirst()).size();
            double[] out = new double[list.size() * cols];
            for (int r = 0; r < list.size(); r++) {
                List<?> row = (List<?>) list.get(r);
                for (int c = 0; c < cols; c++) {
                    out[r * cols + c] = ((Number) row.get(c)).doubleValue();
                }
            }
            return out;
        }
        double[] out = new double[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) list.get(i)).doubleValue();
        }
        return out;
    }

    /** A 2-D JSON array (or a 1-D one as a single row) as a matrix in the given precision. */
    public static Matrix matrix(Precision precision, Object array) {
        List<?> list = (List<?>) array;
        boolean nested = !list.isEmpty() && list.getFirst() instanceof List<?>;
        int rows = nested ? list.size() : 1;
        double[] values = doubles(array);
        return precision.of(rows, rows == 0 ? 0 : values.length / rows, values);
    }

    public static Activation activation(Object name) {
        return switch ((String) name) {
            case "relu" -> Activation.RELU;
            case "sigmoid" -> Activation.SIGMOID;
            case "identity" -> Activation.IDENTITY;
            default -> throw new IllegalArgumentException("activation " + name);
        };
    }

    /**
     * Normwise comparison as the reference prescribes: max|got − exp| ≤ tol · max|exp| (exact match when the
     * expected array is all zeros).
     */
    public static void assertClose(String what, double[] got, double[] expected, double tol) {
        assertThat(got).as(what + " length").hasSize(expected.length);
        double scale = 0, err = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            err = Math.max(err, Math.abs(got[i] - expected[i]));
        }
        assertThat(err).as("%s: max error %s vs tolerance %s * %s; got %s expected %s", what, err, tol, scale,
                java.util.Arrays.toString(got), java.util.Arrays.toString(expected)).isLessThanOrEqualTo(tol * scale);
    }

    public static void assertClose(String what, Matrix got, Object expected, double tol) {
        assertClose(what, got.toDoubleArray(), doubles(expected), tol);
    }

    public static void assertClose(String what, double got, double expected, double tol) {
        assertClose(what, new double[]{got}, new double[]{expected}, tol);
    }
}
