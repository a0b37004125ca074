package dev.lanewise.bench;

import dev.lanewise.kernel.vector.math.VectorExp;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The choice behind the vector kernels' e^x (kernel/ELEMENTWISE-NOTES.md): the same loop with the Vector API's
 * {@code lanewise(EXP)} ({@code svml}: an SVML intrinsic on x86 once C2 compiles it), with
 * {@link VectorExp#exp} ({@code polynomial}) and with {@link Math#exp} per element ({@code scalar}).
 * {@code function}: {@code exp} (y = e^x), {@code sigmoid} (y = 1/(1 + e^−x)) over {@code size} elements in [−6, 6),
 * or {@code softmax} over rows of 1000 ({@code size}/1000 rows: max, e^(x − max) with its sum, scale), the
 * kernels' three uses. Not part of the suite plan: run it by name.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class TranscendentalBenchmark {
    private static final VectorSpecies<Float> F = VectorExp.F;
    private static final VectorSpecies<Double> D = VectorExp.D;
    private static final int COLS = 1000;

    @Param({"scalar", "svml", "polynomial"})
    public String impl;

    @Param({"exp", "sigmoid", "softmax"})
    public String function;

    @Param({"4096", "16777216"})
    public int size;

    @Param({"float", "double"})
    public String precision;

    private int fn, im;
    private boolean single;
    private float[] xf, yf;
    private double[] xd, yd;

    @Setup(Level.Trial)
    public void setUp() {
        fn = switch (function) {
            case "exp" -> 0;
            case "sigmoid" -> 1;
            case "softmax" -> 2;
            default -> throw new IllegalArgumentException("function must be exp, sigmoid or softmax: " + function);
        };
        im = switch (impl) {
            case "scalar" -> 0;
            case "svml" -> 1;
            case "polynomial" -> 2;
            default -> throw new IllegalArgumentException("impl must be scalar, svml or polynomial: " + impl);
        };
        if (fn == 2 && size % COLS != 0) {
            throw new IllegalArgumentException("softmax needs size a multiple of " + COLS + ", got " + size);
        }
        single = precision.equals("float");
        SplittableRandom rnd = new SplittableRandom(BenchSupport.SEED);
        if (single) {
            xf = BenchSupport.floats(rnd, size);
            for (int i = 0; i < size; i++) {
                xf[i] *= 6;
            }
            yf = new float[size];
        } else {
            xd = BenchSupport.doubles(rnd, size);
            for (int i = 0; i < size; i++) {
                xd[i] *= 6;
            }
            yd = new double[size];
        }
    }

    @Benchmark
    public Object run() {
        if (single) {
            if (fn == 2) {
                for (int r = 0; r < size; r += COLS) {
                    softmaxRow(r, xf, yf);
                }
            } else {
                map(0, size, xf, yf, fn == 1 ? -1f : 1f, fn == 1);
            }
            return yf;
        }
        if (fn == 2) {
            for (int r = 0; r < size; r += COLS) {
                softmaxRow(r, xd, yd);
            }
        } else {
            map(0, size, xd, yd, fn == 1 ? -1 : 1, fn == 1);
        }
        return yd;
    }

    /** y = e^(scale·x), or 1/(1 + e^(scale·x)) when {@code sigmoid}; returns the sum of the e^ values. */
    private double map(int off, int n, float[] x, float[] y, float scale, boolean sigmoid) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        if (im == 1) {
            for (int bound = F.loopBound(n); i < bound; i += F.length()) {
                FloatVector e = FloatVector.fromArray(F, x, off + i).mul(scale).lanewise(VectorOperators.EXP);
                acc = acc.add(e);
                (sigmoid ? FloatVector.broadcast(F, 1f).div(e.add(1f)) : e).intoArray(y, off + i);
            }
        } else if (im == 2) {
            for (int bound = F.loopBound(n); i < bound; i += F.length()) {
                FloatVector e = VectorExp.exp(FloatVector.fromArray(F, x, off + i).mul(scale));
                acc = acc.add(e);
                (sigmoid ? FloatVector.broadcast(F, 1f).div(e.add(1f)) : e).intoArray(y, off + i);
            }
        }
        double sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            float e = (float) Math.exp(scale * x[off + i]);
            sum += e;
            y[off + i] = sigmoid ? 1 / (1 + e) : e;
        }
        return sum;
    }

    private double map(int off, int n, double[] x, double[] y, double scale, boolean sigmoid) {
        DoubleVector acc = DoubleVector.zero(D);
        int i = 0;
        if (im == 1) {
            for (int bound = D.loopBound(n); i < bound; i += D.length()) {
                DoubleVector e = DoubleVector.fromArray(D, x, off + i).mul(scale).lanewise(VectorOperators.EXP);
                acc = acc.add(e);
                (sigmoid ? DoubleVector.broadcast(D, 1.0).div(e.add(1.0)) : e).intoArray(y, off + i);
            }
        } else if (im == 2) {
            for (int bound = D.loopBound(n); i < bound; i += D.length()) {
                DoubleVector e = VectorExp.exp(DoubleVector.fromArray(D, x, off + i).mul(scale));
                acc = acc.add(e);
                (sigmoid ? DoubleVector.broadcast(D, 1.0).div(e.add(1.0)) : e).intoArray(y, off + i);
            }
        }
        double sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            double e = Math.exp(scale * x[off + i]);
            sum += e;
            y[off + i] = sigmoid ? 1 / (1 + e) : e;
        }
        return sum;
    }

    /** Softmax of one row: e^(x − max) by the chosen exp, then scaled by 1/sum (the shift and the scale are plain loops, which C2 vectorizes). */
    private void softmaxRow(int off, float[] x, float[] y) {
        FloatVector m = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int c0 = 0;
        for (int bound = F.loopBound(COLS); c0 < bound; c0 += F.length()) {
            m = m.max(FloatVector.fromArray(F, x, off + c0));
        }
        float max = m.reduceLanes(VectorOperators.MAX);
        for (; c0 < COLS; c0++) {
            max = Math.max(max, x[off + c0]);
        }
        for (int c = 0; c < COLS; c++) {
            y[off + c] = x[off + c] - max; // shifted into y, then exponentiated in place
        }
        float inv = (float) (1 / map(off, COLS, y, y, 1f, false));
        for (int c = 0; c < COLS; c++) {
            y[off + c] *= inv;
        }
    }

    private void softmaxRow(int off, double[] x, double[] y) {
        DoubleVector m = DoubleVector.broadcast(D, Double.NEGATIVE_INFINITY);
        int c0 = 0;
        for (int bound = D.loopBound(COLS); c0 < bound; c0 += D.length()) {
            m = m.max(DoubleVector.fromArray(D, x, off + c0));
        }
        double max = m.reduceLanes(VectorOperators.MAX);
        for (; c0 < COLS; c0++) {
            max = Math.max(max, x[off + c0]);
        }
        for (int c = 0; c < COLS; c++) {
            y[off + c] = x[off + c] - max;
        }
        double inv = 1 / map(off, COLS, y, y, 1, false);
        for (int c = 0; c < COLS; c++) {
            y[off + c] *= inv;
        }
    }
}
