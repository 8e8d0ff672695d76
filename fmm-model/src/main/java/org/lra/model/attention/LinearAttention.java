package org.lra.model.attention;

import org.lra.model.nn.StepContext;
import org.lra.model.tensor.Buf;

/**
 * Linear attention baseline: a single {@link FarField} with the first configured feature map
 * (reference: elu + 1, unnormalised, N^-¼ on each side; optionally normalised and/or causal).
 */
public final class LinearAttention implements Attention {
    private final FarField field;

    public LinearAttention(FeatureMap map, boolean normalized, boolean causal) {
        this.field = new FarField(map, normalized, causal);
    }

    /** q, k, v [B*T, H*D], keyMask [B*T] -> out [B*T, H*D]. */
    @Override
    public void forward(StepContext ctx, AttentionShape shape, Buf q, Buf k, Buf v, Buf keyMask, Buf out) {
        field.forward(ctx, shape, q, k, v, keyMask, out);
    }

    /** dOut [B*T, H*D] -> dq, dk, dv [B*T, H*D], overwritten. */
    @Override
    public void backward(StepContext ctx, Buf dOut, Buf dq, Buf dk, Buf dv) {
        field.backward(ctx, dOut, dq, dk, dv, false);
    }
}
