package org.lra.model.attention;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import org.lra.model.nn.StepContext;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.FloatBuf;
import org.lra.model.tensor.Gemm;
import org.lra.model.tensor.Precision;
import org.lra.model.tensor.Simd;

/**
 * Full softmax attention, as the reference: {@code s = q·k/√D − 1e6·(1 − mask_k)}, softmax over keys,
 * attention dropout, times V. With {@code causal} query i sees keys j ≤ i.
 *
 * <p>Tiled by query rows, so memory is O(threads · BLOCK · T), never O(B·H·T²): per (batch, head) and block of
 * {@link #BLOCK} queries, one GEMM gives the block's scores against all T keys in a [BLOCK, T] scratch of the
 * worker thread, the masked softmax and dropout run row by row in Java (float32: on the tile with the Vector
 * API; float64: {@link MaskedSoftmax} on double rows; dropout by {@link AttentionDropout}), and a second GEMM
 * multiplies by V. Each row sees all its keys at once, so its
 * softmax is exact, with no running rescaling. Backward keeps nothing from forward: it recomputes each block's
 * scores and probabilities with the same code (so bit-identical), rebuilds the dropout factors from their
 * counter keys, and accumulates dK and dV over the query blocks. That costs one more score GEMM and softmax per
 * block than keeping B·H·T² probabilities, which at T = 8192, B = 8 would be 4 GB.
 */
public final class SoftmaxAttention implements Attention {
    private final boolean causal;
    private final AttentionDropout dropout;

    /** Query rows per tile. */
    static final int BLOCK = 64;

    private AttentionShape shape;
    private Buf q;
    private Buf k;
    private Buf v;
    private Buf keyMask;
    private boolean trainedForward;
    private Worker[] workers;

    public SoftmaxAttention(boolean causal, double attentionDropout, int layerIndex) {
        this.causal = causal;
        this.dropout = new AttentionDropout(attentionDropout, layerIndex);
    }

    /** Per-thread scratch: two [BLOCK, T] tiles for the GEMMs and a few rows for the row routines. */
    private static final class Worker {
        final Buf scores;   // forward: probabilities after dropout; backward: the same, for dV
        final Buf grad;     // backward: dP, then dS
        final double[] p;
        final double[] dp;
        final double[] mask;
        final double[] factors; // one row's dropout factors
        final float[] tmp;
        final float[] penalty;       // float32 rows: 1e6·(1 − mask) per key
        final float[] floatFactors;  // float32 rows: the dropout factors

        Worker(Precision precision, int seqLen) {
            penalty = new float[seqLen];
            floatFactors = new float[seqLen];
            scores = Buf.zeros(precision, BLOCK * seqLen);
            grad = Buf.zeros(precision, BLOCK * seqLen);
            p = new double[seqLen];
            dp = new double[seqLen];
            mask = new double[seqLen];
            factors = new double[seqLen];
            tmp = new float[seqLen];
        }
    }

    private void prepare(StepContext ctx, AttentionShape shape, Precision precision) {
        int seqLen = shape.seqLen();
        int threads = ctx.pool().threads();
        if (workers == null || workers.length < threads || this.shape == null || this.shape.seqLen() != seqLen
                || workers[0].scores.precision() != precision) {
            workers = new Worker[threads];
            for (int w = 0; w < threads; w++) {
                workers[w] = new Worker(precision, seqLen);
            }
        }
        this.shape = shape;
    }

    /** Keys that query i may see: all T, or j ≤ i when causal. */
    private int keysOf(int i, int seqLen) {
        return causal ? i + 1 : seqLen;
    }

    /**
     * Rows [i0, i0 + n) of head bh: the scores in w.scores (GEMM) become probabilities p (masked softmax), then
     * P̃ = p ⊙ dropout factors written back to w.scores (zero past each row's last key). With {@code gradient}
     * (backward) w.grad holds dP̃ on entry and dS = softmax'(dP̃ ⊙ factors) on exit.
     */
    private void rows(Worker w, int bh, int i0, int n, boolean drop, long key, boolean f32, boolean gradient) {
        if (f32) {
            rowsFloat(w, bh, i0, n, drop, key, gradient);
            return;
        }
        int seqLen = shape.seqLen();
        for (int r = 0; r < n; r++) {
            int i = i0 + r;
            int keys = keysOf(i, seqLen);
            HeadIO.loadRow(w.scores, r * seqLen, w.p, 0, keys, w.tmp);
            MaskedSoftmax.forward(w.p, 0, keys, 1.0, w.mask, 0, f32);
            if (drop) {
                dropout.factors(key, w.factors, 0, keys, ((long) bh * seqLen + i) * seqLen);
            }
            if (gradient) {
                HeadIO.loadRow(w.grad, r * seqLen, w.dp, 0, keys, w.tmp);
                if (drop) {
                    AttentionDropout.multiply(w.dp, 0, w.factors, 0, keys);
                }
                MaskedSoftmax.backward(w.p, 0, w.dp, 0, keys);
                Arrays.fill(w.dp, keys, seqLen, 0.0);
                HeadIO.storeRow(w.dp, 0, w.grad, r * seqLen, seqLen, w.tmp);
            }
            if (drop) {
                AttentionDropout.multiply(w.p, 0, w.factors, 0, keys);
            }
            Arrays.fill(w.p, keys, seqLen, 0.0);
            HeadIO.storeRow(w.p, 0, w.scores, r * seqLen, seqLen, w.tmp);
        }
    }

