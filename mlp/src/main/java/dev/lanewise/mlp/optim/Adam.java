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
 * ε = 1e-8, weight decay 0 (Adam) or 1e-2 (AdamW). Each parameter is updated in one pass by the kernel's fused
 * {@link dev.lanewise.kernel.Updates#adam}, in the parameter's precision (float parameters in float, as PyTorch).
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
        double l2 = decoupled ? 0 : weightDecay;
        double decay = decoupled ? 1 - lr * weightDecay : 1;
        for (int i = 0; i < m.length; i++) {
            Parameter p = parameters.get(i);
            p.value().adamUpdate(p.grad(), m[i], v[i], l2, decay, 1 - beta1, beta2, 1 - beta2, eps, stepSize,
                    correction2Sqrt);
        }
    }
}
