package org.lra.model.attention;

import java.nio.FloatBuffer;
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
 * causal).
 *
 * <p>float32 heads of whole SIMD vectors run on the projections' own [B*T, H*D] layout with the Vector API. A
 * query's row has W rounded up to whole vectors ("stride" lanes), lane t for key i − (k − 1) + t. The head's keys
 * (forward) or values (backward, for dP) are transposed once into [D][T] with zero pads, so that a query's band
 * of scores is Σ_d q_id · (row d of the transpose at i − k + 1): vertical FMAs, no horizontal sum per key. The
 * softmax runs on the row's vectors; lanes outside the band or the sequence get a penalty so far below any score
 * that exp gives exactly 0, so they add nothing anywhere after. Attention dropout factors are drawn once in
 * forward and kept for backward. out, dQ, dK and dV are {@code combine}s of up to W rows of the caller's buffers;
 * dK and dV are gathered per key (Σ over the queries that see it) rather than scattered, so each output row is
 * written once. Kept: probabilities, dropout factors, dropped probabilities and the backward's dS, 4·B·H·T·stride
 * floats.
 *
 * <p>Otherwise (float64) each head is copied into jagged rows {@code double[T][D]}: scores and dP are
 * {@link RowKernels#dots} of one row against W rows, the rest {@link RowKernels#combine}s, and the probabilities
 * before dropout are kept as B·H·T·W doubles.
 */
public final class BandAttention implements Attention {
    private final int bandwidth;
    private final AttentionDropout dropout;
    /** Offsets o = j − i of the band: [first, last]; slot = o − first. */
    private final int first;
    private final int last;
    private final int slots;
    /** float32 path: lanes per query row, slots rounded up to whole SIMD vectors. */
    private final int stride;
    /** float32 path: [stride] 0 for the band's slots, OUTSIDE for the lanes past them. */
    private final float[] lanePenalty;

    // From the last forward; backward reads the same inputs (the caller keeps them unchanged).
    private AttentionShape shape;
    private Buf q;
    private Buf k;
    private Buf v;
    /** float64 path: softmax probabilities before dropout, [B*H][T][slots]. */
    private double[] probs;
    /** float32 path, [B*H][T][stride]: softmax probabilities before dropout. */
    private float[] fProbs;
    /** float32 path with dropout, [B*H][T][stride]: the dropout factors drawn in forward, for backward. */
    private float[] fKeep;
    /** float32 path, [B*H][T][stride]: the probabilities applied, after dropout (fProbs itself without). */
    private float[] fDropped;
    private float[] fDroppedStore;
    /** float32 path, backward, [B*H][T][stride]: dP, then dS (allocated by the first backward). */
    private float[] fGrad;
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
        this.stride = (slots + Simd.LANES - 1) / Simd.LANES * Simd.LANES;
        this.lanePenalty = new float[stride];
        Arrays.fill(lanePenalty, slots, stride, OUTSIDE);
    }

    public int bandwidth() {
        return bandwidth;
    }

    /** Score penalty of a lane outside the band or the sequence: far below any masked score, so exp gives 0. */
    private static final float OUTSIDE = 1e30f;

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
        final double[] gradRows; // [T][slots]: dP, then dS
        final double[] factors; // [T][slots]: dropout factors of this head (float32: one row's)
        final double[] coeff;   // one key's coefficients gathered across queries
        final double[] mask;
        final double[] row;
        final float[] tmp;
        // float32 path
        final float[] colsT;   // [D][pad + T + pad], pad = stride: k (forward) or v (backward) transposed
        final float[] penalty; // [pad + T + pad]: the key mask's score penalty, OUTSIDE in the pads
        final float[] vecRow;  // [D]: one query's row

        /**
         * {@code headRows}: the jagged copies of a head, which only the scalar (float64) path uses; otherwise the
         * float32 path's scratch.
         */
        Worker(int seqLen, int headDim, int width, int slots, int stride, boolean headRows) {
            int rows = headRows ? seqLen : 0;
            int cols = headRows ? 0 : seqLen + 2 * stride;
            colsT = new float[headDim * cols];
            penalty = new float[cols];
            Arrays.fill(penalty, OUTSIDE);
            vecRow = new float[headDim];
            int band = headRows ? seqLen * slots : 0;
            q = new double[rows][headDim];
            k = new double[rows][headDim];
            v = new double[rows][headDim];
            x = new double[rows][headDim];
            dq = new double[rows][headDim];
            dk = new double[rows][headDim];
            dv = new double[rows][headDim];
            dropped = new double[band];
            gradRows = new double[band];
            factors = new double[Math.max(band, slots)];
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

    private void prepare(StepContext ctx, AttentionShape shape, boolean simd, boolean drop) {
        int rows = shape.batch() * shape.heads() * shape.seqLen();
        if (simd) {
            probs = null;
            if (fProbs == null || fProbs.length < rows * stride) {
                fProbs = new float[rows * stride];
            }
            if (drop && (fKeep == null || fKeep.length != fProbs.length)) {
                fKeep = new float[fProbs.length];
                fDroppedStore = new float[fProbs.length];
            }
            fDropped = drop ? fDroppedStore : fProbs;
        } else {
            fProbs = fKeep = fDropped = fDroppedStore = fGrad = null;
            if (probs == null || probs.length < rows * slots) {
                probs = new double[rows * slots];
            }
        }
        int threads = ctx.pool().threads();
        if (workers == null || workers.length < threads || this.shape == null
                || this.shape.seqLen() != shape.seqLen() || this.shape.headDim() != shape.headDim()
                || (workers[0].q.length == 0) != simd) {
            workers = new Worker[threads];
            for (int w = 0; w < threads; w++) {
                workers[w] = new Worker(shape.seqLen(), shape.headDim(), shape.width(), slots, stride, !simd);
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
        boolean drop = dropout.active(ctx);
        prepare(ctx, shape, simd, drop);
        this.q = q;
        this.k = k;
        this.v = v;
        int seqLen = shape.seqLen();
        int heads = shape.heads();
        int headDim = shape.headDim();
        int width = shape.width();
        double scale = 1.0 / Math.sqrt(headDim);
        boolean f32 = q.precision() == Precision.FLOAT32;
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
            backwardFloat(ctx, (FloatBuf) dOut, (FloatBuf) dq, (FloatBuf) dk, (FloatBuf) dv, accumulate, scale, drop);
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
                    RowKernels.dots(w.x[i], w.v, i + oLo, n, headDim, w.gradRows, at);
                    if (drop) {
                        AttentionDropout.multiply(w.gradRows, at, w.factors, at, n);
                    }
                    MaskedSoftmax.backward(probs, pOff + at, w.gradRows, at, n);
                    for (int t = at; t < at + n; t++) {
                        w.gradRows[t] *= scale;
                    }
                    // dq_i = Σ_j dS_ij k_j
                    Arrays.fill(w.dq[i], 0.0);
                    RowKernels.combine(w.gradRows, at, w.k, i + oLo, n, headDim, w.dq[i]);
                }
                // dk_j = Σ_i dS_ij q_i
                gatherPerKey(w.gradRows, 0, w.q, w.dk, w.coeff, seqLen, headDim);
                HeadIO.storeHead(w.dq, dq, row0, width, col0, seqLen, headDim, accumulate, w.row, w.tmp);
                HeadIO.storeHead(w.dk, dk, row0, width, col0, seqLen, headDim, accumulate, w.row, w.tmp);
                HeadIO.storeHead(w.dv, dv, row0, width, col0, seqLen, headDim, accumulate, w.row, w.tmp);
            }
        });
    }

    /**
     * {@link #forward} on float32 buffers: head bh's rows are read and written in place in [B*T, H*D]. Each pass
     * is its own loop over the heads, so that C2 compiles each kernel whole (see {@link Simd}).
     */
    private void forwardFloat(StepContext ctx, FloatBuf mask, FloatBuf out, double scale, boolean drop, long key) {
        int seqLen = shape.seqLen();
        int heads = shape.heads();
        int width = shape.width();
        int bhCount = shape.batch() * heads;
        float scaleF = (float) scale;
        FloatBuf fq = (FloatBuf) q;
        FloatBuf fk = (FloatBuf) k;
        FloatBuf fv = (FloatBuf) v;
        // scores: S_ij = q_i · k_j on the band, scaled and masked
        ctx.pool().forRange(bhCount, (chunk, from, to) -> {
            Worker w = workers[chunk];
            for (int bh = from; bh < to; bh++) {
                int base = shape.headOffset(bh); // row t of the head at base + t * width
                int pOff = bh * seqLen * stride;
                transposeHead(fk, base, w.colsT, w.vecRow);
                penalties(mask, (bh / heads) * seqLen, w.penalty);
                for (int i = 0; i < seqLen; i++) {
                    bandDots(fq, base + i * width, w, i, fProbs, pOff + i * stride);
                }
                for (int i = 0; i < seqLen; i++) {
                    maskScores(fProbs, pOff + i * stride, w.penalty, i, scaleF);
                }
            }
        });
        ctx.pool().forRange(bhCount * seqLen, (chunk, from, to) -> {
            for (int row = from; row < to; row++) {
                softmaxRow(fProbs, row * stride);
            }
        });
        if (drop) {
            ctx.pool().forRange(bhCount, (chunk, from, to) -> {
                Worker w = workers[chunk];
                for (int bh = from; bh < to; bh++) {
                    for (int i = 0; i < seqLen; i++) {
                        dropRow(key, bh, i, (bh * seqLen + i) * stride, w);
                    }
                }
            });
        }
        // out_i = Σ_j P̃_ij v_j
        ctx.pool().forRange(bhCount, (chunk, from, to) -> {
            for (int bh = from; bh < to; bh++) {
                int base = shape.headOffset(bh);
                int pOff = bh * seqLen * stride;
                for (int i = 0; i < seqLen; i++) {
                    int oLo = firstOffset(i);
                    int n = lastOffset(i, seqLen) - oLo + 1;
                    combine(fDropped, pOff + i * stride + (oLo - first), 1, fv, base + (i + oLo) * width, n, out,
                            base + i * width, false);
                }
            }
        });
    }

    /** {@link #backward} on float32 buffers, in the caller's layout; passes as in {@link #forwardFloat}. */
    private void backwardFloat(StepContext ctx, FloatBuf dOut, FloatBuf dq, FloatBuf dk, FloatBuf dv,
                               boolean accumulate, double scale, boolean drop) {
        int seqLen = shape.seqLen();
        int heads = shape.heads();
        int width = shape.width();
        int bhCount = shape.batch() * heads;
        float scaleF = (float) scale;
        FloatBuf fq = (FloatBuf) q;
        FloatBuf fk = (FloatBuf) k;
        FloatBuf fv = (FloatBuf) v;
        if (fGrad == null || fGrad.length < bhCount * seqLen * stride) {
            fGrad = new float[bhCount * seqLen * stride];
        }
        // dv_j = Σ_i P̃_ij dOut_i
        ctx.pool().forRange(bhCount, (chunk, from, to) -> {
            for (int bh = from; bh < to; bh++) {
                gatherPerKeyFloat(fDropped, bh * seqLen * stride, dOut, shape.headOffset(bh), dv, accumulate);
            }
        });
        // dP = dOut·Vᵀ on the band
        ctx.pool().forRange(bhCount, (chunk, from, to) -> {
            Worker w = workers[chunk];
            for (int bh = from; bh < to; bh++) {
                int base = shape.headOffset(bh);
                int pOff = bh * seqLen * stride;
                transposeHead(fv, base, w.colsT, w.vecRow);
                for (int i = 0; i < seqLen; i++) {
                    bandDots(dOut, base + i * width, w, i, fGrad, pOff + i * stride);
                }
            }
        });
        // back through dropout and softmax, scaled by 1/√D: dS
        ctx.pool().forRange(bhCount * seqLen, (chunk, from, to) -> {
            for (int row = from; row < to; row++) {
                softmaxBackwardRow(fGrad, row * stride, drop, scaleF);
            }
        });
        // dq_i = Σ_j dS_ij k_j
        ctx.pool().forRange(bhCount, (chunk, from, to) -> {
            for (int bh = from; bh < to; bh++) {
                int base = shape.headOffset(bh);
                int pOff = bh * seqLen * stride;
                for (int i = 0; i < seqLen; i++) {
                    int oLo = firstOffset(i);
                    int n = lastOffset(i, seqLen) - oLo + 1;
                    combine(fGrad, pOff + i * stride + (oLo - first), 1, fk, base + (i + oLo) * width, n, dq,
                            base + i * width, accumulate);
                }
            }
        });
        // dk_j = Σ_i dS_ij q_i
        ctx.pool().forRange(bhCount, (chunk, from, to) -> {
            for (int bh = from; bh < to; bh++) {
                gatherPerKeyFloat(fGrad, bh * seqLen * stride, fq, shape.headOffset(bh), dk, accumulate);
            }
        });
    }

    /** colsT [D][pad + T + pad] (pads stay 0) = the head at base of x [B*T, H*D], transposed. */
    private void transposeHead(FloatBuf x, int base, float[] colsT, float[] row) {
        int seqLen = shape.seqLen();
        int headDim = shape.headDim();
        int width = shape.width();
        int cols = seqLen + 2 * stride;
        FloatBuffer nio = x.nio();
        for (int t = 0; t < seqLen; t++) {
            nio.get(base + t * width, row, 0, headDim);
            for (int d = 0; d < headDim; d++) {
                colsT[d * cols + stride + t] = row[d];
            }
        }
    }

    /** penalty [pad + T + pad]: 1e6·(1 − mask_j) for the sequence's keys (at row0 of mask), OUTSIDE in the pads. */
    private void penalties(FloatBuf mask, int row0, float[] penalty) {
        int seqLen = shape.seqLen();
        FloatBuffer nio = mask.nio();
        for (int j = 0; j < seqLen; j++) {
            penalty[stride + j] = (float) (MaskedSoftmax.MASK_PENALTY * (1.0 - nio.get(row0 + j)));
        }
    }

    /**
     * out[at + t] = a · x_{i + first + t} for the stride lanes t of query i's band, a the row of D floats at aOff
     * and x the head transposed in w.colsT: per lane a vertical sum over d, no horizontal reduction. Lanes
     * outside the sequence read the zero pads.
     */
    private void bandDots(FloatBuf a, int aOff, Worker w, int i, float[] out, int at) {
        int headDim = shape.headDim();
        int cols = shape.seqLen() + 2 * stride;
        float[] row = w.vecRow;
        float[] colsT = w.colsT;
        a.nio().get(aOff, row, 0, headDim);
        int col = stride + i + first;
        for (int lane = 0; lane < stride; lane += Simd.LANES) {
            // four partial sums (d mod 4): one chain would wait out every FMA's latency
            FloatVector acc0 = FloatVector.zero(Simd.F);
            FloatVector acc1 = FloatVector.zero(Simd.F);
            FloatVector acc2 = FloatVector.zero(Simd.F);
            FloatVector acc3 = FloatVector.zero(Simd.F);
            for (int d = 0; d < headDim; d += 4) {
                int c = d * cols + col + lane;
                acc0 = FloatVector.fromArray(Simd.F, colsT, c).fma(FloatVector.broadcast(Simd.F, row[d]), acc0);
                acc1 = FloatVector.fromArray(Simd.F, colsT, c + cols)
                        .fma(FloatVector.broadcast(Simd.F, row[d + 1]), acc1);
                acc2 = FloatVector.fromArray(Simd.F, colsT, c + 2 * cols)
                        .fma(FloatVector.broadcast(Simd.F, row[d + 2]), acc2);
                acc3 = FloatVector.fromArray(Simd.F, colsT, c + 3 * cols)
                        .fma(FloatVector.broadcast(Simd.F, row[d + 3]), acc3);
            }
            acc0.add(acc1).add(acc2.add(acc3)).intoArray(out, at + lane);
        }
    }

    /**
     * In place on query i's stride lanes at s[at]: s ← scale·s − penalty of the key. Lanes beyond the band or the
     * sequence get about −OUTSIDE, so the softmax gives them exactly 0 (Simd.exp underflows to 0).
     */
    private void maskScores(float[] s, int at, float[] penalty, int i, float scale) {
        FloatVector scaleV = FloatVector.broadcast(Simd.F, scale);
        int col = stride + i + first;
        for (int lane = 0; lane < stride; lane += Simd.LANES) {
            FloatVector.fromArray(Simd.F, s, at + lane).mul(scaleV)
                    .sub(FloatVector.fromArray(Simd.F, penalty, col + lane))
                    .sub(FloatVector.fromArray(Simd.F, lanePenalty, lane))
                    .intoArray(s, at + lane);
        }
    }

    /** In place on the stride lanes at s[at]: masked scores → their softmax. */
    private void softmaxRow(float[] s, int at) {
        float max = max(s, at);
        FloatVector maxV = FloatVector.broadcast(Simd.F, max);
        for (int lane = 0; lane < stride; lane += Simd.LANES) {
            Simd.exp(FloatVector.fromArray(Simd.F, s, at + lane).sub(maxV)).intoArray(s, at + lane);
        }
        FloatVector inv = FloatVector.broadcast(Simd.F, 1f / sum(s, at));
        for (int lane = 0; lane < stride; lane += Simd.LANES) {
            FloatVector.fromArray(Simd.F, s, at + lane).mul(inv).intoArray(s, at + lane);
        }
    }

    // Reductions over a row's stride lanes with four partial results: one chain would wait out every step's latency.

    private float max(float[] s, int at) {
        float m0 = s[at], m1 = s[at + 1], m2 = s[at + 2], m3 = s[at + 3];
        for (int t = 4; t < stride; t += 4) {
            m0 = Math.max(m0, s[at + t]);
            m1 = Math.max(m1, s[at + t + 1]);
            m2 = Math.max(m2, s[at + t + 2]);
            m3 = Math.max(m3, s[at + t + 3]);
        }
        return Math.max(Math.max(m0, m1), Math.max(m2, m3));
    }

    /** Σ_t a[aAt + t]·b[bAt + t] over the stride lanes, in a fixed order. */
    private float dot(float[] a, int aAt, float[] b, int bAt) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (int t = 0; t < stride; t += 4) {
            s0 += a[aAt + t] * b[bAt + t];
            s1 += a[aAt + t + 1] * b[bAt + t + 1];
            s2 += a[aAt + t + 2] * b[bAt + t + 2];
            s3 += a[aAt + t + 3] * b[bAt + t + 3];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Σ of the stride floats at s[at], in a fixed order. */
    private float sum(float[] s, int at) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (int t = 0; t < stride; t += 4) {
            s0 += s[at + t];
            s1 += s[at + t + 1];
            s2 += s[at + t + 2];
            s3 += s[at + t + 3];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * One query's dP row at g[at] (stride lanes) becomes dS = P ⊙ (dP̃ − Σ P·dP̃)·scale in place, dP̃ = dP ⊙ the
     * forward's dropout factors; P at fProbs[at]. Lanes outside the band have P = 0 and so dS = 0.
     */
    private void softmaxBackwardRow(float[] g, int at, boolean drop, float scale) {
        int pAt = at;
        if (drop) {
            for (int lane = 0; lane < stride; lane += Simd.LANES) {
                FloatVector.fromArray(Simd.F, g, at + lane).mul(FloatVector.fromArray(Simd.F, fKeep, pAt + lane))
                        .intoArray(g, at + lane);
            }
        }
        FloatVector dotV = FloatVector.broadcast(Simd.F, dot(fProbs, pAt, g, at));
        FloatVector scaleV = FloatVector.broadcast(Simd.F, scale);
        for (int lane = 0; lane < stride; lane += Simd.LANES) {
            FloatVector.fromArray(Simd.F, g, at + lane).sub(dotV)
                    .mul(FloatVector.fromArray(Simd.F, fProbs, pAt + lane)).mul(scaleV)
                    .intoArray(g, at + lane);
        }
    }

    /**
     * Draws query i's attention-dropout factors once: fKeep[at] (0 or 1/(1−p); 0 outside the band) for backward,
     * and fDropped[at] = fProbs[at] ⊙ them.
     */
    private void dropRow(long key, int bh, int i, int at, Worker w) {
        int seqLen = shape.seqLen();
        int oLo = firstOffset(i);
        int n = lastOffset(i, seqLen) - oLo + 1;
        dropout.factors(key, w.factors, 0, n, denseIndex(bh, i, i + oLo, seqLen));
        Arrays.fill(fKeep, at, at + stride, 0f);
        for (int t = 0; t < n; t++) {
            fKeep[at + (oLo - first) + t] = (float) w.factors[t];
        }
        for (int lane = 0; lane < stride; lane += Simd.LANES) {
            FloatVector.fromArray(Simd.F, fProbs, at + lane).mul(FloatVector.fromArray(Simd.F, fKeep, at + lane))
                    .intoArray(fDropped, at + lane);
        }
    }

    /**
     * dst row (D wide at dstOff) = (or += with accumulate) Σ_t c[cOff + t·cStride] · row t of rows (at
     * rowOff + t * width), t &lt; n.
     */
    private void combine(float[] c, int cOff, int cStride, FloatBuf rows, int rowOff, int n, FloatBuf dst,
                         int dstOff, boolean accumulate) {
        int headDim = shape.headDim();
        int width = shape.width();
        int d = 0;
        // two vectors of the row at a time, each in two chains (even and odd t): one chain would wait out every
        // FMA's latency, and the coefficient's broadcast serves both vectors
        for (; d + 2 * Simd.LANES <= headDim; d += 2 * Simd.LANES) {
            FloatVector even0 = accumulate ? Simd.load(dst, dstOff + d) : FloatVector.zero(Simd.F);
            FloatVector even1 = accumulate ? Simd.load(dst, dstOff + d + Simd.LANES) : FloatVector.zero(Simd.F);
            FloatVector odd0 = FloatVector.zero(Simd.F);
            FloatVector odd1 = FloatVector.zero(Simd.F);
            int t = 0;
            for (; t + 2 <= n; t += 2) {
                int r = rowOff + t * width + d;
                FloatVector ce = FloatVector.broadcast(Simd.F, c[cOff + t * cStride]);
                FloatVector co = FloatVector.broadcast(Simd.F, c[cOff + (t + 1) * cStride]);
                even0 = Simd.load(rows, r).fma(ce, even0);
                even1 = Simd.load(rows, r + Simd.LANES).fma(ce, even1);
                odd0 = Simd.load(rows, r + width).fma(co, odd0);
                odd1 = Simd.load(rows, r + width + Simd.LANES).fma(co, odd1);
            }
            if (t < n) {
                int r = rowOff + t * width + d;
                FloatVector ce = FloatVector.broadcast(Simd.F, c[cOff + t * cStride]);
                even0 = Simd.load(rows, r).fma(ce, even0);
                even1 = Simd.load(rows, r + Simd.LANES).fma(ce, even1);
            }
            Simd.store(even0.add(odd0), dst, dstOff + d);
            Simd.store(even1.add(odd1), dst, dstOff + d + Simd.LANES);
        }
        if (d < headDim) { // one vector left
            FloatVector even = accumulate ? Simd.load(dst, dstOff + d) : FloatVector.zero(Simd.F);
            FloatVector odd = FloatVector.zero(Simd.F);
            int t = 0;
            for (; t + 2 <= n; t += 2) {
                int r = rowOff + t * width + d;
                even = Simd.load(rows, r).fma(FloatVector.broadcast(Simd.F, c[cOff + t * cStride]), even);
                odd = Simd.load(rows, r + width).fma(FloatVector.broadcast(Simd.F, c[cOff + (t + 1) * cStride]),
                        odd);
            }
            if (t < n) {
                even = Simd.load(rows, rowOff + t * width + d).fma(FloatVector.broadcast(Simd.F, c[cOff + t * cStride]),
                        even);
            }
            Simd.store(even.add(odd), dst, dstOff + d);
        }
    }

    /**
     * result_j (=|+=) Σ_i a[i][j] · rows_i over the queries i whose band holds j, a a [T][stride] band matrix
     * at aOff and rows in the caller's layout: dV (a = P̃, rows = dOut) and dK (a = dS, rows = q).
     */
    private void gatherPerKeyFloat(float[] a, int aOff, FloatBuf rows, int base, FloatBuf result,
                                   boolean accumulate) {
        int seqLen = shape.seqLen();
        int width = shape.width();
        for (int j = 0; j < seqLen; j++) {
            // queries i = j − o for offsets o in the band with 0 ≤ i < T, lowest i first; a[i][j − i − first]
            int oHi = Math.min(last, j);
            int oLo = Math.max(first, j - (seqLen - 1));
            int iLo = j - oHi;
            int n = oHi - oLo + 1;
            combine(a, aOff + iLo * stride + (oHi - first), stride - 1, rows, base + iLo * width, n, result,
                    base + j * width, accumulate);
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

    /**
     * float64 path: the probabilities head bh's forward applied: probs itself (head bh at pOff) without dropout;
     * with it, w.dropped (head bh at 0), filled here with the same masks on every call.
     */
    private double[] applied(boolean drop, long key, int bh, int pOff, Worker w, int seqLen) {
        if (!drop) {
            return probs;
        }
        dropOut(key, bh, probs, pOff, w, seqLen);
        return w.dropped;
    }

    /** w.dropped [T][slots] = src (at srcOff) ⊙ head bh's dropout factors, which stay in w.factors for backward. */
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
