package org.lra.model.attention;

import org.lra.model.nn.StepContext;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Precision;

/**
 * FMMformer attention (docs/reference.md §1.3): a banded near field plus low-rank far fields, blended,
 * <pre>  out = near_w ⊙ band(q, k, v) + far_w ⊙ Σ_l c_l ⊙ farField_l(q, k, v)</pre>
 * It composes a {@link BandAttention}, one {@link FarField} per kernel and a {@link Blend}; with no kernels
 * it is the band alone (scaled by near_w) and no far field is computed. {@code causal} and
 * {@code normalized} pass through to the parts.
 */
public final class FmmAttention implements Attention {
    private final BandAttention band;
    private final FarField[] farFields;
    private final Blend blend;

    private AttentionShape shape;
    private Buf bandOut;    // [B*T, H*D]
    private Buf[] farOut;   // per kernel [B*T, H*D]
    private Buf gradBand;   // [B*T, H*D]  (backward's, allocated by the first one)
    private Buf gradFar;    // [B*T, H*D], reused kernel after kernel
    private BlendProbe probe; // null unless diagnostics watch the forwards

    public FmmAttention(BandAttention band, FarField[] farFields, Blend blend) {
        if (farFields.length != blend.kernelCount()) {
            throw new IllegalArgumentException("fmm: " + farFields.length + " far fields but "
                    + blend.kernelCount() + " blend kernel weights");
        }
        this.band = band;
        this.farFields = farFields.clone();
        this.blend = blend;
        this.farOut = new Buf[farFields.length];
    }

    private void prepare(AttentionShape shape, Precision precision) {
        int n = shape.rows() * shape.width();
        bandOut = Buf.ensure(bandOut, precision, n);
        for (int l = 0; l < farOut.length; l++) {
            farOut[l] = Buf.ensure(farOut[l], precision, n);
        }
        this.shape = shape;
    }

    private void prepareBackward(Precision precision) {
        int n = shape.rows() * shape.width();
        gradBand = Buf.ensure(gradBand, precision, n);
        if (farOut.length > 0) {
            gradFar = Buf.ensure(gradFar, precision, n);
        }
    }

    /** q, k, v [B*T, H*D], keyMask [B*T] -> out [B*T, H*D]; keeps band and far-field outputs for the blend's backward. */
    @Override
    public void forward(StepContext ctx, AttentionShape shape, Buf q, Buf k, Buf v, Buf keyMask, Buf out) {
        prepare(shape, q.precision());
        band.forward(ctx, shape, q, k, v, keyMask, bandOut);
        for (int l = 0; l < farFields.length; l++) {
            farFields[l].forward(ctx, shape, q, k, v, keyMask, farOut[l]);
        }
        blend.forward(ctx.pool(), shape.rows(), bandOut, farOut, out);
        if (probe != null) {
            probe.add(ctx.pool(), shape.rows(), keyMask, bandOut, farOut, blend);
        }
    }

    /** A probe for this layer's blend weights and field RMS (H heads of width D). */
    public BlendProbe newProbe(int heads, int headDim) {
        return new BlendProbe(heads, headDim, blend.kernelCount());
    }

    /** Lets {@code probe} watch the following forward passes; null stops watching. */
    public void watch(BlendProbe probe) {
        this.probe = probe;
    }

    /** dOut [B*T, H*D] -> dq, dk, dv [B*T, H*D], overwritten; blend weight gradients added to the gradient block. */
    @Override
    public void backward(StepContext ctx, Buf dOut, Buf dq, Buf dk, Buf dv) {
        if (shape == null) {
            throw new IllegalStateException("backward before forward");
        }
        prepareBackward(dOut.precision());
        int rows = shape.rows();
        blend.backward(ctx.pool(), rows, dOut, bandOut, farOut, gradBand);
        band.backward(ctx, gradBand, dq, dk, dv, false);
        for (int l = 0; l < farFields.length; l++) {
            blend.farGradient(ctx.pool(), rows, l, dOut, gradFar);
            farFields[l].backward(ctx, gradFar, dq, dk, dv, true);
        }
    }
}
