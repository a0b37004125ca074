package dev.lanewise.mlp.optim;

import dev.lanewise.mlp.Matrix;
import dev.lanewise.mlp.Parameter;

import java.util.List;

/**
 * Adam and AdamW with the update rule and defaults of PyTorch's {@code torch.optim.Adam} / {@code AdamW}
 * (single-tensor path, amsgrad off). At step t, with g the gradient:
 * <pre>
 * Adam:   g ← g + weightDecay·p            (L2 penalty in the gradient)
 * AdamW:  p ← p·(1 − lr·weightDecay)       (decoupled decay)
 * m ← m + (1 − β1)·(g − m)                 (torch's lerp)
 * v ← β2·v + (1 − β2)·g²
 * p ← p − (lr / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + ε)
 * </pre>
 * Note ε is added after the bias correction of √v, as PyTorch does. Defaults: lr 1e-3, β = (0.9, 0.999),
 * ε = 1e-8, weight decay 0 (Adam) or 1e-2 (AdamW). The update is evaluated in double and rounded once into the
 * parameter's precision.
 */
public final class Adam extends LearningRateOptimizer {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final boolean decoupled;
    private final Matrix[] m;
    private final Matrix[] v;
    private long t;

    public Adam(List<Parameter> parameters, double lr, double beta1, double beta2, double eps, double weightDecay,
                boolean decoupled) {
        super(parameters, lr);
        this.beta1 = Optimizer.check("beta1", beta1, 0, Math.nextDown(1.0));
        this.beta2 = Optimizer.check("beta2", beta2, 0, Math.nextDown(1.0));
        this.eps = Optimizer.check("eps", eps, 0, Double.MAX_VALUE);
        this.weightDecay = Optimizer.check("weightDecay", weightDecay, 0, Double.MAX_VALUE);
        this.decoupled = decoupled;
        m = new Matrix[this.parameters.size()];
        v = new Matrix[this.parameters.size()];
        for (int i = 0; i < m.length; i++) {
            Matrix p = this.parameters.get(i).value();
            m[i] = p.precision().zeros(p.rows(), p.cols());
            v[i] = p.precision().zeros(p.rows(), p.cols());
        }
    }

    /** Adam with PyTorch's defaults: lr 1e-3, β (0.9, 0.999), ε 1e-8, no weight decay. */
    public static Adam adam(List<Parameter> parameters) {
        return adam(parameters, 1e-3);
    }

    public static Adam adam(List<Parameter> parameters, double lr) {
        return new Adam(parameters, lr, 0.9, 0.999, 1e-8, 0, false);
    }

    /** AdamW with PyTorch's defaults: lr 1e-3, β (0.9, 0.999), ε 1e-8, weight decay 1e-2. */
    public static Adam adamW(List<Parameter> parameters) {
        return adamW(parameters, 1e-3, 1e-2);
    }

    public static Adam adamW(List<Parameter> parameters, double lr, double weightDecay) {
        return new Adam(parameters, lr, 0.9, 0.999, 1e-8, weightDecay, true);
    }

    /** Steps taken so far. */
    public long steps() {
        return t;
    }

    @Override
    public void step() {
        t++;
        double stepSize = lr / (1 - Math.pow(beta1, t));
        double correction2Sqrt = Math.sqrt(1 - Math.pow(beta2, t));
        for (int i = 0; i < m.length; i++) {
            Matrix p = parameters.get(i).value();
            Matrix g = parameters.get(i).grad();
            Matrix mi = m[i], vi = v[i];
            for (int j = 0, n = p.size(); j < n; j++) {
                double pj = p.get(j);
                double gj = g.get(j);
                if (decoupled) {
                    pj *= 1 - lr * weightDecay;
                } else {
                    gj += weightDecay * pj;
                }
                double mj = mi.get(j);
                mj += (1 - beta1) * (gj - mj);
                double vj = beta2 * vi.get(j) + (1 - beta2) * gj * gj;
                mi.set(j, mj);
                vi.set(j, vj);
                p.set(j, pj - stepSize * mi.get(j) / (Math.sqrt(vi.get(j)) / correction2Sqrt + eps));
            }
        }
    }
}
