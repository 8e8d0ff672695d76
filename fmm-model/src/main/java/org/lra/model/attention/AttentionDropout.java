package org.lra.model.attention;

import org.lra.model.nn.DropoutMask;
import org.lra.model.nn.StepContext;

/**
 * Dropout on attention probabilities (softmax and band): element (b, h, i, j) keeps or drops by
 * {@link DropoutMask} at the dense index {@code ((b*H + h)*T + i)*T + j}. Forward multiplies the
 * probabilities by keep·1/(1−p); backward multiplies the incoming gradient by the very same factors. Softmax
 * attention keeps them in the sign of its stored probabilities ({@link #signByKeep}, {@link #unsign}); band
 * attention draws them again in backward. No separate mask array is kept.
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

    /**
     * f[off + t] = keep(firstIndex + t) ? 1/(1−p) : 0 for t &lt; n: the factors that forward multiplies into the
     * probabilities and backward into their gradient. A row's factors are computed once and reused.
     */
    void factors(long key, double[] f, int off, int n, long firstIndex) {
        // One mix gives the four 16-bit draws of a group (DropoutMask's layout). The keep test is arithmetic,
        // not a branch: a 10% random branch mispredicts often enough to dominate this loop.
        int t = 0;
        while (t < n && ((firstIndex + t) & 3) != 0) {   // partial first group
            long index = firstIndex + t;
            f[off + t++] = factor(DropoutMask.group(key, index >>> 2) >>> ((index & 3) << 4));
        }
        for (; t + 4 <= n; t += 4) {                    // whole groups
            long bits = DropoutMask.group(key, (firstIndex + t) >>> 2);
            f[off + t] = factor(bits);
            f[off + t + 1] = factor(bits >>> 16);
            f[off + t + 2] = factor(bits >>> 32);
            f[off + t + 3] = factor(bits >>> 48);
        }
        if (t < n) {                                     // partial last group
            long bits = DropoutMask.group(key, (firstIndex + t) >>> 2);
            for (int lane = 0; t < n; t++, lane++) {
                f[off + t] = factor(bits >>> (lane << 4));
            }
        }
    }

    /**
     * The float32 {@link #factors(long, double[], int, int, long)} into f[0, n): the same factors rounded to
     * float, drawn on SIMD lanes ({@link DropoutMask#factors}) when the row starts on a whole group, as softmax
     * rows do (firstIndex = (bh·T + i)·T with T a multiple of 4).
     */
    void factors(long key, float[] f, int n, long firstIndex) {
        DropoutMask.factors(key, firstIndex, n, threshold, (float) scale, f);
    }

    /** keep·1/(1−p) for the draw in the low 16 bits. */
    private double factor(long bits) {
        int draw = (int) bits & 0xFFFF;
        return ((threshold - 1 - draw) >>> 31) * scale; // (…) >>> 31 is 1 iff draw >= threshold
    }

    /** x[xOff + t] *= f[fOff + t] for t &lt; n. */
    static void multiply(double[] x, int xOff, double[] f, int fOff, int n) {
        for (int t = 0; t < n; t++) {
            x[xOff + t] *= f[fOff + t];
        }
    }
}
