package dev.lanewise.kernel.accuracy;

import dev.lanewise.kernel.Activation;
import dev.lanewise.kernel.scalar.ScalarMath;
import dev.lanewise.kernel.spi.KernelProvider;
import dev.lanewise.kernel.spi.Providers;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every backward kernel (vector provider, double) against a central difference of the forward formula at 10⁵
 * random points z ∈ [−8, 8] per function, at least 1e-3 away from the ReLU kinks at 0. Bound for the difference
 * (f(z+h) − f(z−h))/2h with h = 1e-5: truncation h²·max|f‴|/6 with max|f‴| ≤ 2 for every function here (tanh‴ peaks
 * at 2), plus rounding of the two forward values, 2·eps·(|f| + 1)/(2h) per value allowing a few ULP each: tol =
 * h²/3 + 8·eps·(|f(z)| + 1)/h + 4·eps·|f′|.
 */
class ActivationGradientTest {
    private static final int POINTS = 100_000;
    private static final double H = 1e-5;
    private static final double EPS = Math.ulp(1.0);

    @Test
    void everyBackwardKernelMatchesACentralDifference() {
        KernelProvider vector = Providers.vector();
        SplittableRandom rnd = new SplittableRandom(66);
        for (Activation.Function f : Activation.Function.values()) {
            double slope = f == Activation.Function.LEAKY_RELU ? 0.2 : 0;
            double[] z = new double[POINTS];
            for (int i = 0; i < POINTS; i++) {
                double v;
                do {
                    v = rnd.nextDouble() * 16 - 8;
                } while (Math.abs(v) < 1e-3);
                z[i] = v;
            }
            double[] y = new double[POINTS];
            double[] dy = new double[POINTS];
            double[] dz = new double[POINTS];
            java.util.Arrays.fill(dy, 1.0);
            vector.activationForward(f, slope, POINTS, z, 0, y, 0);
            double[] operand = Activation.of(f).backwardOperand() == Activation.Operand.OUTPUT ? y : z;
            vector.activationBackward(f, slope, POINTS, operand, 0, dy, 0, dz, 0);
            for (int i = 0; i < POINTS; i++) {
                double numeric = (ScalarMath.forward(f, slope, z[i] + H) - ScalarMath.forward(f, slope, z[i] - H))
                        / (2 * H);
                double tol = H * H / 3 + 8 * EPS * (Math.abs(y[i]) + 1) / H + 4 * EPS * Math.abs(dz[i]);
                if (Math.abs(dz[i] - numeric) > tol) {
                    assertThat(dz[i]).as("%s'(%s)", f, z[i]).isCloseTo(numeric,
                            org.assertj.core.data.Offset.offset(tol));
                }
            }
        }
    }
}
