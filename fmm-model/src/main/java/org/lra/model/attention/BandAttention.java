package org.lra.model.attention;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import org.lra.model.nn.StepContext;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.FloatBuf;
import org.lra.model.tensor.Precision;
import org.lra.model.tensor.Simd;

/**
 * Near field: softmax attention restricted to keys {@code |i − j| ≤ k − 1} (k = bandwidth), or
 * {@code j ∈ [i − k + 1, i]} when causal, with the reference key mask (−1e6) and attention dropout.
 * Numerically the reference's masked dense N×N softmax, in O(T·k) time and memory.
 *
 * <p>The probabilities of query i live in {@code [i][slot]} with slot = j − i + (k − 1), W = 2k − 1 slots (k when
 * causal). The keys of a query are consecutive rows, so every product is one of two row kernels: scores and dP
 * are {@code dots} of one row against W rows; out, dQ, dK and dV are {@code combine}s of W rows. float32 heads of
 * whole SIMD vectors run them on the projections' own [B*T, H*D] layout with the Vector API (no copies);
 * otherwise (float64) each head is copied into jagged rows {@code double[T][D]} for {@link RowKernels}. dK and dV
 * are gathered per key (Σ over the queries that see it) rather than scattered, so each output row is
 * written once.
 *
 * <p>The probabilities before dropout are kept for backward: B·H·T·W doubles, a few MB.
 */
public final class BandAttention implements Attention {
    private final int bandwidth;
    private final AttentionDropout dropout;
    /** Offsets o = j − i of the band: [first, last]; slot = o − first. */
    private final int first;
    private final int last;
    private final int slots;

    // From the last forward; backward reads the same inputs (the caller keeps them unchanged).
    private AttentionShape shape;
    private Buf q;
    private Buf k;
    private Buf v;
    /** Softmax probabilities before dropout, [B*H][T][slots]. */
    private double[] probs;
    private Worker[] workers;

    public BandAttention(int bandwidth, boolean causal, double attentionDropout, int layerIndex) {
        if (bandwidth < 1) {
            throw new IllegalArgumentException("bandwidth must be >= 1, got " + bandwidth);
        }
        this.bandwidth = bandwidth;
        this.dropout = new AttentionDropout(attentionDropout, layerIndex);
        this.first = -(bandwidth - 1);
        this.last = causal ? 0 : bandwidth - 1;
        this.slots = last - first + 1;
    }

    public int bandwidth() {
        return bandwidth;
    }

    /** Per-thread scratch for one head. */
    private static final class Worker {
        final double[][] q;
        final double[][] k;
        final double[][] v;
        final double[][] x;  // forward: output rows; backward: dOut rows
        final double[][] dq;
        final double[][] dk;
        final double[][] dv;
        final double[] dropped; // [T][slots]: probabilities after dropout
        final double[] grad;    // [T][slots]: dP, then dS
        final double[] factors; // [T][slots]: dropout factors of this head
        final double[] coeff;   // one key's coefficients gathered across queries
        final double[] mask;
        final double[] row;
        final float[] tmp;

        /** {@code headRows}: the jagged copies of a head, which only the scalar (float64) path uses. */
        Worker(int seqLen, int headDim, int width, int slots, boolean headRows) {
            int rows = headRows ? seqLen : 0;
            q = new double[rows][headDim];
            k = new double[rows][headDim];
            v = new double[rows][headDim];
            x = new double[rows][headDim];
            dq = new double[rows][headDim];
            dk = new double[rows][headDim];
            dv = new double[rows][headDim];
            dropped = new double[seqLen * slots];
            grad = new double[seqLen * slots];
            factors = new double[seqLen * slots];
            coeff = new double[slots];
            mask = new double[seqLen];
            row = new double[headDim];
            tmp = new float[HeadIO.SLAB_ROWS * width]; // HeadIO slabs; storeRow needs only headDim
        }
    }

    /** float32 heads of whole SIMD vectors run on the projection buffers directly, with the Vector API. */
    private static boolean vectorised(Buf x, AttentionShape shape) {
        return x instanceof FloatBuf && shape.headDim() % Simd.LANES == 0;
    }

    private void prepare(StepContext ctx, AttentionShape shape, boolean simd) {
        int need = shape.batch() * shape.heads() * shape.seqLen() * slots;
        if (probs == null || probs.length < need) {
            probs = new double[need];
        }
        int threads = ctx.pool().threads();
        if (workers == null || workers.length < threads || this.shape == null
                || this.shape.seqLen() != shape.seqLen() || this.shape.headDim() != shape.headDim()
                || (workers[0].q.length == 0) != simd) {
            workers = new Worker[threads];
            for (int w = 0; w < threads; w++) {
                workers[w] = new Worker(shape.seqLen(), shape.headDim(), shape.width(), slots, !simd);
            }
        }
        this.shape = shape;
    }

