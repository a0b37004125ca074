package dev.lanewise.kernel.twin;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static dev.lanewise.kernel.testing.TestArrays.randomDoubles;
import static dev.lanewise.kernel.testing.TestArrays.randomFloats;
import static dev.lanewise.kernel.twin.Twins.SCALAR;
import static dev.lanewise.kernel.twin.Twins.SIZES;
import static dev.lanewise.kernel.twin.Twins.VECTOR;
import static dev.lanewise.kernel.twin.Twins.toDouble;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fused Adam update, vector against scalar: the same operations in the same order without fma, so p, m and v
 * must agree bit for bit, over several steps (moments carried), at every listed size with distinct offsets, for Adam
 * with an L2 penalty and for AdamW's decoupled decay, with special values in the gradient.
 */
class UpdatesTwinTest {

    @Test
    void adamMatchesItsScalarTwinExactly() {
        SplittableRandom rnd = new SplittableRandom(31);
        for (int n : SIZES) {
            for (boolean decoupled : new boolean[] {false, true}) {
                int pOff = rnd.nextInt(3), gOff = rnd.nextInt(3), mOff = rnd.nextInt(3), vOff = rnd.nextInt(3);
                float[] p = randomFloats(rnd, pOff + n + 1), m = new float[mOff + n + 1], v = new float[vOff + n + 1];
                float[] ps = p.clone(), ms = m.clone(), vs = v.clone();
                double[] pd = toDouble(p), md = new double[m.length], vd = new double[v.length];
                double[] pds = pd.clone(), mds = md.clone(), vds = vd.clone();
                double lr = 0.01, beta1 = 0.9, beta2 = 0.999, wd = 0.05;
                for (int t = 1; t <= 3; t++) {
                    float[] g = randomFloats(rnd, gOff + n + 1);
                    if (n > 4) {
                        g[gOff + 1] = 0f;
                        g[gOff + 2] = Float.MIN_VALUE;       // a denormal squares to 0 in v but not in m
                        g[gOff + 3] = t == 3 ? Float.NaN : -1e30f;
                    }
                    double stepSize = lr / (1 - Math.pow(beta1, t)), c2 = Math.sqrt(1 - Math.pow(beta2, t));
                    double l2 = decoupled ? 0 : wd, decay = decoupled ? 1 - lr * wd : 1;
                    SCALAR.adam(n, ps, pOff, g, gOff, ms, mOff, vs, vOff, (float) l2, (float) decay,
                            (float) (1 - beta1), (float) beta2, (float) (1 - beta2), 1e-8f, (float) stepSize,
                            (float) c2);
                    VECTOR.adam(n, p, pOff, g, gOff, m, mOff, v, vOff, (float) l2, (float) decay,
                            (float) (1 - beta1), (float) beta2, (float) (1 - beta2), 1e-8f, (float) stepSize,
                            (float) c2);
                    String at = "n=" + n + " decoupled=" + decoupled + " t=" + t;
                    assertThat(p).as("p " + at).containsExactly(ps);
                    assertThat(m).as("m " + at).containsExactly(ms);
                    assertThat(v).as("v " + at).containsExactly(vs);

                    double[] gd = toDouble(g);
                    SCALAR.adam(n, pds, pOff, gd, gOff, mds, mOff, vds, vOff, l2, decay, 1 - beta1, beta2, 1 - beta2,
                            1e-8, stepSize, c2);
                    VECTOR.adam(n, pd, pOff, gd, gOff, md, mOff, vd, vOff, l2, decay, 1 - beta1, beta2, 1 - beta2,
                            1e-8, stepSize, c2);
                    assertThat(pd).as("double p " + at).containsExactly(pds);
                    assertThat(md).as("double m " + at).containsExactly(mds);
                    assertThat(vd).as("double v " + at).containsExactly(vds);
                }
                // Elements outside the ranges are never touched.
                assertThat(p[pOff + n]).isEqualTo(ps[pOff + n]);
                if (n > 4) {
                    assertThat(p[pOff + 3]).as("a NaN gradient makes its parameter NaN").isNaN();
                    assertThat(p[pOff + 1]).as("a zero gradient still moves p by its momentum").isNotNaN();
                }
            }
        }
    }

    /** Adam's first step from zero moments moves each parameter by about lr·sign(g) (the bias corrections cancel). */
    @Test
    void firstStepIsLearningRateTimesSign() {
        for (var provider : new dev.lanewise.kernel.spi.KernelProvider[] {SCALAR, VECTOR}) {
            int n = 37;
            SplittableRandom rnd = new SplittableRandom(5);
            double[] g = randomDoubles(rnd, n), p = new double[n], m = new double[n], v = new double[n];
            provider.adam(n, p, 0, g, 0, m, 0, v, 0, 0, 1, 0.1, 0.999, 0.001, 1e-8, 0.01 / 0.1, Math.sqrt(0.001));
            for (int i = 0; i < n; i++) {
                assertThat(p[i]).as(provider.name() + " p[" + i + "]")
                        .isCloseTo(-0.01 * Math.signum(g[i]), org.assertj.core.data.Offset.offset(1e-8));
                assertThat(m[i]).isCloseTo(0.1 * g[i], org.assertj.core.data.Offset.offset(1e-15));
            }
        }
    }
}
