package org.lra.model.config;

/**
 * The feature map a performer config names (reference: {@code kernel_type} of {@code performer-256}).
 * relu: max(0, x·w) + 0.001 on the random projections; exp: FAVOR+ positive softmax features.
 */
public enum PerformerKernel {
    relu, exp
}
