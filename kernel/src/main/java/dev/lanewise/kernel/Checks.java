package dev.lanewise.kernel;

/**
 * Argument validation shared by every facade, for float and double alike: it sees only array lengths.
 * Index arithmetic is done in {@code long}, so a huge matrix cannot wrap around {@code int} and pass.
 * Every check runs before any output is written, so a failed call leaves its outputs untouched.
 */
final class Checks {
    private Checks() {
    }

    static void notNull(Object array, String name) {
        // No message supplier lambda: it would capture name and allocate on every call of every kernel.
        if (array == null) {
            throw new NullPointerException(name + " must not be null");
        }
    }

    static void nonNegative(int value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, got " + value);
        }
    }

    /** Like {@link #nonNegative(int, String)}, the name built only on failure (concatenating eagerly allocates). */
    private static void nonNegative(int value, String what, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(what + name + " must be >= 0, got " + value);
        }
    }

    /**
     * Checks a row-major matrix view: {@code rows x cols} elements, row {@code r} starting at
     * {@code offset + r * ld}, inside an array of {@code length} elements.
     */
    static void matrix(String name, int length, int offset, int rows, int cols, int ld) {
        nonNegative(rows, "rows of ", name);
        nonNegative(cols, "cols of ", name);
        if (ld < Math.max(1, cols)) {
            throw new IllegalArgumentException(
                    "ld" + name + " must be >= max(1, cols of " + name + ") = " + Math.max(1, cols) + ", got " + ld);
        }
        if (offset < 0) {
            throw new IndexOutOfBoundsException("offset of " + name + " must be >= 0, got " + offset);
        }
        if (rows == 0 || cols == 0) {
            return;
        }
        long last = offset + (long) (rows - 1) * ld + cols - 1;
        if (last >= length) {
            throw new IndexOutOfBoundsException(name + " (" + rows + "x" + cols + ", offset " + offset + ", ld" + name
                    + " " + ld + ") needs index " + last + " but " + name + ".length is " + length);
        }
    }

    /** Checks a contiguous vector of {@code n} elements starting at {@code offset}. */
    static void vector(String name, int length, int offset, int n) {
        nonNegative(n, "length of ", name);
        if (offset < 0) {
            throw new IndexOutOfBoundsException("offset of " + name + " must be >= 0, got " + offset);
        }
        if ((long) offset + n > length) {
            throw new IndexOutOfBoundsException(name + " needs " + n + " elements from offset " + offset + " but "
                    + name + ".length is " + length);
        }
    }

    static void finite(double value, String name) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be finite, got " + value);
        }
    }
}