    /**
     * {@link #rows} for float32, on the tiles directly with the Vector API: the same masked softmax (PyTorch's
     * float rounding of the penalised score, {@link MaskedSoftmax}), exponentials by {@link Simd#exp}, sums
     * reduced across lanes and finished in double. Each pass over a row is its own small method: one method
     * holding them all outgrows C2's inlining budget and boxes its vectors (see {@link Simd}).
     */
    private void rowsFloat(Worker w, int bh, int i0, int n, boolean drop, long key, boolean gradient) {
        int seqLen = shape.seqLen();
        FloatBuf sc = (FloatBuf) w.scores;
        FloatBuf gr = (FloatBuf) w.grad;
        float[] f = w.floatFactors;
        for (int r = 0; r < n; r++) {
            int i = i0 + r;
            int keys = keysOf(i, seqLen);
            int base = r * seqLen;
            float max = penaliseAndMax(sc, base, w.penalty, keys);
            float inv = (float) (1.0 / expAndSum(sc, base, keys, max));
            if (drop) {
                dropout.factors(key, f, keys, ((long) bh * seqLen + i) * seqLen);
            }
            if (gradient) {
                // dS = p ⊙ (dp − Σ p·dp), dp = dP̃ ⊙ factors
                float dot = (float) (dotDroppedGradient(gr, sc, base, keys, drop ? f : null) * inv);
                softmaxGradient(gr, sc, base, keys, drop ? f : null, inv, dot);
                gr.fill(base + keys, base + seqLen, 0.0);
            }
            // P̃ = p ⊙ factors
            normaliseAndDrop(sc, base, keys, drop ? f : null, inv);
            sc.fill(base + keys, base + seqLen, 0.0);
        }
    }

    /** s ← s − 1e6·(1 − mask) over sc[base, base + keys), in float as PyTorch; returns the row max. */
    private static float penaliseAndMax(FloatBuf sc, int base, float[] pen, int keys) {
        int vend = Simd.vectorEnd(0, keys);
        FloatVector mx = FloatVector.broadcast(Simd.F, Float.NEGATIVE_INFINITY);
        int t = 0;
        for (; t < vend; t += Simd.LANES) {
            FloatVector v = Simd.load(sc, base + t).sub(FloatVector.fromArray(Simd.F, pen, t));
            Simd.store(v, sc, base + t);
            mx = mx.max(v);
        }
        float max = mx.reduceLanes(VectorOperators.MAX);
        for (; t < keys; t++) {
            float v = sc.nio().get(base + t) - pen[t];
            sc.nio().put(base + t, v);
            max = Math.max(max, v);
        }
        return max;
    }

    /** e = exp(s − max) in place over sc[base, base + keys); returns Σ e. */
    private static double expAndSum(FloatBuf sc, int base, int keys, float max) {
        int vend = Simd.vectorEnd(0, keys);
        FloatVector sum = FloatVector.zero(Simd.F);
        int t = 0;
        for (; t < vend; t += Simd.LANES) {
            FloatVector e = Simd.exp(Simd.load(sc, base + t).sub(max));
            Simd.store(e, sc, base + t);
            sum = sum.add(e);
        }
        double total = Simd.sum(sum);
        for (; t < keys; t++) {
            float e = (float) Math.exp(sc.nio().get(base + t) - max);
            sc.nio().put(base + t, e);
            total += e;
        }
        return total;
    }

    /** Σ_t e_t · dP̃_t · f_t over the row (f null: no dropout). */
    private static double dotDroppedGradient(FloatBuf gr, FloatBuf sc, int base, int keys, float[] f) {
        int vend = Simd.vectorEnd(0, keys);
        FloatVector dotv = FloatVector.zero(Simd.F);
        int t = 0;
        for (; t < vend; t += Simd.LANES) {
            FloatVector dp = Simd.load(gr, base + t);
            if (f != null) {
                dp = dp.mul(FloatVector.fromArray(Simd.F, f, t));
            }
            dotv = dp.fma(Simd.load(sc, base + t), dotv);
        }
        double dot = Simd.sum(dotv);
        for (; t < keys; t++) {
            dot += gr.nio().get(base + t) * (f != null ? f[t] : 1f) * sc.nio().get(base + t);
        }
        return dot;
    }

    /** gr ← (e·inv) ⊙ (dP̃ ⊙ f − dot) over the row, in place. */
    private static void softmaxGradient(FloatBuf gr, FloatBuf sc, int base, int keys, float[] f, float inv, float dot) {
        int vend = Simd.vectorEnd(0, keys);
        int t = 0;
        for (; t < vend; t += Simd.LANES) {
            FloatVector dp = Simd.load(gr, base + t);
            if (f != null) {
                dp = dp.mul(FloatVector.fromArray(Simd.F, f, t));
            }
            Simd.store(Simd.load(sc, base + t).mul(inv).mul(dp.sub(dot)), gr, base + t);
        }
        for (; t < keys; t++) {
            float dp = gr.nio().get(base + t) * (f != null ? f[t] : 1f);
            gr.nio().put(base + t, sc.nio().get(base + t) * inv * (dp - dot));
        }
    }

