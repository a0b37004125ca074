package dev.lanewise.kernel.vector.math;

import dev.lanewise.kernel.scalar.ScalarMath;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Lane-wise normal cdf Φ(z) = ½·erfc(−z/√2) and density e^−z²/2, the building blocks of exact GELU, with the same
 * two expansions as {@link ScalarMath#erf}: the positive power series of erf below |u| = {@value ScalarMath#ERF_SPLIT}
 * and Laplace's continued fraction for erfc above, both at a fixed length so every lane runs the same code; the
 * result blends the two. Lengths are chosen for the precision: the series' truncation error after N terms is below
 * Π (2u²/(2k+3)) and the fraction's at depth D was measured against mpmath (float: N = 20, D = 32, below 1e-8
 * relative; double: N = 34, D = {@value ScalarMath#ERFC_DEPTH_DOUBLE}, below 1e-16).
 *
 * <p>e^−z²/2 is e^−hi/2·(1 − lo/2) with hi + lo = z² exactly (fma), so the lower tail keeps its relative accuracy.
 * |z| is clamped to {@value ScalarMath#CDF_CLAMP} (where the density underflows in both precisions) so that no
 * ∞·0 appears; NaN passes through the clamp (Math.min/max semantics) and propagates.
 */
public final class VectorErf {
    private static final int SERIES_FLOAT = 20;
    private static final int DEPTH_FLOAT = 32;
    private static final int SERIES_DOUBLE = 34;
    private static final float SQRT_HALF_F = (float) ScalarMath.SQRT_HALF;
    private static final float CLAMP_F = (float) ScalarMath.CDF_CLAMP;
    private static final float SPLIT_F = (float) ScalarMath.ERF_SPLIT;
    private static final float HALF_TWO_OVER_SQRT_PI_F = (float) (0.5 * ScalarMath.TWO_OVER_SQRT_PI);
    private static final float HALF_INV_SQRT_PI_F = (float) (0.5 * ScalarMath.INV_SQRT_PI);
    private static final float[] SERIES_RECIPROCALS_F = new float[SERIES_DOUBLE];
    private static final double[] SERIES_RECIPROCALS = new double[SERIES_DOUBLE];

    static {
        for (int k = 0; k < SERIES_DOUBLE; k++) {
            SERIES_RECIPROCALS[k] = 2.0 / (2 * k + 3);
            SERIES_RECIPROCALS_F[k] = (float) SERIES_RECIPROCALS[k];
        }
    }

    private VectorErf() {
    }

    /** z clamped to ±{@value ScalarMath#CDF_CLAMP}, NaN kept. */
    public static FloatVector clamp(FloatVector z) {
        return z.max(-CLAMP_F).min(CLAMP_F);
    }

    /** e^−z²/2 for a clamped z. */
    public static FloatVector expNegHalfSquare(FloatVector z) {
        FloatVector hi = z.mul(z);
        FloatVector lo = z.fma(z, hi.neg());
        return hi.mul(-0.5f).lanewise(VectorOperators.EXP).mul(lo.fma(-0.5f, 1f));
    }

    /** Φ(z) for a clamped z, given e = {@link #expNegHalfSquare}(z). */
    public static FloatVector normalCdf(FloatVector z, FloatVector e) {
        FloatVector u = z.abs().mul(SQRT_HALF_F);
        FloatVector twoU2 = u.mul(u);
        FloatVector term = u;
        FloatVector sum = u;
        for (int k = 0; k < SERIES_FLOAT; k++) {
            term = term.mul(twoU2).mul(SERIES_RECIPROCALS_F[k]);
            sum = sum.add(term);
        }
        FloatVector halfErf = sum.mul(e).mul(HALF_TWO_OVER_SQRT_PI_F);
        FloatVector t = u;
        for (int k = DEPTH_FLOAT; k > 0; k--) {
            t = FloatVector.broadcast(u.species(), 0.5f * k).div(t).add(u);
        }
        FloatVector tail = e.mul(HALF_INV_SQRT_PI_F).div(t);
        VectorMask<Float> series = u.compare(VectorOperators.LT, SPLIT_F);
        FloatVector lower = tail.blend(halfErf.neg().add(0.5f), series);
        FloatVector upper = tail.neg().add(1f).blend(halfErf.add(0.5f), series);
        return upper.blend(lower, z.compare(VectorOperators.LT, 0f));
    }

    /** z clamped to ±{@value ScalarMath#CDF_CLAMP}, NaN kept. */
    public static DoubleVector clamp(DoubleVector z) {
        return z.max(-ScalarMath.CDF_CLAMP).min(ScalarMath.CDF_CLAMP);
    }

    /** e^−z²/2 for a clamped z. */
    public static DoubleVector expNegHalfSquare(DoubleVector z) {
        DoubleVector hi = z.mul(z);
        DoubleVector lo = z.fma(z, hi.neg());
        return hi.mul(-0.5).lanewise(VectorOperators.EXP).mul(lo.fma(-0.5, 1.0));
    }

    /** Φ(z) for a clamped z, given e = {@link #expNegHalfSquare}(z). */
    public static DoubleVector normalCdf(DoubleVector z, DoubleVector e) {
        DoubleVector u = z.abs().mul(ScalarMath.SQRT_HALF);
        DoubleVector twoU2 = u.mul(u);
        DoubleVector term = u;
        DoubleVector sum = u;
        for (int k = 0; k < SERIES_DOUBLE; k++) {
            term = term.mul(twoU2).mul(SERIES_RECIPROCALS[k]);
            sum = sum.add(term);
        }
        DoubleVector halfErf = sum.mul(e).mul(0.5 * ScalarMath.TWO_OVER_SQRT_PI);
        DoubleVector t = u;
        for (int k = ScalarMath.ERFC_DEPTH_DOUBLE; k > 0; k--) {
            t = DoubleVector.broadcast(u.species(), 0.5 * k).div(t).add(u);
        }
        DoubleVector tail = e.mul(0.5 * ScalarMath.INV_SQRT_PI).div(t);
        VectorMask<Double> series = u.compare(VectorOperators.LT, ScalarMath.ERF_SPLIT);
        DoubleVector lower = tail.blend(halfErf.neg().add(0.5), series);
        DoubleVector upper = tail.neg().add(1.0).blend(halfErf.add(0.5), series);
        return upper.blend(lower, z.compare(VectorOperators.LT, 0.0));
    }
}
