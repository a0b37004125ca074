package dev.lanewise.kernel.scalar;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ScalarMath#erf}, {@link ScalarMath#erfc} and {@link ScalarMath#normalCdf} against values computed with
 * mpmath at 50 digits (rounded to 20 here), plus identities on a random sample. Bounds: erf within 4 ULP (the
 * series' ~50 roundings, e^−u² and the final products; measured 4 just below the split), the continued-fraction erfc
 * within 4 ULP; below the split erfc = 1 − erf and Φ = ½ − ½erf carry erf's absolute error (≤ 4·ulp(½)), not a
 * relative one.
 */
class ErfTest {
    /** {x, erf(x), erfc(x)}. */
    private static final double[][] ERF = {
            {1e-300, 1.1283791670955126022e-300, 1.0},
            {1e-10, 1.128379167095512615e-10, 0.99999999988716208329},
            {1e-05, 0.000011283791670579000273, 0.999988716208329421},
            {0.01, 0.011283415555849617151, 0.98871658444415038285},
            {0.1, 0.1124629160182848984, 0.8875370839817151016},
            {0.25, 0.27632639016823693299, 0.72367360983176306701},
            {0.5, 0.52049987781304653768, 0.47950012218695346232},
            {0.75, 0.7111556336535151316, 0.2888443663464848684},
            {1.0, 0.84270079294971486934, 0.15729920705028513066},
            {1.25, 0.92290012825645823014, 0.077099871743541769863},
            {1.4999999999999998, 0.96610514647531070066, 0.033894853524689299341},
            {1.5, 0.96610514647531072707, 0.033894853524689272933},
            {1.75, 0.98667167121918244377, 0.013328328780817556228},
            {2.0, 0.99532226501895273416, 0.0046777349810472658379},
            {2.5, 0.99959304798255504106, 0.00040695201744495893956},
            {3.0, 0.99997790950300141456, 0.000022090496998585441373},
            {4.0, 0.99999998458274209972, 1.5417257900280018852e-8},
            {5.0, 0.99999999999846254021, 1.5374597944280348502e-12},
            {5.9, 0.9999999999999999281, 7.1904097835504777249e-17},
            {6.5, 0.99999999999999999996, 3.8421483271206474699e-20},
    };
    /** {z, Φ(z)}: the lower tail of the normal cdf, where relative accuracy matters for exact GELU. */
    private static final double[][] CDF = {
            {-0.5, 0.30853753872598689636},
            {-1.0, 0.15865525393145705141},
            {-2.0, 0.0227501319481792072},
            {-2.1213203435596424, 0.016947426762344644374},
            {-3.0, 0.0013498980316300945267},
            {-5.0, 2.8665157187919391167e-7},
            {-8.0, 6.2209605742717841235e-16},
            {-12.0, 1.7764821120776789977e-33},
            {-20.0, 2.7536241186062336951e-89},
            {-37.0, 5.7255712225245768227e-300},
    };

    private static double ulps(double actual, double expected) {
        return Math.abs(actual - expected) / Math.ulp(expected);
    }

    @Test
    void erfAndErfcMatchHighPrecisionValues() {
        for (double[] row : ERF) {
            double x = row[0];
            assertThat(ulps(ScalarMath.erf(x), row[1])).as("erf(%s)", x).isLessThanOrEqualTo(4);
            assertThat(ulps(ScalarMath.erf(-x), -row[1])).as("erf(-%s)", x).isLessThanOrEqualTo(4);
            double erfcBound = x >= ScalarMath.ERF_SPLIT ? 4 * Math.ulp(row[2]) : 4 * Math.ulp(1.0);
            assertThat(Math.abs(ScalarMath.erfc(x) - row[2])).as("erfc(%s)", x).isLessThanOrEqualTo(erfcBound);
            assertThat(Math.abs(ScalarMath.erfc(-x) - (2 - row[2]))).as("erfc(-%s)", x)
                    .isLessThanOrEqualTo(2 * Math.ulp(2.0));
        }
    }

    @Test
    void normalCdfKeepsRelativeAccuracyInTheLowerTail() {
        for (double[] row : CDF) {
            double bound = -row[0] * ScalarMath.SQRT_HALF >= ScalarMath.ERF_SPLIT ? 4 * Math.ulp(row[1])
                    : 4 * Math.ulp(0.5);
            assertThat(Math.abs(ScalarMath.normalCdf(row[0]) - row[1])).as("Phi(%s)", row[0])
                    .isLessThanOrEqualTo(bound);
            assertThat(Math.abs(ScalarMath.normalCdf(-row[0]) - (1 - row[1]))).as("Phi(%s)", -row[0])
                    .isLessThanOrEqualTo(2 * Math.ulp(1.0));
        }
    }

    @Test
    void specialValues() {
        assertThat(ScalarMath.erf(0.0)).isEqualTo(0.0);
        assertThat(Double.doubleToRawLongBits(ScalarMath.erf(-0.0))).isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(ScalarMath.erf(Double.POSITIVE_INFINITY)).isEqualTo(1.0);
        assertThat(ScalarMath.erf(Double.NEGATIVE_INFINITY)).isEqualTo(-1.0);
        assertThat(ScalarMath.erfc(Double.POSITIVE_INFINITY)).isEqualTo(0.0);
        assertThat(ScalarMath.erfc(Double.NEGATIVE_INFINITY)).isEqualTo(2.0);
        assertThat(ScalarMath.normalCdf(Double.NEGATIVE_INFINITY)).isEqualTo(0.0);
        assertThat(ScalarMath.normalCdf(Double.POSITIVE_INFINITY)).isEqualTo(1.0);
        assertThat(ScalarMath.normalPdf(Double.POSITIVE_INFINITY)).isEqualTo(0.0);
        assertThat(ScalarMath.erf(Double.NaN)).isNaN();
        assertThat(ScalarMath.erfc(Double.NaN)).isNaN();
        assertThat(ScalarMath.normalCdf(Double.NaN)).isNaN();
    }

    /**
     * Identities on a random sample: erf is odd and monotone, erf + erfc = 1 (within the 2·ulp(1) of the
     * subtraction plus each side's error), Φ(z) = ½·erfc(−z/√2) (z/√2 rounds, twice counting √½:
     * e^−z²/2 then carries a relative error up to z²·eps, i.e. 2z² ULP, so the comparison allows (8 + 2z²)·ULP; below the split both sides are ½ − ½erf, within 8·ulp(½)), and erf′(x) = (2/√π)e^−x² against a central
     * difference with step h = 1e-5 (truncation error h²·|erf‴|/6 ≤ 1e-10, rounding 2·eps/h ≈ 2e-11).
     */
    @Test
    void identitiesOnARandomSample() {
        SplittableRandom rnd = new SplittableRandom(6);
        for (int i = 0; i < 100_000; i++) {
            double x = rnd.nextDouble() * 12 - 6;
            double erf = ScalarMath.erf(x);
            assertThat(ScalarMath.erf(-x)).isEqualTo(-erf);
            assertThat(Math.abs(erf + ScalarMath.erfc(x) - 1)).as("erf+erfc at %s", x)
                    .isLessThanOrEqualTo(4 * Math.ulp(1.0));
            double h = 1e-5;
            double numeric = (ScalarMath.erf(x + h) - ScalarMath.erf(x - h)) / (2 * h);
            double exact = ScalarMath.TWO_OVER_SQRT_PI * Math.exp(-x * x);
            assertThat(Math.abs(numeric - exact)).as("erf' at %s", x).isLessThanOrEqualTo(2e-10);
            double z = rnd.nextDouble() * -30;
            double viaErfc = 0.5 * ScalarMath.erfc(-z * ScalarMath.SQRT_HALF);
            double bound = -z * ScalarMath.SQRT_HALF >= ScalarMath.ERF_SPLIT ? (8 + 2 * z * z) * Math.ulp(viaErfc)
                    : 8 * Math.ulp(0.5);
            assertThat(Math.abs(ScalarMath.normalCdf(z) - viaErfc)).as("Phi(%s)", z).isLessThanOrEqualTo(bound);
        }
    }
}
