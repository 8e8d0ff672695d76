package org.lra.model.config;

/**
 * One blend weight: its shape, initial value and whether it trains. Blend weights never get weight decay
 * and are not constrained (no sigmoid), as in the reference code.
 *
 * @param shape     scalar | per_head (1,H,1,1) | per_head_dim (1,H,1,D) | complement (1 - near; only for far)
 * @param init      initial value of every entry (ignored for complement)
 * @param learnable false keeps it a fixed constant
 */
public record WeightSpec(WeightShape shape, double init, boolean learnable) {

    public static WeightSpec fixed(double value) {
        return new WeightSpec(WeightShape.scalar, value, false);
    }

    public static WeightSpec learned(WeightShape shape, double init) {
        return new WeightSpec(shape, init, true);
    }

    public static WeightSpec complement() {
        return new WeightSpec(WeightShape.complement, 0, false);
    }
}
