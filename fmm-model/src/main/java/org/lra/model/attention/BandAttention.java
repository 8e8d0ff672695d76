package org.lra.model.attention;

import java.util.Arrays;
import org.lra.model.nn.StepContext;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Precision;

/**
 * Near field: softmax attention restricted to keys {@code |i − j| ≤ k − 1} (k = bandwidth), or
 * {@code j ∈ [i − k + 1, i]} when causal, with the reference key mask (−1e6) and attention dropout.
 * Numerically the reference's masked dense N×N softmax, in O(T·k) time and memory.
 *
 * <p>Layout: each head is copied transposed into {@code [D][T]} arrays, and scores live diagonal-major as
 * {@code [offset][T]} (offset o = j − i). Then every product is a loop over i with a fixed shift o,
 * e.g. {@code s[o][i] += q[d][i] · k[d][i+o]}: unit stride, no reductions, so the JIT vectorises it.
 * The softmax runs per query row across the diagonals (stride T) through {@link MaskedSoftmax}.
 *
 * <p>The probabilities (before dropout) are kept for backward: B·H·(2k−1)·T doubles, a few MB.
 */
public final class BandAttention implements Attention {
    private final int bandwidth;
    private final boolean causal;
    private final AttentionDropout dropout;
    /** Offsets o = j − i of the band: [first, last]. */
    private final int first;
    private final int last;
    private final int diagonals;

    // From the last forward; backward reads the same inputs (the caller keeps them unchanged).
    private AttentionShape shape;
    private Buf q;
    private Buf k;
    private Buf v;
    /** Softmax probabilities before dropout, [B*H][diagonals][T]. */
    private double[] probs;
    private Worker[] workers;

    public BandAttention(int bandwidth, boolean causal, double attentionDropout, int layerIndex) {
        if (bandwidth < 1) {
            throw new IllegalArgumentException("bandwidth must be >= 1, got " + bandwidth);
        }
        this.bandwidth = bandwidth;
        this.causal = causal;
        this.dropout = new AttentionDropout(attentionDropout, layerIndex);
        this.first = -(bandwidth - 1);
        this.last = causal ? 0 : bandwidth - 1;
        this.diagonals = last - first + 1;
    }

    public int bandwidth() {
        return bandwidth;
    }

    /** Per-thread scratch for one head: transposed [D][T] copies and diagonal-major [diagonals][T] rows. */
    private static final class Worker {
        final double[] q;
        final double[] k;
        final double[] v;
        final double[] x;  // forward: output; backward: dOut
        final double[] dq;
        final double[] dk;
        final double[] dv;
        final double[] s;  // dropped-out probabilities
        final double[] dp; // probability gradient, then score gradient
        final double[] mask;

        Worker(int seqLen, int headDim, int diagonals) {
            int n = seqLen * headDim;
            q = new double[n];
            k = new double[n];
            v = new double[n];
            x = new double[n];
            dq = new double[n];
            dk = new double[n];
            dv = new double[n];
            s = new double[diagonals * seqLen];
            dp = new double[diagonals * seqLen];
            mask = new double[seqLen];
        }
    }

    private void prepare(StepContext ctx, AttentionShape shape) {
        int heads = shape.batch() * shape.heads();
        int need = heads * diagonals * shape.seqLen();
        if (probs == null || probs.length < need) {
            probs = new double[need];
        }
        int threads = ctx.pool().threads();
        if (workers == null || workers.length < threads || this.shape == null
                || this.shape.seqLen() != shape.seqLen() || this.shape.headDim() != shape.headDim()) {
            workers = new Worker[threads];
            for (int w = 0; w < threads; w++) {
                workers[w] = new Worker(shape.seqLen(), shape.headDim(), diagonals);
            }
        }
        this.shape = shape;
    }

    /** First and one-past-last query i for which offset o reaches a key inside [0, T). */
    private static int rowsFrom(int o) {
        return Math.max(0, -o);
    }

    private static int rowsTo(int o, int seqLen) {
        return Math.min(seqLen, seqLen - o);
    }

