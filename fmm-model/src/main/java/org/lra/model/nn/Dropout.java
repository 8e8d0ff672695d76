package org.lra.model.nn;

import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Parallel;

/**
 * Inverted dropout with the stateless {@link DropoutMask}: element i of this site in this step survives iff
 * its counter draw says so, so backward recomputes the mask instead of storing it. Identity when not training.
 *
 * <p>Sites, so that no two dropouts of a step share a stream (the attention variants use
 * {@code ctx.dropoutKey(layerIndex, 0..99)}):
 * embedding {@code (-1, 100)}; in block l: attention output {@code (l, 101)}, MLP hidden {@code (l, 102)},
 * MLP output {@code (l, 103)}.
 */
public final class Dropout {
    public static final int EMBEDDING_LAYER = -1;
    public static final int SITE_EMBEDDING = 100;
    public static final int SITE_ATTENTION_OUT = 101;
    public static final int SITE_MLP_HIDDEN = 102;
    public static final int SITE_MLP_OUT = 103;

    public final double p;
    private final int layer;
    private final int site;
    private final int threshold;
    private final double scale;

    public Dropout(double p, int layer, int site) {
        if (p < 0 || p >= 1) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        }
        this.p = p;
        this.layer = layer;
        this.site = site;
        this.threshold = DropoutMask.threshold(p);
        this.scale = DropoutMask.scale(p);
    }

    private boolean active(StepContext ctx) {
        return ctx.training() && threshold > 0;
    }

    // x [n] -> y [n] = mask * x / (1 - p)  (y may be x)
    public void forward(StepContext ctx, Buf x, Buf y, int n) {
        apply(ctx, null, x, y, n);
    }

    // residual [n], x [n] -> y [n] = residual + mask * x / (1 - p)  (y may alias either input)
    public void forwardAdd(StepContext ctx, Buf residual, Buf x, Buf y, int n) {
        apply(ctx, residual, x, y, n);
    }

    // dy [n] -> dx [n] = mask * dy / (1 - p)  (dx may be dy)
    public void backward(StepContext ctx, Buf dy, Buf dx, int n) {
        apply(ctx, null, dy, dx, n);
    }

    /** Multiplier (0 or 1/(1-p)) for element i; for fused kernels that walk their own loops. */
    public double factor(StepContext ctx, long key, int i) {
        if (!active(ctx)) {
            return 1.0;
        }
        return DropoutMask.keep(key, i, threshold) ? scale : 0.0;
    }

    /** This site's key in this step. */
    public long key(StepContext ctx) {
        return ctx.dropoutKey(layer, site);
    }

    private void apply(StepContext ctx, Buf residual, Buf x, Buf y, int n) {
        Parallel pool = ctx.pool();
        if (!active(ctx)) {
            pool.forRange(n, (c, from, to) -> {
                for (int i = from; i < to; i++) {
                    y.set(i, residual == null ? x.get(i) : residual.get(i) + x.get(i));
                }
            });
            return;
        }
        long key = key(ctx);
        int groups = (n + 3) >>> 2; // split on 4-element groups: one 64-bit draw serves four elements
        pool.forRange(groups, (c, g0, g1) -> {
            for (int g = g0; g < g1; g++) {
                long bits = DropoutMask.group(key, g);
                int end = Math.min(4 * g + 4, n);
                for (int i = 4 * g; i < end; i++, bits >>>= 16) {
                    double v = ((int) bits & 0xFFFF) >= threshold ? x.get(i) * scale : 0.0;
                    y.set(i, residual == null ? v : residual.get(i) + v);
                }
            }
        });
    }
}
