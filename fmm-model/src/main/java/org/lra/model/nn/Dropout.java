package org.lra.model.nn;

import jdk.incubator.vector.FloatVector;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.FloatBuf;
import org.lra.model.tensor.Simd;
import org.lra.model.tensor.Tile;

/**
 * Inverted dropout with the counter-based {@link DropoutMask}: element i of this site in this step survives iff
 * its counter draw says so. Forward and backward draw the same mask (nothing is stored between them).
 * Identity when not training.
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

    // dy [n] -> dx [n] = mask * dy / (1 - p)  (dx may be dy); the mask is drawn again, as in forward
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
     * {@code start} must be a multiple of 4 (tiles are) and len at most {@link Tile#SIZE}. Forward and backward
     * both draw them: the mask is a pure function of (key, element), and drawing is cheap.
     */
    public void factors(StepContext ctx, long key, int start, int len, double[] f) {
        if (!active(ctx)) {
            java.util.Arrays.fill(f, 0, len, 1.0);
            return;
        }
        for (int i = 0; i < len; i++) {
            f[i] = DropoutMask.keep(key, start + i, threshold) ? scale : 0.0;
        }
    }

    /** The float32 kernels' {@link #factors(StepContext, long, int, int, double[])}: on SIMD lanes, rounded to float. */
    public void factors(StepContext ctx, long key, int start, int len, float[] f) {
        if (!active(ctx)) {
            java.util.Arrays.fill(f, 0, len, 1.0f);
            return;
        }
        DropoutMask.factors(key, start, len, threshold, (float) scale, f);
    }

    /** y = (residual +) f ⊙ x over tiles; the pool splits whole tiles so every tile starts on a 4-group. */
    private void apply(StepContext ctx, Buf residual, Buf x, Buf y, int n) {
        if (!active(ctx) && residual == null && x == y) {
            return; // y = 1 ⊙ x in place: nothing to compute (evaluation, or p = 0)
        }
        long key = key(ctx);
        int tiles = (n + Tile.SIZE - 1) / Tile.SIZE;
        if (y instanceof FloatBuf fy) {
            applyFloat(ctx, (FloatBuf) residual, (FloatBuf) x, fy, n, key, tiles);
            return;
        }
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

    /** float32 {@link #apply}: straight on the buffers, f ⊙ x (+ residual) one vector at a time. */
    private void applyFloat(StepContext ctx, FloatBuf residual, FloatBuf x, FloatBuf y, int n, long key, int tiles) {
        ctx.pool().forRange(tiles, (c, t0, t1) -> {
            float[] f = Tile.floats()[0];
            for (int t = t0; t < t1; t++) {
                int start = t * Tile.SIZE;
                int len = Math.min(Tile.SIZE, n - start);
                factors(ctx, key, start, len, f);
                int i = 0;
                for (int end = Simd.vectorEnd(0, len); i < end; i += Simd.LANES) {
                    FloatVector v = Simd.load(x, start + i).mul(FloatVector.fromArray(Simd.F, f, i));
                    Simd.store(residual == null ? v : v.add(Simd.load(residual, start + i)), y, start + i);
                }
                for (; i < len; i++) {
                    float v = x.nio().get(start + i) * f[i];
                    y.nio().put(start + i, residual == null ? v : v + residual.nio().get(start + i));
                }
            }
        });
    }
}
