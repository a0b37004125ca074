package dev.lanewise.mlp.optim;

import dev.lanewise.mlp.Matrix;
import dev.lanewise.mlp.Parameter;

import java.util.List;

/**
 * Stochastic gradient descent with PyTorch's {@code torch.optim.SGD} rule (defaults: momentum 0, dampening 0,
 * weight decay 0, no Nesterov). With g = grad + weightDecay·p:
 * <pre>
 * momentum = 0:  p ← p − lr·g
 * otherwise:     buf ← g on the first step, else buf ← momentum·buf + (1 − dampening)·g
 *                p ← p − lr·(g + momentum·buf)  (Nesterov)   or   p ← p − lr·buf
 * </pre>
 * Every operation is a kernel call ({@code axpy}, {@code scal}) on the whole tensor.
 */
public final class Sgd extends LearningRateOptimizer {
    private final double momentum;
    private final double dampening;
    private final double weightDecay;
    private final boolean nesterov;
    private final Matrix[] buffers;
    private boolean started;

    /** Plain SGD. */
    public Sgd(List<Parameter> parameters, double lr) {
        this(parameters, lr, 0, 0, 0, false);
    }

    public Sgd(List<Parameter> parameters, double lr, double momentum, double dampening, double weightDecay,
               boolean nesterov) {
        super(parameters, lr);
        this.momentum = Optimizer.check("momentum", momentum, 0, Double.MAX_VALUE);
        this.dampening = Optimizer.check("dampening", dampening, 0, 1);
        this.weightDecay = Optimizer.check("weightDecay", weightDecay, 0, Double.MAX_VALUE);
        if (nesterov && (momentum == 0 || dampening != 0)) {
            throw new IllegalArgumentException("Nesterov momentum requires momentum > 0 and dampening 0");
        }
        this.nesterov = nesterov;
        this.buffers = new Matrix[this.parameters.size()];
        if (momentum != 0) {
            for (int i = 0; i < buffers.length; i++) {
                Matrix v = this.parameters.get(i).value();
                buffers[i] = v.precision().zeros(v.rows(), v.cols());
            }
        }
    }

    /** SGD with momentum (PyTorch's {@code SGD(params, lr, momentum=m, nesterov=...)}). */
    public static Sgd withMomentum(List<Parameter> parameters, double lr, double momentum, boolean nesterov) {
        return new Sgd(parameters, lr, momentum, 0, 0, nesterov);
    }

    /**
     * Whether this is plain SGD, p ← p − lr·grad (no momentum, no weight decay): an update {@code Mlp.step} can fuse
     * into the backward pass, as it needs nothing but the gradient of this batch.
     */
    public boolean isPlain() {
        return momentum == 0 && weightDecay == 0;
    }

    @Override
    public void step() {
        for (int i = 0; i < buffers.length; i++) {
            Matrix p = parameters.get(i).value();
            Matrix g = parameters.get(i).grad();
            if (momentum == 0) {
                decay(p);
                p.axpy(-lr, g);
                continue;
            }
            Matrix buf = buffers[i];
            if (!started) {
                buf.copyFrom(g);
            } else {
                buf.scale(momentum);
                buf.axpy(1 - dampening, g);
            }
            if (weightDecay != 0) {
                buf.axpy((started ? 1 - dampening : 1) * weightDecay, p);
            }
            if (nesterov) {
                decay(p);   // the weight-decay term of g (= grad + wd·p) uses the old p: apply it first
                p.axpy(-lr, g);
                p.axpy(-lr * momentum, buf);
            } else {
                p.axpy(-lr, buf);
            }
        }
        started = true;
    }

    private void decay(Matrix p) {
        if (weightDecay != 0) {
            p.scale(1 - lr * weightDecay);
        }
    }
}
