package org.lra.model.nn;

import jdk.incubator.vector.FloatVector;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.FloatBuf;
import org.lra.model.tensor.Simd;
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
     * {@code start} must be a multiple of 4 (tiles are) and len at most {@link Tile#SIZE}.
     * With {@code record} (forward, after {@link #record}) the keep flags are stored for backward; otherwise
     * recorded flags of this key are read back when they cover the range, and mixed afresh when not.
     */
    public void factors(StepContext ctx, long key, int start, int len, double[] f, boolean record) {
        if (!active(ctx)) {
            java.util.Arrays.fill(f, 0, len, 1.0);
            return;
        }
        byte[] flags = flags(key, start, len, record);
        int base = flags == kept ? start : 0;
        double sc = scale;
        for (int i = 0; i < len; i++) {
            f[i] = sc * flags[base + i];
        }
    }

    /** The float32 kernels' {@link #factors(StepContext, long, int, int, double[], boolean)}: the multiplier rounded to float. */
    public void factors(StepContext ctx, long key, int start, int len, float[] f, boolean record) {
        if (!active(ctx)) {
            java.util.Arrays.fill(f, 0, len, 1.0f);
            return;
        }
        byte[] flags = flags(key, start, len, record);
        int base = flags == kept ? start : 0;
        float sc = (float) scale;
        for (int i = 0; i < len; i++) {
            f[i] = sc * flags[base + i];
        }
    }

    /**
     * Keep flags of elements [start, start+len): the recorded array (flag of element i at index i) when recording
     * or when the record of this key covers the range, else this thread's {@link Tile#flags()} freshly mixed
     * (flag of element start + i at index i).
     */
    private byte[] flags(long key, int start, int len, boolean record) {
        if (record) {
            mixFlags(key, start, len, kept, start);
            return kept;
        }
        if (key == keptKey && start + len <= keptN) {
            return kept;
        }
        byte[] scratch = Tile.flags();
        mixFlags(key, start, len, scratch, 0);
        return scratch;
    }

    /** out[at + i] = keep(key, start + i) for i < len (start a multiple of 4; last group clipped). */
    private void mixFlags(long key, int start, int len, byte[] out, int at) {
        int thr = threshold;
        // element 4g+j keeps iff its 16-bit draw >= thr; ((draw - thr) >> 31) is -1 when dropped, 0 when kept
        for (int i = 0; i < len; i += 4) {
            long b = DropoutMask.group(key, (start + i) >>> 2);
            for (int j = 0; j < 4 && i + j < len; j++) {
                out[at + i + j] = (byte) (1 + ((((int) (b >>> (16 * j)) & 0xFFFF) - thr) >> 31));
            }
        }
    }

    /** y = (residual +) f ⊙ x over tiles; the pool splits whole tiles so every tile starts on a 4-group. */
    private void apply(StepContext ctx, Buf residual, Buf x, Buf y, int n, boolean record) {
        long key = key(ctx);
        int tiles = (n + Tile.SIZE - 1) / Tile.SIZE;
        if (y instanceof FloatBuf fy) {
            applyFloat(ctx, (FloatBuf) residual, (FloatBuf) x, fy, n, record, key, tiles);
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

    /** float32 {@link #apply}: straight on the buffers, f ⊙ x (+ residual) one vector at a time. */
    private void applyFloat(StepContext ctx, FloatBuf residual, FloatBuf x, FloatBuf y, int n, boolean record,
                            long key, int tiles) {
        ctx.pool().forRange(tiles, (c, t0, t1) -> {
            float[] f = Tile.floats()[0];
            for (int t = t0; t < t1; t++) {
                int start = t * Tile.SIZE;
                int len = Math.min(Tile.SIZE, n - start);
                factors(ctx, key, start, len, f, record);
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
