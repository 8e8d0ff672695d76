package org.lra.model.attention;

import org.lra.model.nn.DropoutMask;
import org.lra.model.nn.StepContext;

/**
 * Dropout on attention probabilities (softmax and band), stateless: element (b, h, i, j) keeps or drops by
 * {@link DropoutMask} at the dense index {@code ((b*H + h)*T + i)*T + j}. Forward multiplies the
 * probabilities by keep·1/(1−p); backward multiplies the incoming gradient by the very same factors,
 * recomputed, so nothing is stored.
 *
 * <p>Using the dense (i, j) index for the band too means a band whose width covers the whole sequence
 * drops exactly what full softmax drops, which the tests use to compare the two with dropout on.
 */
final class AttentionDropout {
    /** Dropout site id of attention probabilities inside a layer (see {@link StepContext#dropoutKey}). */
    static final int SITE = 0xA77;

    private final int layer;
    private final int threshold;
    private final double scale;

    AttentionDropout(double p, int layer) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("attentionDropout must be in [0, 1), got " + p);
        }
        this.layer = layer;
        this.threshold = DropoutMask.threshold(p);
        this.scale = DropoutMask.scale(p);
    }

    /** Whether this step drops anything (training with p &gt; 0). */
    boolean active(StepContext ctx) {
        return ctx.training() && threshold > 0;
    }

    long key(StepContext ctx) {
        return ctx.dropoutKey(layer, SITE);
    }

    /** x[off + t*stride] *= (keep(firstIndex + t) ? 1/(1−p) : 0) for t &lt; n. */
    void apply(long key, double[] x, int off, int stride, int n, long firstIndex) {
        // One mix gives four 16-bit draws (DropoutMask's layout); draw a group only when the index enters it.
        long group = -1;
        long bits = 0;
        for (int t = 0, at = off; t < n; t++, at += stride) {
            long index = firstIndex + t;
            if ((index >>> 2) != group) {
                group = index >>> 2;
                bits = DropoutMask.group(key, group);
            }
            int draw = (int) (bits >>> ((index & 3) << 4)) & 0xFFFF;
            x[at] = draw >= threshold ? x[at] * scale : 0.0;
        }
    }
}
