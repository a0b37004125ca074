package dev.lanewise.mlp.check;

import dev.lanewise.kernel.Activation;
import dev.lanewise.mlp.ActivationLayer;
import dev.lanewise.mlp.Layer;
import dev.lanewise.mlp.Matrix;
import dev.lanewise.mlp.Mlp;
import dev.lanewise.mlp.Parameter;
import dev.lanewise.mlp.loss.Loss;
import dev.lanewise.mlp.loss.Target;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks a model's backward pass against central differences of its loss, on every parameter element and
 * (optionally) every input element.
 *
 * <p>For each element p the numeric derivative is a central difference, either the classic two-point one
 * (L(p + h) − L(p − h)) / 2h with h = 1e-6 ({@link Stencil#CENTRAL}, truncation error O(h²)) or the five-point one
 * (−L(p + 2h) + 8L(p + h) − 8L(p − h) + L(p − 2h)) / 12h with h = 1e-3 ({@link Stencil#FIVE_POINT}, truncation
 * O(h⁴)), compared with the analytic gradient a of {@link Mlp#computeGradients}.
 *
 * <p><b>Relative error and its floor.</b> The error reported is |a − n| / max(|a|, |n|, floor). The difference
 * quotient carries rounding noise of about c·δ·|L|/h, where δ = 4u (u = 2⁻⁵³) bounds the relative rounding error of
 * the computed loss (a sum over the batch, a few ulps) and c = 1 for two points, 1.5 for five. For a gradient below
 * that noise divided by the target relative error 1e-7, a relative error of 1e-7 cannot be resolved by finite
 * differences at all, so such elements are compared with the absolute tolerance the noise allows:
 * floor = c·δ·max(1, |L|) / (h · 1e-7), about 4.4e-3·|L| for two points at h = 1e-6 and 6.7e-6·|L| for five
 * points at h = 1e-3 (which is why the five-point check is the sharper one). {@link Report#floor()} gives it.
 *
 * <p><b>Kinks.</b> ReLU and leaky ReLU have a kink at z = 0, where a central difference returns the average of the
 * two one-sided slopes. An element is skipped (and counted in {@link Report#skippedAtKinks()}) when perturbing it by
 * ±h moves any pre-activation of such a layer across 0 (or onto or off 0): exactly the points within h of a kink.
 *
 * <p>Use a double model: in float, central differences with a small step are dominated by rounding (compare a float
 * model's gradients with its double twin's instead). The model's parameters are restored exactly after the check.
 */
public final class GradientCheck {
    /** The relative error the floor is derived for. */
    public static final double TARGET_RELATIVE_ERROR = 1e-7;
    private static final double LOSS_ROUNDING = 4 * 0x1p-53;

    /** The difference formula. */
    public enum Stencil {
        /** (L(p + h) − L(p − h)) / 2h, default h = 1e-6: the sweet spot between h² truncation and u/h rounding. */
        CENTRAL(1e-6, 1.0),
        /** (−L(p + 2h) + 8L(p + h) − 8L(p − h) + L(p − 2h)) / 12h, default h = 1e-3 (h⁴ truncation, u/h rounding). */
        FIVE_POINT(1e-3, 1.5);

        final double defaultStep;
        final double noise;

        Stencil(double defaultStep, double noise) {
            this.defaultStep = defaultStep;
            this.noise = noise;
        }
    }

    private GradientCheck() {
    }

    /** One checked element. */
    public record Entry(String name, int index, double analytic, double numeric, double relativeError) {
        @Override
        public String toString() {
            return name + "[" + index + "]: analytic " + analytic + ", numeric " + numeric + ", relative error "
                    + relativeError;
        }
    }

    /**
     * The result: the worst element, how many were checked and skipped, and the largest analytic gradient
     * magnitude (for scale).
     */
    public record Report(Entry worst, int checked, int skippedAtKinks, double maxAbsGradient, double loss,
                         double floor) {
        public double maxRelativeError() {
            return worst == null ? 0 : worst.relativeError();
        }

        @Override
        public String toString() {
            return "max relative error " + maxRelativeError() + " at " + worst + "; " + checked + " checked, "
                    + skippedAtKinks + " skipped within h of a ReLU kink; max |gradient| " + maxAbsGradient
                    + ", loss " + loss + ", floor " + floor;
        }
    }

    /** Checks every parameter and input element with two-point central differences, h = 1e-6. */
    public static Report check(Mlp model, Matrix x, Target target, Loss loss) {
        return check(model, x, target, loss, Stencil.CENTRAL, Stencil.CENTRAL.defaultStep, true);
    }

    /** Checks with the given stencil at its default step. */
    public static Report check(Mlp model, Matrix x, Target target, Loss loss, Stencil stencil) {
        return check(model, x, target, loss, stencil, stencil.defaultStep, true);
    }

    /**
     * Checks every parameter element and, if {@code includeInputs}, every element of x (reported as {@code "x"}).
     */
    public static Report check(Mlp model, Matrix x, Target target, Loss loss, Stencil stencil, double step,
                               boolean includeInputs) {
        if (!(step > 0)) {
            throw new IllegalArgumentException("step must be > 0, got " + step);
        }
        double l0 = model.computeGradients(x, target, loss, includeInputs);
        List<Parameter> checked = new ArrayList<>(model.parameters().size() + 1);
        for (Parameter p : model.parameters()) {
            checked.add(new Parameter(p.name(), p.value(), p.grad().copy()));
        }
        if (includeInputs) {
            checked.add(new Parameter("x", x, model.inputGradient().copy()));
        }
        Kinks kinks = new Kinks(model);
        double absFloor = stencil.noise * LOSS_ROUNDING * Math.max(1, Math.abs(l0)) / (step * TARGET_RELATIVE_ERROR);
        Entry worst = null;
        int count = 0, skipped = 0;
        double maxGrad = 0;
        for (Parameter p : checked) {
            Matrix v = p.value();
            for (int i = 0; i < v.size(); i++) {
                double original = v.get(i);
                kinks.reset();
                double numeric;
                if (stencil == Stencil.CENTRAL) {
                    double up = shifted(v, i, original, step), lossUp = lossAt(model, x, target, loss, kinks);
                    double down = shifted(v, i, original, -step), lossDown = lossAt(model, x, target, loss, kinks);
                    numeric = (lossUp - lossDown) / (up - down);
                } else {
                    double l2 = lossAt(model, x, target, loss, kinks, v, i, original + 2 * step);
                    double l1 = lossAt(model, x, target, loss, kinks, v, i, original + step);
                    double m1 = lossAt(model, x, target, loss, kinks, v, i, original - step);
                    double m2 = lossAt(model, x, target, loss, kinks, v, i, original - 2 * step);
                    numeric = (-l2 + 8 * l1 - 8 * m1 + m2) / (12 * step);
                }
                boolean crossed = kinks.crossed;
                v.set(i, original);
                double analytic = p.grad().get(i);
                maxGrad = Math.max(maxGrad, Math.abs(analytic));
                if (crossed) {
                    skipped++;
                    continue;
                }
                double denominator = Math.max(absFloor, Math.max(Math.abs(analytic), Math.abs(numeric)));
                double rel = denominator == 0 ? 0 : Math.abs(analytic - numeric) / denominator;
                if (Double.isNaN(rel)) {
                    rel = Double.POSITIVE_INFINITY;
                }
                count++;
                if (worst == null || rel > worst.relativeError()) {
                    worst = new Entry(p.name(), i, analytic, numeric, rel);
                }
            }
        }
        // Leave the model's forward cache and gradients as the unperturbed pass made them.
        model.computeGradients(x, target, loss, includeInputs);
        return new Report(worst, count, skipped, maxGrad, l0, absFloor);
    }

    /** Sets element i to original + delta and returns the value actually stored. */
    private static double shifted(Matrix v, int i, double original, double delta) {
        v.set(i, original + delta);
        return v.get(i);
    }

    private static double lossAt(Mlp model, Matrix x, Target target, Loss loss, Kinks kinks) {
        double value = model.loss(x, target, loss);
        kinks.observe(model);
        return value;
    }

    private static double lossAt(Mlp model, Matrix x, Target target, Loss loss, Kinks kinks, Matrix v, int i,
                                 double value) {
        v.set(i, value);
        return lossAt(model, x, target, loss, kinks);
    }

    /** Whether an activation has a kink (a point where it is not differentiable). */
    static boolean hasKink(Activation activation) {
        return switch (activation.function()) {
            case RELU, LEAKY_RELU -> true;
            default -> false;
        };
    }

    /** The sign pattern of every pre-activation feeding a kinked activation. */
    private static final class Kinks {
        private final int[] layerIndices;
        private final byte[][] signs;

        Kinks(Mlp model) {
            List<Integer> indices = new ArrayList<>();
            List<Layer> layers = model.layers();
            for (int i = 1; i < layers.size(); i++) {
                if (layers.get(i) instanceof ActivationLayer a && hasKink(a.activation())) {
                    indices.add(i - 1);
                }
            }
            layerIndices = indices.stream().mapToInt(Integer::intValue).toArray();
            signs = new byte[layerIndices.length][];
        }

        boolean crossed;
        private boolean first;

        void reset() {
            crossed = false;
            first = true;
        }

        /** Records the sign pattern at the first evaluation point, and whether later points differ from it. */
        void observe(Mlp model) {
            for (int k = 0; k < layerIndices.length; k++) {
                Matrix z = model.layerOutput(layerIndices[k]);
                if (signs[k] == null || signs[k].length != z.size()) {
                    signs[k] = new byte[z.size()];
                }
                for (int i = 0; i < z.size(); i++) {
                    byte sign = (byte) Math.signum(z.get(i));
                    if (first) {
                        signs[k][i] = sign;
                    } else if (signs[k][i] != sign) {
                        crossed = true;
                    }
                }
            }
            first = false;
        }
    }
}
