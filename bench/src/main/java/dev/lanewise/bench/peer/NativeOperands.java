package dev.lanewise.bench.peer;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;

/**
 * Native copies of a benchmark's three operands, made once in {@code @Setup}: OpenBLAS reads and writes these, never
 * the Java arrays (the {@code float[]} overloads copy on every call). One precision is set, the other is null.
 */
public final class NativeOperands implements AutoCloseable {
    public final FloatPointer fa, fb, fc;
    public final DoublePointer da, db, dc;

    private NativeOperands(FloatPointer fa, FloatPointer fb, FloatPointer fc, DoublePointer da, DoublePointer db,
                           DoublePointer dc) {
        this.fa = fa;
        this.fb = fb;
        this.fc = fc;
        this.da = da;
        this.db = db;
        this.dc = dc;
    }

    /** Loads OpenBLAS on one thread and copies the three float operands to native memory. */
    public static NativeOperands of(float[] a, float[] b, float[] c) {
        OpenBlas.init(1);
        return new NativeOperands(new FloatPointer(a), new FloatPointer(b), new FloatPointer(c), null, null, null);
    }

    /** Loads OpenBLAS on one thread and copies the three double operands to native memory. */
    public static NativeOperands of(double[] a, double[] b, double[] c) {
        OpenBlas.init(1);
        return new NativeOperands(null, null, null, new DoublePointer(a), new DoublePointer(b), new DoublePointer(c));
    }

    @Override
    public void close() {
        for (var p : new org.bytedeco.javacpp.Pointer[] {fa, fb, fc, da, db, dc}) {
            if (p != null) {
                p.close();
            }
        }
    }
}
