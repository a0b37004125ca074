package dev.lanewise.mlp.optim;

import dev.lanewise.mlp.Parameter;

import java.util.List;

/** What every optimizer here shares: its parameters and a learning rate that schedules may change. */
abstract class LearningRateOptimizer implements Optimizer {
    final List<Parameter> parameters;
    double lr;

    LearningRateOptimizer(List<Parameter> parameters, double lr) {
        this.parameters = List.copyOf(parameters);
        this.lr = Optimizer.check("lr", lr, 0, Double.MAX_VALUE);
    }

    @Override
    public final List<Parameter> parameters() {
        return parameters;
    }

    @Override
    public final double learningRate() {
        return lr;
    }

    @Override
    public final void learningRate(double lr) {
        this.lr = Optimizer.check("lr", lr, 0, Double.MAX_VALUE);
    }
}