    /** q, k, v [B*T, H*D], keyMask [B*T] -> out [B*T, H*D]; keeps probabilities [B*H, 2k-1, T]. */
    @Override
    public void forward(StepContext ctx, AttentionShape shape, Buf q, Buf k, Buf v, Buf keyMask, Buf out) {
        prepare(ctx, shape);
        this.q = q;
        this.k = k;
        this.v = v;
        int seqLen = shape.seqLen();
        int heads = shape.heads();
        int headDim = shape.headDim();
        int width = shape.width();
        double scale = 1.0 / Math.sqrt(headDim);
        boolean f32 = q.precision() == Precision.FLOAT32;
        boolean drop = dropout.active(ctx);
        long key = dropout.key(ctx);
        ctx.pool().forRange(shape.batch() * heads, (chunk, from, to) -> {
            Worker w = workers[chunk];
            for (int bh = from; bh < to; bh++) {
                int b = bh / heads;
                int col0 = (bh % heads) * headDim;
                int row0 = b * seqLen;
                HeadIO.loadTransposed(q, row0, width, col0, seqLen, headDim, w.q);
                HeadIO.loadTransposed(k, row0, width, col0, seqLen, headDim, w.k);
                HeadIO.loadTransposed(v, row0, width, col0, seqLen, headDim, w.v);
                HeadIO.loadMask(keyMask, b, seqLen, w.mask);
                int pOff = bh * diagonals * seqLen;
                scores(w.q, w.k, probs, pOff, seqLen, headDim);
                for (int i = 0; i < seqLen; i++) {
                    int oLo = Math.max(first, -i);
                    int oHi = Math.min(last, seqLen - 1 - i);
                    MaskedSoftmax.forward(probs, pOff + (oLo - first) * seqLen + i, seqLen, oHi - oLo + 1,
                            scale, w.mask, i + oLo, f32);
                }
                double[] p = probs;
                int sOff = pOff;
                if (drop) {
                    System.arraycopy(probs, pOff, w.s, 0, diagonals * seqLen);
                    applyDropout(key, bh, w.s, seqLen);
                    p = w.s;
                    sOff = 0;
                }
                Arrays.fill(w.x, 0, seqLen * headDim, 0.0);
                mixValues(p, sOff, w.v, w.x, seqLen, headDim);
                HeadIO.storeTransposed(w.x, out, row0, width, col0, seqLen, headDim, false);
            }
        });
    }

    @Override
    public void backward(StepContext ctx, Buf dOut, Buf dq, Buf dk, Buf dv) {
        backward(ctx, dOut, dq, dk, dv, false);
    }

    /** dOut [B*T, H*D] -> dq, dk, dv [B*T, H*D], overwritten or (accumulate) added to. */
    void backward(StepContext ctx, Buf dOut, Buf dq, Buf dk, Buf dv, boolean accumulate) {
        if (shape == null) {
            throw new IllegalStateException("backward before forward");
        }
        int seqLen = shape.seqLen();
        int heads = shape.heads();
        int headDim = shape.headDim();
        int width = shape.width();
        double scale = 1.0 / Math.sqrt(headDim);
        boolean drop = dropout.active(ctx);
        long key = dropout.key(ctx);
        int n = seqLen * headDim;
        ctx.pool().forRange(shape.batch() * heads, (chunk, from, to) -> {
            Worker w = workers[chunk];
            for (int bh = from; bh < to; bh++) {
                int row0 = (bh / heads) * seqLen;
                int col0 = (bh % heads) * headDim;
                HeadIO.loadTransposed(q, row0, width, col0, seqLen, headDim, w.q);
                HeadIO.loadTransposed(k, row0, width, col0, seqLen, headDim, w.k);
                HeadIO.loadTransposed(v, row0, width, col0, seqLen, headDim, w.v);
                HeadIO.loadTransposed(dOut, row0, width, col0, seqLen, headDim, w.x);
                Arrays.fill(w.dq, 0, n, 0.0);
                Arrays.fill(w.dk, 0, n, 0.0);
                Arrays.fill(w.dv, 0, n, 0.0);
                int pOff = bh * diagonals * seqLen;
                // dV sees the probabilities the forward actually used (after dropout).
                double[] p = probs;
                int sOff = pOff;
                if (drop) {
                    System.arraycopy(probs, pOff, w.s, 0, diagonals * seqLen);
                    applyDropout(key, bh, w.s, seqLen);
                    p = w.s;
                    sOff = 0;
                }
                valueGradient(p, sOff, w.x, w.dv, seqLen, headDim);
                // dP = dOut·Vᵀ on the band, back through dropout, then through the softmax.
                scores(w.x, w.v, w.dp, 0, seqLen, headDim);
                if (drop) {
                    applyDropout(key, bh, w.dp, seqLen);
                }
                for (int i = 0; i < seqLen; i++) {
                    int oLo = Math.max(first, -i);
                    int oHi = Math.min(last, seqLen - 1 - i);
                    int at = (oLo - first) * seqLen + i;
                    MaskedSoftmax.backward(probs, pOff + at, w.dp, at, seqLen, oHi - oLo + 1);
                }
                queryKeyGradient(w.dp, w.q, w.k, w.dq, w.dk, seqLen, headDim, scale);
                HeadIO.storeTransposed(w.dq, dq, row0, width, col0, seqLen, headDim, accumulate);
                HeadIO.storeTransposed(w.dk, dk, row0, width, col0, seqLen, headDim, accumulate);
                HeadIO.storeTransposed(w.dv, dv, row0, width, col0, seqLen, headDim, accumulate);
            }
        });
    }

