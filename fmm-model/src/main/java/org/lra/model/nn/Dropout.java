package org.lra.model.nn;

import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Tile;

/**
 * Inverted dropout with the counter-based {@link DropoutMask}: element i of this site in this step survives iff
 * its counter draw says so. Forward records the keep flags (one byte per element, see {@code kept}) and
 * backward reads them; with another key or range it draws them again. Identity when not training.
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

    /*
     * Keep flags (1 kept, 0 dropped) of element i under key keptKey, valid for i < keptN. Forward records them so
     * that backward reads one byte per element instead of re-mixing (the mix was ~15% of an fmm step when done
     * twice). The flags are the pure function DropoutMask.keep(key, i), so a reader with another key or range
     * simply recomputes: the result never depends on whether the record exists. One byte per element is what
     * PyTorch keeps too (its bool mask); at T=4096, batch 8 all sites together hold about 19 MB.
     */
    private byte[] kept = new byte[0];
    private long keptKey;
    private int keptN;

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
        apply(ctx, null, x, y, n, record(ctx, n));
    }

    // residual [n], x [n] -> y [n] = residual + mask * x / (1 - p)  (y may alias either input)
    public void forwardAdd(StepContext ctx, Buf residual, Buf x, Buf y, int n) {
        apply(ctx, residual, x, y, n, record(ctx, n));
    }

    // dy [n] -> dx [n] = mask * dy / (1 - p)  (dx may be dy)
    public void backward(StepContext ctx, Buf dy, Buf dx, int n) {
        apply(ctx, null, dy, dx, n, false);
    }

    /**
     * Call once before a forward pass over n elements (outside the parallel region): returns whether its
     * {@link #factors(StepContext, long, int, int, double[], boolean) factors} calls should record the keep
     * flags for the backward pass of this step.
     */
    public boolean record(StepContext ctx, int n) {
        if (!active(ctx)) {
            return false;
        }
        if (kept.length < n) {
            kept = new byte[n];
        }
        keptKey = key(ctx);
        keptN = n;
        return true;
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
     * With {@code record} (forward, after {@link #record}) the keep flags are stored for backward; otherwise
     * recorded flags of this key are read back when they cover the range, and mixed afresh when not.
     */
    public void factors(StepContext ctx, long key, int start, int len, double[] f, boolean record) {
        if (!active(ctx)) {
            java.util.Arrays.fill(f, 0, len, 1.0);
            return;
        }
        byte[] flags = kept;
        if (!record && !(key == keptKey && start + len <= keptN)) {
            factors(key, start, len, f);
            return;
        }
        if (record) {
            mixFlags(key, start, len, flags);
        }
        double sc = scale;
        for (int i = 0; i < len; i++) {
            f[i] = sc * flags[start + i];
        }
    }

    /** Unrecorded factors: f[0, len) for elements [start, start+len) of key. */
    private void factors(long key, int start, int len, double[] f) {
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

    /** flags[start + i] = keep(key, start + i) for i < len (start a multiple of 4; last group clipped). */
    private void mixFlags(long key, int start, int len, byte[] flags) {
        int thr = threshold;
        int end = start + len;
        for (int i = start; i < end; i += 4) {
            long b = DropoutMask.group(key, i >>> 2);
            for (int j = 0; j < 4 && i + j < end; j++) {
                flags[i + j] = (byte) (1 + ((((int) (b >>> (16 * j)) & 0xFFFF) - thr) >> 31));
            }
        }
    }

    /** y = (residual +) f ⊙ x over tiles; the pool splits whole tiles so every tile starts on a 4-group. */
    private void apply(StepContext ctx, Buf residual, Buf x, Buf y, int n, boolean record) {
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
                factors(ctx, key, start, len, f, record);
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
