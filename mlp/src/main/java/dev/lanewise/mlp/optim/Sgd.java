package dev.lanewise.mlp.optim;

import dev.lanewise.mlp.Matrix;
import dev.lanewise.mlp.Parameter;

import java.util.List;

import static dev.lanewise.kernel.Transpose.NONE;
import static dev.lanewise.kernel.Transpose.TRANSPOSE;

/**
 * Stochastic gradient descent with PyTorch's {@code torch.optim.SGD} rule (defaults: momentum 0, dampening 0,
 * weight decay 0, no Nesterov). With g = grad + weightDecay·p:
 * <pre>
 * momentum = 0:  p ← p − lr·g
 * otherwise:     buf ← g on the first step, else buf ← momentum·buf + (1 − dampening)·g
 *                p ← p − lr·(g + momentum·buf)  (Nesterov)   or   p ← p − lr·buf
 * </pre>
 * Every operation is a kernel call ({@code axpy}, {@code scal}) on the whole tensor. {@code Mlp.step} takes the
 * step parameter by parameter during the backward pass ({@link #stepParameter}, {@link #stepFromGradientProduct},
 * {@link #endStep}), feeding each dense layer's weight gradient xᵀ·dZ straight into the update.
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
     * Whether {@link #stepFromGradientProduct} can take this optimizer's step: every setting but Nesterov, whose
     * update needs the gradient beside the momentum buffer.
     */
    public boolean fusesIntoBackward() {
        return !nesterov;
    }

    @Override
    public void step() {
        for (int i = 0; i < buffers.length; i++) {
            stepParameter(i);
        }
        endStep();
    }

    /** {@link #step()} for parameter i alone, from its stored gradient; end the step with {@link #endStep()}. */
    public void stepParameter(int i) {
        Matrix p = parameters.get(i).value();
        Matrix g = parameters.get(i).grad();
        if (momentum == 0) {
            decay(p);
            p.axpy(-lr, g);
            return;
        }
        Matrix buf = buffers[i];
        if (!started) {
            buf.copyFrom(g);
        } else {
            buf.scale(momentum);
            buf.axpy(1 - dampening, g);
        }
        finishMomentum(p, buf, g);
    }

    /**
     * {@link #step()} for parameter i alone, its gradient being aᵀ·b (e.g. a dense layer's xᵀ·dZ), which is accumulated
     * straight into the update by one GEMM instead of being stored and then read: momentum 0, p ← (1 − lr·wd)·p −
     * lr·aᵀ·b (alpha = −lr, beta = 1 − lr·wd, on p); otherwise buf ← μ·buf + (1 − dampening)·aᵀ·b (on the first step
     * buf ← aᵀ·b), then the weight-decay term and p ← p − lr·buf as in {@link #step()}. The parameter's stored
     * gradient is neither read nor written. Same values as storing aᵀ·b and stepping, up to rounding. End the step
     * with {@link #endStep()}.
     *
     * @throws IllegalStateException for Nesterov momentum (see {@link #fusesIntoBackward()})
     */
    public void stepFromGradientProduct(int i, Matrix a, Matrix b) {
        if (nesterov) {
            throw new IllegalStateException("Nesterov momentum needs the stored gradient: use step()");
        }
        Matrix p = parameters.get(i).value();
        if (momentum == 0) {
            p.gemm(TRANSPOSE, NONE, -lr, a, b, 1 - lr * weightDecay);
            return;
        }
        Matrix buf = buffers[i];
        buf.gemm(TRANSPOSE, NONE, started ? 1 - dampening : 1, a, b, started ? momentum : 0);
        finishMomentum(p, buf, null);
    }

    /** Ends a step taken parameter by parameter: from now on the momentum buffers hold history. */
    public void endStep() {
        started = true;
    }

    /** After buf holds momentum·buf + (1 − dampening)·grad: the weight-decay term, then the update of p. */
    private void finishMomentum(Matrix p, Matrix buf, Matrix g) {
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

    private void decay(Matrix p) {
        if (weightDecay != 0) {
            p.scale(1 - lr * weightDecay);
        }
    }
}