    /** sc ← e·inv ⊙ f over the row (f null: no dropout). */
    private static void normaliseAndDrop(FloatBuf sc, int base, int keys, float[] f, float inv) {
        int vend = Simd.vectorEnd(0, keys);
        int t = 0;
        for (; t < vend; t += Simd.LANES) {
            FloatVector p = Simd.load(sc, base + t).mul(inv);
            Simd.store(f != null ? p.mul(FloatVector.fromArray(Simd.F, f, t)) : p, sc, base + t);
        }
        for (; t < keys; t++) {
            sc.nio().put(base + t, sc.nio().get(base + t) * inv * (f != null ? f[t] : 1f));
        }
    }

    /** float32 rows' additive mask penalty of sequence b's keys, from w.mask. */
    private static void penalties(Worker w, int seqLen) {
        for (int t = 0; t < seqLen; t++) {
            w.penalty[t] = (float) (MaskedSoftmax.MASK_PENALTY * (1.0 - w.mask[t]));
        }
    }

    /** q, k, v [B*T, H*D], keyMask [B*T] -> out [B*T, H*D]; nothing is kept but the inputs' references. */
    @Override
    public void forward(StepContext ctx, AttentionShape shape, Buf q, Buf k, Buf v, Buf keyMask, Buf out) {
        Precision precision = q.precision();
        prepare(ctx, shape, precision);
        this.q = q;
        this.k = k;
        this.v = v;
        this.keyMask = keyMask;
        this.trainedForward = ctx.training();
        int seqLen = shape.seqLen();
        int heads = shape.heads();
        int headDim = shape.headDim();
        int width = shape.width();
        double scale = 1.0 / Math.sqrt(headDim);
        boolean f32 = precision == Precision.FLOAT32;
        boolean drop = dropout.active(ctx);
        long key = dropout.key(ctx);
        ctx.pool().forRange(shape.batch() * heads, (chunk, from, to) -> {
            Worker w = workers[chunk];
            for (int bh = from; bh < to; bh++) {
                int b = bh / heads;
                int off = shape.headOffset(bh);
                HeadIO.loadMask(keyMask, b, seqLen, w.mask);
                penalties(w, seqLen);
                for (int i0 = 0; i0 < seqLen; i0 += BLOCK) {
                    int n = Math.min(BLOCK, seqLen - i0);
                    int rowOff = off + i0 * width;
                    // scores [n, T] = q_block k_bhᵀ / √D
                    Gemm.gemm(false, true, n, seqLen, headDim, scale, q, rowOff, width, k, off, width,
                            0.0, w.scores, 0, seqLen);
                    rows(w, bh, i0, n, drop, key, f32, false);
                    // out_block [n, D] = P̃ v_bh
                    Gemm.gemm(false, false, n, headDim, seqLen, 1.0, w.scores, 0, seqLen, v, off, width,
                            0.0, out, rowOff, width);
                }
            }
        });
    }

    @Override
    public void backward(StepContext ctx, Buf dOut, Buf dq, Buf dk, Buf dv) {
        if (!trainedForward) {
            throw new IllegalStateException("softmax backward needs a forward with ctx.training() = true");
        }
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
                int off = shape.headOffset(bh);
                HeadIO.loadMask(keyMask, b, seqLen, w.mask);
                penalties(w, seqLen);
                for (int i0 = 0; i0 < seqLen; i0 += BLOCK) {
                    int n = Math.min(BLOCK, seqLen - i0);
                    int rowOff = off + i0 * width;
                    double beta = i0 == 0 ? 0.0 : 1.0; // dK, dV: the first block writes, later ones add
                    Gemm.gemm(false, true, n, seqLen, headDim, scale, q, rowOff, width, k, off, width,
                            0.0, w.scores, 0, seqLen);
                    // dP̃ [n, T] = dOut_block v_bhᵀ
                    Gemm.gemm(false, true, n, seqLen, headDim, 1.0, dOut, rowOff, width, v, off, width,
                            0.0, w.grad, 0, seqLen);
                    rows(w, bh, i0, n, drop, key, f32, true);
                    // dv_bh += P̃ᵀ dOut_block; dq_block = dS k_bh / √D; dk_bh += dSᵀ q_block / √D
                    Gemm.gemm(true, false, seqLen, headDim, n, 1.0, w.scores, 0, seqLen, dOut, rowOff, width,
                            beta, dv, off, width);
                    Gemm.gemm(false, false, n, headDim, seqLen, scale, w.grad, 0, seqLen, k, off, width,
                            0.0, dq, rowOff, width);
                    Gemm.gemm(true, false, seqLen, headDim, n, scale, w.grad, 0, seqLen, q, rowOff, width,
                            beta, dk, off, width);
                }
            }
        });
    }
}
