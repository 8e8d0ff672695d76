package org.lra.model.nn;

import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Tile;

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

    /** Multiplier (0 or 1/(1-p)) for element i; for kernels that walk their own loops. */
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

    /**
     * Multipliers of elements [start, start+len) into f[0, len): 0 or 1/(1-p), all 1 when not training.
     * {@code start} must be a multiple of 4 (tiles are), and f must have room for len rounded up to 4.
     */
    public void factors(StepContext ctx, long key, int start, int len, double[] f) {
        if (!active(ctx)) {
            java.util.Arrays.fill(f, 0, len, 1.0);
            return;
        }
        int thr = threshold;
        double sc = scale;
        int groups = (len + 3) >>> 2;
        long[] bits = Tile.bits();
        for (int g = 0; g < groups; g++) {
            bits[g] = DropoutMask.group(key, (start >>> 2) + g);
        }
        // element 4g+j keeps iff its 16-bit draw >= thr; ((draw - thr) >> 31) is -1 when dropped, 0 when kept
        for (int g = 0; g < groups; g++) {
            long b = bits[g];
            f[4 * g] = sc * (1 + ((((int) b & 0xFFFF) - thr) >> 31));
            f[4 * g + 1] = sc * (1 + ((((int) (b >>> 16) & 0xFFFF) - thr) >> 31));
            f[4 * g + 2] = sc * (1 + ((((int) (b >>> 32) & 0xFFFF) - thr) >> 31));
            f[4 * g + 3] = sc * (1 + ((((int) (b >>> 48) & 0xFFFF) - thr) >> 31));
        }
    }

    /** y = (residual +) f ⊙ x over tiles; the pool splits whole tiles so every tile starts on a 4-group. */
    private void apply(StepContext ctx, Buf residual, Buf x, Buf y, int n) {
        long key = key(ctx);
        int tiles = (n + Tile.SIZE - 1) / Tile.SIZE;
        ctx.pool().forRange(tiles, (c, t0, t1) -> {
            double[][] tile = Tile.local();
            double[] xs = tile[0];
            double[] rs = tile[1];
            double[] f = tile[2];
            for (int t = t0; t < t1; t++) {
                int start = t * Tile.SIZE;
                int len = Math.min(Tile.SIZE, n - start);
                x.get(start, xs, 0, len);
                factors(ctx, key, start, len, f);
                if (residual == null) {
                    for (int i = 0; i < len; i++) {
                        xs[i] *= f[i];
                    }
                } else {
                    residual.get(start, rs, 0, len);
                    for (int i = 0; i < len; i++) {
                        xs[i] = rs[i] + xs[i] * f[i];
                    }
                }
                y.set(start, xs, 0, len);
            }
        });
    }
}
