package org.lra.model.optim;

/** A fixed learning rate and β1. */
public record ConstantSchedule(double lr, double beta1) implements LrSchedule {
    @Override
    public double lr(long step) {
        return lr;
    }

    @Override
    public double beta1(long step) {
        return beta1;
    }
}