    /** First offset of query i's band that lies inside the sequence. */
    private int firstOffset(int i) {
        return Math.max(first, -i);
    }

    /** Last offset of query i's band that lies inside the sequence. */
    private int lastOffset(int i, int seqLen) {
        return Math.min(last, seqLen - 1 - i);
    }

    /** q, k, v [B*T, H*D], keyMask [B*T] -> out [B*T, H*D]; keeps probabilities [B*H, T, 2k-1]. */
    @Override
    public void forward(StepContext ctx, AttentionShape shape, Buf q, Buf k, Buf v, Buf keyMask, Buf out) {
        boolean simd = vectorised(q, shape);
        prepare(ctx, shape, simd);
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
        if (simd) {
            forwardFloat(ctx, (FloatBuf) keyMask, (FloatBuf) out, scale, drop, key);
            return;
        }
        ctx.pool().forRange(shape.batch() * heads, (chunk, from, to) -> {
            Worker w = workers[chunk];
            for (int bh = from; bh < to; bh++) {
                int b = bh / heads;
                int row0 = b * seqLen;
                int col0 = (bh % heads) * headDim;
                HeadIO.loadHead(q, row0, width, col0, seqLen, headDim, w.q, w.tmp);
                HeadIO.loadHead(k, row0, width, col0, seqLen, headDim, w.k, w.tmp);
                HeadIO.loadHead(v, row0, width, col0, seqLen, headDim, w.v, w.tmp);
                HeadIO.loadMask(keyMask, b, seqLen, w.mask);
                int pOff = bh * seqLen * slots;
                for (int i = 0; i < seqLen; i++) {
                    int oLo = firstOffset(i);
                    int n = lastOffset(i, seqLen) - oLo + 1;
                    int at = pOff + i * slots + (oLo - first);
                    RowKernels.dots(w.q[i], w.k, i + oLo, n, headDim, probs, at);
                    MaskedSoftmax.forward(probs, at, n, scale, w.mask, i + oLo, f32);
                }
                double[] p = applied(drop, key, bh, pOff, w, seqLen);
                int used = drop ? 0 : pOff; // where row 0 of head bh is in p
                for (int i = 0; i < seqLen; i++) {
                    int oLo = firstOffset(i);
                    int n = lastOffset(i, seqLen) - oLo + 1;
                    Arrays.fill(w.x[i], 0.0);
                    RowKernels.combine(p, used + i * slots + (oLo - first), w.v, i + oLo, n, headDim, w.x[i]);
                }
                HeadIO.storeHead(w.x, out, row0, width, col0, seqLen, headDim, false, w.row, w.tmp);
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
        if (vectorised(q, shape)) {
            backwardFloat(ctx, (FloatBuf) dOut, (FloatBuf) dq, (FloatBuf) dk, (FloatBuf) dv, accumulate, scale, drop,
                    key);
            return;
        }
        ctx.pool().forRange(shape.batch() * heads, (chunk, from, to) -> {
            Worker w = workers[chunk];
            for (int bh = from; bh < to; bh++) {
                int row0 = (bh / heads) * seqLen;
                int col0 = (bh % heads) * headDim;
                HeadIO.loadHead(q, row0, width, col0, seqLen, headDim, w.q, w.tmp);
                HeadIO.loadHead(k, row0, width, col0, seqLen, headDim, w.k, w.tmp);
                HeadIO.loadHead(v, row0, width, col0, seqLen, headDim, w.v, w.tmp);
                HeadIO.loadHead(dOut, row0, width, col0, seqLen, headDim, w.x, w.tmp);
                int pOff = bh * seqLen * slots;
                // dV uses the probabilities the forward actually applied (after dropout).
                double[] p = applied(drop, key, bh, pOff, w, seqLen);
                int used = drop ? 0 : pOff; // where row 0 of head bh is in p
                gatherPerKey(p, used, w.x, w.dv, w.coeff, seqLen, headDim);
                // dP = dOut·Vᵀ on the band, back through dropout and softmax, scaled by 1/√D: dS.
                for (int i = 0; i < seqLen; i++) {
                    int oLo = firstOffset(i);
                    int n = lastOffset(i, seqLen) - oLo + 1;
                    int at = i * slots + (oLo - first);
                    RowKernels.dots(w.x[i], w.v, i + oLo, n, headDim, w.grad, at);
                    if (drop) {
                        AttentionDropout.multiply(w.grad, at, w.factors, at, n);
                    }
                    MaskedSoftmax.backward(probs, pOff + at, w.grad, at, n);
                    for (int t = at; t < at + n; t++) {
                        w.grad[t] *= scale;
                    }
                    // dq_i = Σ_j dS_ij k_j
                    Arrays.fill(w.dq[i], 0.0);
                    RowKernels.combine(w.grad, at, w.k, i + oLo, n, headDim, w.dq[i]);
                }
                // dk_j = Σ_i dS_ij q_i
                gatherPerKey(w.grad, 0, w.q, w.dk, w.coeff, seqLen, headDim);
                HeadIO.storeHead(w.dq, dq, row0, width, col0, seqLen, headDim, accumulate, w.row, w.tmp);
                HeadIO.storeHead(w.dk, dk, row0, width, col0, seqLen, headDim, accumulate, w.row, w.tmp);
                HeadIO.storeHead(w.dv, dv, row0, width, col0, seqLen, headDim, accumulate, w.row, w.tmp);
            }
        });
    }

    /** {@link #forward} on float32 buffers: head bh's rows are read and written in place in [B*T, H*D]. */
    private void forwardFloat(StepContext ctx, FloatBuf mask, FloatBuf out, double scale, boolean drop, long key) {
        int seqLen = shape.seqLen();
        int heads = shape.heads();
        int headDim = shape.headDim();
        int width = shape.width();
        boolean f32 = true;
        FloatBuf fq = (FloatBuf) q;
        FloatBuf fk = (FloatBuf) k;
        FloatBuf fv = (FloatBuf) v;
        ctx.pool().forRange(shape.batch() * heads, (chunk, from, to) -> {
            Worker w = workers[chunk];
            for (int bh = from; bh < to; bh++) {
                int b = bh / heads;
                int base = shape.headOffset(bh); // row t of the head at base + t * width
                HeadIO.loadMask(mask, b, seqLen, w.mask);
                int pOff = bh * seqLen * slots;
                for (int i = 0; i < seqLen; i++) {
                    int oLo = firstOffset(i);
                    int n = lastOffset(i, seqLen) - oLo + 1;
                    int at = pOff + i * slots + (oLo - first);
                    dots(fq, base + i * width, fk, base + (i + oLo) * width, n, probs, at);
                    MaskedSoftmax.forward(probs, at, n, scale, w.mask, i + oLo, f32);
                }
                double[] p = applied(drop, key, bh, pOff, w, seqLen);
                int used = drop ? 0 : pOff; // where row 0 of head bh is in p
                for (int i = 0; i < seqLen; i++) {
                    int oLo = firstOffset(i);
                    int n = lastOffset(i, seqLen) - oLo + 1;
                    combine(p, used + i * slots + (oLo - first), 1, fv, base + (i + oLo) * width, n, out,
                            base + i * width, false);
                }
            }
        });
    }

    /** {@link #backward} on float32 buffers, in the caller's layout. */
    private void backwardFloat(StepContext ctx, FloatBuf dOut, FloatBuf dq, FloatBuf dk, FloatBuf dv,
                               boolean accumulate, double scale, boolean drop, long key) {
        int seqLen = shape.seqLen();
        int heads = shape.heads();
        int headDim = shape.headDim();
        int width = shape.width();
        FloatBuf fq = (FloatBuf) q;
        FloatBuf fk = (FloatBuf) k;
        FloatBuf fv = (FloatBuf) v;
        ctx.pool().forRange(shape.batch() * heads, (chunk, from, to) -> {
            Worker w = workers[chunk];
            for (int bh = from; bh < to; bh++) {
                int base = shape.headOffset(bh);
                int pOff = bh * seqLen * slots;
                double[] p = applied(drop, key, bh, pOff, w, seqLen);
                int used = drop ? 0 : pOff; // where row 0 of head bh is in p
                // dv_j = Σ_i P̃_ij dOut_i
                gatherPerKeyFloat(p, used, dOut, base, dv, accumulate, w.coeff, seqLen);
                for (int i = 0; i < seqLen; i++) {
                    int oLo = firstOffset(i);
                    int n = lastOffset(i, seqLen) - oLo + 1;
                    int at = i * slots + (oLo - first);
                    dots(dOut, base + i * width, fv, base + (i + oLo) * width, n, w.grad, at);
                    if (drop) {
                        AttentionDropout.multiply(w.grad, at, w.factors, at, n);
                    }
                    MaskedSoftmax.backward(probs, pOff + at, w.grad, at, n);
                    for (int t = at; t < at + n; t++) {
                        w.grad[t] *= scale;
                    }
                    // dq_i = Σ_j dS_ij k_j
                    combine(w.grad, at, 1, fk, base + (i + oLo) * width, n, dq, base + i * width, accumulate);
                }
                // dk_j = Σ_i dS_ij q_i
                gatherPerKeyFloat(w.grad, 0, fq, base, dk, accumulate, w.coeff, seqLen);
            }
        });
    }

    /** out[outOff + t] = a · rows (rows of width D at rowOff + t * width), t &lt; n; reduced in double. */
    private void dots(FloatBuf a, int aOff, FloatBuf rows, int rowOff, int n, double[] out, int outOff) {
        int headDim = shape.headDim();
        int width = shape.width();
        for (int t = 0; t < n; t++) {
            FloatVector acc = FloatVector.zero(Simd.F);
            int r = rowOff + t * width;
            for (int d = 0; d < headDim; d += Simd.LANES) {
                acc = Simd.load(a, aOff + d).fma(Simd.load(rows, r + d), acc);
            }
            out[outOff + t] = Simd.sum(acc);
        }
    }

    /**
     * dst row (D wide at dstOff) = (or += with accumulate) Σ_t c[cOff + t·cStride] · row t of rows (at
     * rowOff + t * width), t &lt; n.
     */
    private void combine(double[] c, int cOff, int cStride, FloatBuf rows, int rowOff, int n, FloatBuf dst,
                         int dstOff, boolean accumulate) {
        int headDim = shape.headDim();
        int width = shape.width();
        for (int d = 0; d < headDim; d += Simd.LANES) {
            FloatVector acc = accumulate ? Simd.load(dst, dstOff + d) : FloatVector.zero(Simd.F);
            for (int t = 0; t < n; t++) {
                acc = Simd.load(rows, rowOff + t * width + d).fma(FloatVector.broadcast(Simd.F, (float) c[cOff + t * cStride]),
                        acc);
            }
            Simd.store(acc, dst, dstOff + d);
        }
    }

    /** {@link #gatherPerKey} on float32 buffers: result_j (=|+=) Σ_i a[i][j] · rows_i, rows in the caller's layout. */
    private void gatherPerKeyFloat(double[] a, int aOff, FloatBuf rows, int base, FloatBuf result, boolean accumulate,
                                   double[] coeff, int seqLen) {
        int width = shape.width();
        for (int j = 0; j < seqLen; j++) {
            int oHi = Math.min(last, j);
            int oLo = Math.max(first, j - (seqLen - 1));
            int iLo = j - oHi;
            int n = oHi - oLo + 1;
            for (int t = 0; t < n; t++) {
                int i = iLo + t;
                coeff[t] = a[aOff + i * slots + (j - i - first)];
            }
            combine(coeff, 0, 1, rows, base + iLo * width, n, result, base + j * width, accumulate);
        }
    }

    /**
     * For every key j: result_j = Σ_i a[i][j] · rows_i over the queries i whose band holds j, where a is a
     * [T][slots] band matrix at aOff. Used for dV (a = P̃, rows = dOut) and dK (a = dS, rows = q).
     */
    private void gatherPerKey(double[] a, int aOff, double[][] rows, double[][] result, double[] coeff,
                              int seqLen, int headDim) {
        for (int j = 0; j < seqLen; j++) {
            // queries i = j − o for offsets o in the band with 0 ≤ i < T, lowest i first
            int oHi = Math.min(last, j);
            int oLo = Math.max(first, j - (seqLen - 1));
            int iLo = j - oHi;
            int n = oHi - oLo + 1;
            for (int t = 0; t < n; t++) {
                int i = iLo + t;
                coeff[t] = a[aOff + i * slots + (j - i - first)];
            }
            Arrays.fill(result[j], 0.0);
            RowKernels.combine(coeff, 0, rows, iLo, n, headDim, result[j]);
        }
    }

    /** w.dropped [T][slots] = src (at srcOff) ⊙ head bh's dropout factors, which stay in w.factors for backward. */
    /**
     * The probabilities head bh's forward applied: probs itself (head bh at pOff) without dropout; with it,
     * w.dropped (head bh at 0), filled here with the same masks on every call.
     */
    private double[] applied(boolean drop, long key, int bh, int pOff, Worker w, int seqLen) {
        if (!drop) {
            return probs;
        }
        dropOut(key, bh, probs, pOff, w, seqLen);
        return w.dropped;
    }

    private void dropOut(long key, int bh, double[] src, int srcOff, Worker w, int seqLen) {
        System.arraycopy(src, srcOff, w.dropped, 0, seqLen * slots);
        for (int i = 0; i < seqLen; i++) {
            int oLo = firstOffset(i);
            int n = lastOffset(i, seqLen) - oLo + 1;
            int at = i * slots + (oLo - first);
            dropout.factors(key, w.factors, at, n, denseIndex(bh, i, i + oLo, seqLen));
            AttentionDropout.multiply(w.dropped, at, w.factors, at, n);
        }
    }

    /** The dropout index of (head bh, query i, key j): the dense [B*H, T, T] position, as in softmax. */
    private static long denseIndex(int bh, int i, int j, int seqLen) {
        return ((long) bh * seqLen + i) * seqLen + j;
    }
}
