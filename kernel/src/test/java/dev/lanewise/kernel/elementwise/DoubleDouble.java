package dev.lanewise.kernel.elementwise;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * A test reference more accurate than double: an unevaluated sum hi + lo of two doubles with |lo| &lt;= ulp(hi)/2
 * (about 106 bits), and the functions the activations need (exp, expm1, log1p, tanh, Φ) to about 2^-95 relative.
 * Fast enough for 10⁵–10⁶ points (a few µs each) where a BigDecimal series would take tens of µs.
 *
 * <p>Validity: results with |value| &lt; 2^-960 lose accuracy (lo becomes subnormal); callers exclude them.
 * {@code DoubleActivationAccuracyTest} checks every function here against BigDecimal references.
 */
record DoubleDouble(double hi, double lo) {
    private static final MathContext MC = new MathContext(60);
    static final DoubleDouble ONE = new DoubleDouble(1, 0);
    static final DoubleDouble LN2 = of(new BigDecimal(
            "0.693147180559945309417232121458176568075500134360255254120680009493393621969694715605863326996418687542"));
    static final BigDecimal PI_DECIMAL = new BigDecimal(
            "3.14159265358979323846264338327950288419716939937510582097494459230781640628620899862803482534211706798");
    static final DoubleDouble INV_SQRT_PI = of(BigDecimal.ONE.divide(PI_DECIMAL.sqrt(MC), MC));
    static final DoubleDouble INV_SQRT2 = of(BigDecimal.ONE.divide(BigDecimal.TWO.sqrt(MC), MC));
    static final DoubleDouble TWO_OVER_SQRT_PI = of(BigDecimal.TWO.divide(PI_DECIMAL.sqrt(MC), MC));
    /** √(2/π) and 0.044715 of the GELU tanh form, exactly as written in its definition (not rounded to double). */
    static final DoubleDouble GELU_C = of(BigDecimal.TWO.divide(PI_DECIMAL, MC).sqrt(MC));
    static final DoubleDouble GELU_A = of(new BigDecimal("0.044715"));

    static DoubleDouble of(double x) {
        return new DoubleDouble(x, 0);
    }

    static DoubleDouble of(BigDecimal x) {
        double hi = x.doubleValue();
        return new DoubleDouble(hi, x.subtract(new BigDecimal(hi), MC).doubleValue());
    }

    BigDecimal toBigDecimal() {
        return new BigDecimal(hi).add(new BigDecimal(lo));
    }

    double doubleValue() {
        return hi + lo;
    }

    private static DoubleDouble quickTwoSum(double a, double b) {
        double s = a + b;
        return new DoubleDouble(s, b - (s - a));
    }

    DoubleDouble add(DoubleDouble y) {
        double s = hi + y.hi;
        double bb = s - hi;
        double e = (hi - (s - bb)) + (y.hi - bb);
        double t = lo + y.lo;
        double bt = t - lo;
        double f = (lo - (t - bt)) + (y.lo - bt);
        DoubleDouble u = quickTwoSum(s, e + t);
        return quickTwoSum(u.hi, u.lo + f);
    }

    DoubleDouble add(double y) {
        return add(of(y));
    }

    DoubleDouble negate() {
        return new DoubleDouble(-hi, -lo);
    }

    DoubleDouble sub(DoubleDouble y) {
        return add(y.negate());
    }

    DoubleDouble mul(DoubleDouble y) {
        double p = hi * y.hi;
        double e = Math.fma(hi, y.hi, -p) + (hi * y.lo + lo * y.hi);
        return quickTwoSum(p, e);
    }

    DoubleDouble mul(double y) {
        return mul(of(y));
    }

    /** Three quotient digits: q1 + q2 + q3 with the remainder formed in double-double each time. */
    DoubleDouble div(DoubleDouble y) {
        double q1 = hi / y.hi;
        DoubleDouble r = sub(y.mul(q1));
        double q2 = r.hi / y.hi;
        r = r.sub(y.mul(q2));
        double q3 = r.hi / y.hi;
        return quickTwoSum(q1, q2).add(q3);
    }

    DoubleDouble div(double y) {
        return div(of(y));
    }

    DoubleDouble scalb(int k) {
        return new DoubleDouble(Math.scalb(hi, k), Math.scalb(lo, k));
    }

