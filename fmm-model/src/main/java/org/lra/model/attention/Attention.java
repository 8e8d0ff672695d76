package org.lra.model.attention;

import org.lra.model.nn.StepContext;
import org.lra.model.tensor.Buf;

/**
 * Multi-head attention core, between the Q/K/V projections and the output projection.
 *
 * <p>Layout: q, k, v and out are {@code [B*T, H*D]} row-major, exactly as the projections write them:
 * token (b, t) is row {@code b*T + t}, head h owns columns {@code [h*D, (h+1)*D)}. {@code keyMask} is
 * {@code [B*T]}, 1 for a real token and 0 for padding. The variants differ only in what they compute;
 * FMM composes band and far field rather than copying them.
 *
 * <p>An instance belongs to one block and keeps whatever its backward needs from the last forward.
 */
public interface Attention {

    /** q, k, v [B*T, H*D], keyMask [B*T] -> out [B*T, H*D]. */
    void forward(StepContext ctx, AttentionShape shape, Buf q, Buf k, Buf v, Buf keyMask, Buf out);

    /**
     * dOut [B*T, H*D] -> dq, dk, dv [B*T, H*D], each overwritten. Gradients of the variant's own parameters
     * (blend weights) are accumulated into the model's gradient block.
     */
    void backward(StepContext ctx, Buf dOut, Buf dq, Buf dk, Buf dv);
}
