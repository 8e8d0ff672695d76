package org.lra.model.config;

/**
 * Performer's random-feature map: relu (the reference's {@code performer-256}: relu(x·W) + eps) or exp
 * (FAVOR+'s positive softmax kernel, exp(x·W − |x|²/2)).
 */
public enum PerformerKernel {
    relu, exp
}
