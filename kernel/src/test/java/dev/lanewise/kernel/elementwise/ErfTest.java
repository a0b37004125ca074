package dev.lanewise.kernel.elementwise;

import dev.lanewise.kernel.scalar.ScalarMath;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ScalarMath's erf, erfc and Φ against an independent 120-digit BigDecimal Taylor series (the series converges for
 * every x; at 120 digits its cancellation up to x = 10, about 44 digits, leaves 70 correct digits).
 */
class ErfTest {
    private static final MathContext MC = new MathContext(120);
    private static final BigDecimal PI = new BigDecimal(
            "3.14159265358979323846264338327950288419716939937510582097494459230781640628620899862803482534211706798");
    private static final BigDecimal TWO_OVER_SQRT_PI = BigDecimal.valueOf(2).divide(PI.sqrt(MC), MC);

    /** erf(x) = 2/√π Σ (−1)ⁿ x^{2n+1} / (n!(2n+1)) in 120 digits. */
    static BigDecimal erfReference(double x) {
        return erfSeriesAt(new BigDecimal(x));
    }

    private static double ulpError(double got, BigDecimal reference) {
        double ref = reference.doubleValue();
        return new BigDecimal(got).subtract(reference, MC).abs().doubleValue() / Math.ulp(ref);
    }

    @Test
    void erfErfcAndNormalCdfWithinFourUlpOfA120DigitReference() {
        SplittableRandom rnd = new SplittableRandom(6);
        double maxErf = 0, maxErfc = 0, maxCdf = 0;
        for (int i = 0; i < 1500; i++) {
            double x = (rnd.nextDouble() * 2 - 1) * 6;
            BigDecimal erf = erfReference(x);
            maxErf = Math.max(maxErf, ulpError(ScalarMath.erf(x), erf));
            double xc = rnd.nextDouble() * 10 - 0.5;
            maxErfc = Math.max(maxErfc, ulpError(ScalarMath.erfc(xc), BigDecimal.ONE.subtract(erfReference(xc), MC)));
            // Φ(z) = ½(1 − erf(−z/√2)) with −z/√2 formed in 120 digits, so the reference sees the exact argument.
            double z = -rnd.nextDouble() * 14;
            BigDecimal xz = new BigDecimal(z).negate().divide(BigDecimal.valueOf(2).sqrt(MC), MC);
            BigDecimal cdf = BigDecimal.ONE.subtract(erfSeriesAt(xz), MC).multiply(new BigDecimal("0.5"), MC);
            maxCdf = Math.max(maxCdf, ulpError(ScalarMath.normalCdf(z), cdf));
        }
        System.out.printf("erf max %.2f ULP, erfc max %.2f ULP, normalCdf max %.2f ULP%n", maxErf, maxErfc, maxCdf);
        assertThat(maxErf).isLessThanOrEqualTo(4.0);
        assertThat(maxErfc).isLessThanOrEqualTo(4.0);
        assertThat(maxCdf).isLessThanOrEqualTo(4.0);
    }

    static BigDecimal erfSeriesAt(BigDecimal bx) {
        BigDecimal x2 = bx.multiply(bx, MC).negate();
        BigDecimal term = bx;
        BigDecimal sum = bx;
        BigDecimal eps = new BigDecimal("1e-118");
        double xd = bx.doubleValue();
        for (int n = 1; ; n++) {
            term = term.multiply(x2, MC).divide(BigDecimal.valueOf(n), MC);
            BigDecimal add = term.divide(BigDecimal.valueOf(2L * n + 1), MC);
            sum = sum.add(add, MC);
            if (add.abs().compareTo(eps) < 0 && n > xd * xd) {
                break;
            }
        }
        return sum.multiply(TWO_OVER_SQRT_PI, MC);
    }

    @Test
    void specialValues() {
        assertThat(ScalarMath.erf(Double.POSITIVE_INFINITY)).isEqualTo(1.0);
        assertThat(ScalarMath.erf(Double.NEGATIVE_INFINITY)).isEqualTo(-1.0);
        assertThat(ScalarMath.erfc(Double.POSITIVE_INFINITY)).isEqualTo(0.0);
        assertThat(ScalarMath.erfc(Double.NEGATIVE_INFINITY)).isEqualTo(2.0);
        assertThat(ScalarMath.normalCdf(Double.NEGATIVE_INFINITY)).isEqualTo(0.0);
        assertThat(ScalarMath.normalCdf(Double.POSITIVE_INFINITY)).isEqualTo(1.0);
        assertThat(ScalarMath.erf(Double.NaN)).isNaN();
        assertThat(ScalarMath.erfc(Double.NaN)).isNaN();
        assertThat(ScalarMath.normalCdf(Double.NaN)).isNaN();
        assertThat(ScalarMath.erf(0.0)).isEqualTo(0.0);
    }
}