    /** s[sOff + (o−first)·T + i] = Σ_d a[d][i]·b[d][i+o] on the band; entries off the sequence are 0. */
    private void scores(double[] a, double[] b, double[] s, int sOff, int seqLen, int headDim) {
        for (int o = first; o <= last; o++) {
            int base = sOff + (o - first) * seqLen;
            Arrays.fill(s, base, base + seqLen, 0.0);
        }
        for (int d = 0; d < headDim; d++) {
            int ad = d * seqLen;
            for (int o = first; o <= last; o++) {
                int base = sOff + (o - first) * seqLen;
                int bd = ad + o;
                int to = rowsTo(o, seqLen);
                for (int i = rowsFrom(o); i < to; i++) {
                    s[base + i] += a[ad + i] * b[bd + i];
                }
            }
        }
    }

    /** x[d][i] += Σ_o p[o][i]·v[d][i+o]. */
    private void mixValues(double[] p, int pOff, double[] v, double[] x, int seqLen, int headDim) {
        for (int d = 0; d < headDim; d++) {
            int xd = d * seqLen;
            for (int o = first; o <= last; o++) {
                int base = pOff + (o - first) * seqLen;
                int vd = xd + o;
                int to = rowsTo(o, seqLen);
                for (int i = rowsFrom(o); i < to; i++) {
                    x[xd + i] += p[base + i] * v[vd + i];
                }
            }
        }
    }

    /** dv[d][i+o] += p[o][i]·dOut[d][i]. */
    private void valueGradient(double[] p, int pOff, double[] dOut, double[] dv, int seqLen, int headDim) {
        for (int d = 0; d < headDim; d++) {
            int xd = d * seqLen;
            for (int o = first; o <= last; o++) {
                int base = pOff + (o - first) * seqLen;
                int vd = xd + o;
                int to = rowsTo(o, seqLen);
                for (int i = rowsFrom(o); i < to; i++) {
                    dv[vd + i] += p[base + i] * dOut[xd + i];
                }
            }
        }
    }

    /** From the score gradient ds [diagonals][T]: dq[d][i] += c·ds[o][i]·k[d][i+o], dk[d][i+o] += c·ds[o][i]·q[d][i]. */
    private void queryKeyGradient(double[] ds, double[] q, double[] k, double[] dq, double[] dk, int seqLen,
                                  int headDim, double c) {
        int total = diagonals * seqLen;
        for (int t = 0; t < total; t++) {
            ds[t] *= c;
        }
        for (int d = 0; d < headDim; d++) {
            int qd = d * seqLen;
            for (int o = first; o <= last; o++) {
                int base = (o - first) * seqLen;
                int kd = qd + o;
                int to = rowsTo(o, seqLen);
                for (int i = rowsFrom(o); i < to; i++) {
                    dq[qd + i] += ds[base + i] * k[kd + i];
                }
                for (int i = rowsFrom(o); i < to; i++) {
                    dk[kd + i] += ds[base + i] * q[qd + i];
                }
            }
        }
    }

    /** Dropout factors on a diagonal-major [diagonals][T] block of head bh, row by row. */
    private void applyDropout(long key, int bh, double[] s, int seqLen) {
        for (int i = 0; i < seqLen; i++) {
            int oLo = Math.max(first, -i);
            int oHi = Math.min(last, seqLen - 1 - i);
            long firstIndex = ((long) bh * seqLen + i) * seqLen + (i + oLo);
            dropout.apply(key, s, (oLo - first) * seqLen + i, seqLen, oHi - oLo + 1, firstIndex);
        }
    }
}