    DoubleDouble abs() {
        return hi < 0 ? negate() : this;
    }

    /** e^x − 1 by its Taylor series for |x| &lt;= ½ (no cancellation near 0), else from exp. */
    static DoubleDouble expm1(DoubleDouble x) {
        if (Math.abs(x.hi) > 0.5) {
            return exp(x).add(-1.0);
        }
        DoubleDouble term = x;
        DoubleDouble sum = x;
        for (int n = 2; n < 60; n++) {
            term = term.mul(x).div(n);
            sum = sum.add(term);
            if (Math.abs(term.hi) <= 0x1p-110 * Math.abs(sum.hi)) {
                break;
            }
        }
        return sum;
    }

    /** e^x = 2^k·(1 + expm1(r)), x = k·ln 2 + r, |r| &lt;= 0.35; overflow or underflow as double would. */
    static DoubleDouble exp(DoubleDouble x) {
        if (x.hi > 709.7) {
            throw new ArithmeticException("exp overflows at " + x.hi);
        }
        double k = Math.rint(x.hi / LN2.hi);
        DoubleDouble r = x.sub(LN2.mul(k));
        return expm1(r).add(1.0).scalb((int) k);
    }

    /**
     * ln(1 + u) for u &gt; −1: the series for |u| &lt; 2^-20 (1 + u would round off u's low bits), else one Newton
     * step y0 + (1 + u)·e^−y0 − 1 from the double log1p (quadratic: 2^-53 becomes about 2^-106).
     */
    static DoubleDouble log1p(DoubleDouble u) {
        if (Math.abs(u.hi) < 0x1p-20) {
            DoubleDouble power = u;
            DoubleDouble sum = u;
            for (int n = 2; n <= 6; n++) {
                power = power.mul(u).negate();
                sum = sum.add(power.div(n));
            }
            return sum;
        }
        double y0 = Math.log1p(u.hi);
        return u.add(1.0).mul(exp(of(-y0))).add(-1.0).add(y0);
    }

    /** tanh x = expm1(2x)/(expm1(2x) + 2), through e^−2|x| for x &gt; 0 so nothing overflows. */
    static DoubleDouble tanh(DoubleDouble x) {
        DoubleDouble m = expm1(x.abs().mul(-2.0));
        DoubleDouble t = m.div(m.add(2.0)).negate();
        return x.hi < 0 ? t.negate() : t;
    }

    /** 1/(1 + e^−z) for z &gt;= 0, e^z/(1 + e^z) below, so that no exponential overflows. */
    static DoubleDouble sigmoid(DoubleDouble z) {
        if (z.hi >= 0) {
            return ONE.div(exp(z.negate()).add(1.0));
        }
        DoubleDouble e = exp(z);
        return e.div(e.add(1.0));
    }

    /**
     * erfc(x) for x &gt;= 0: 1 − erf from its Taylor series for x &lt;= 3 (cancellation there costs about 28 of the
     * 106 bits), e^−x²·erfcx(x) from the Laplace continued fraction beyond, bottom-up to depth 40 + 3000/x².
     */
    static DoubleDouble erfc(DoubleDouble x) {
        if (x.hi <= 3) {
            DoubleDouble x2 = x.mul(x).negate();
            DoubleDouble term = x;
            DoubleDouble sum = x;
            for (int n = 1; n < 200; n++) {
                term = term.mul(x2).div(n);
                DoubleDouble add = term.div(2 * n + 1);
                sum = sum.add(add);
                if (Math.abs(add.hi) < 0x1p-112 && n > 2 * x.hi * x.hi) {
                    break;
                }
            }
            return ONE.sub(sum.mul(TWO_OVER_SQRT_PI));
        }
        int depth = 40 + (int) (3000 / (x.hi * x.hi));
        DoubleDouble t = x;
        for (int n = depth; n > 0; n--) {
            t = x.add(of(n * 0.5).div(t));
        }
        return exp(x.mul(x).negate()).mul(INV_SQRT_PI).div(t);
    }

    /** Φ(z) = ½·erfc(−z/√2), with z/√2 formed in double-double. */
    static DoubleDouble normalCdf(double z) {
        DoubleDouble x = of(z).mul(INV_SQRT2).negate();
        return x.hi >= 0 ? erfc(x).mul(0.5) : ONE.sub(erfc(x.negate()).mul(0.5));
    }
}
