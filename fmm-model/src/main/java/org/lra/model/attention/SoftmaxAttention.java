package org.lra.model.attention;

import java.util.Arrays;
import org.lra.model.nn.StepContext;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Gemm;
import org.lra.model.tensor.Precision;

/**
 * Full softmax attention, as the reference: {@code s = q·k/√D − 1e6·(1 − mask_k)}, softmax over keys,
 * attention dropout, times V. With {@code causal} query i sees keys j ≤ i.
 *
 * <p>Per (batch, head) the scores go through one GEMM into a [T, T] scratch of the worker thread, the
 * masked softmax and dropout run row by row in Java ({@link MaskedSoftmax}, {@link AttentionDropout}),
 * and a second GEMM multiplies by V. Training keeps the probabilities before dropout, B·H·T·T numbers in
 * the model precision (268 MB in float32 at B=8, H=2, T=2048); backward reuses them instead of
 * recomputing the scores and exponentials, which would cost about a third more time.
 */
public final class SoftmaxAttention implements Attention {
    private final boolean causal;
    private final AttentionDropout dropout;

    private AttentionShape shape;
    private Buf q;
    private Buf k;
    private Buf v;
    /**
     * Probabilities before dropout, [B*H, T, T]; filled only by a training forward. With dropout on, a dropped
     * entry is stored negated ({@link AttentionDropout#signByKeep}) so that backward reads the mask from the
     * sign instead of re-mixing T² counter draws per head.
     */
    private Buf probs;
    private boolean probsValid;
    private Worker[] workers;

    public SoftmaxAttention(boolean causal, double attentionDropout, int layerIndex) {
        this.causal = causal;
        this.dropout = new AttentionDropout(attentionDropout, layerIndex);
    }

    /** Per-thread scratch: two [T, T] matrices for the GEMMs and a few rows for the row routines. */
    private static final class Worker {
        final Buf scores;   // forward: probabilities after dropout; backward: the same, for dV
        final Buf grad;     // backward: dP, then dS
        final double[] p;
        final double[] dp;
        final double[] mask;
        final double[] factors; // one row's dropout factors
        final float[] tmp;

        Worker(Precision precision, int seqLen) {
            scores = Buf.zeros(precision, seqLen * seqLen);
            grad = Buf.zeros(precision, seqLen * seqLen);
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
        if (ctx.training()) {
            long need = (long) shape.batch() * shape.heads() * seqLen * seqLen;
            if (need > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("softmax attention keeps B*H*T*T probabilities for backward; "
                        + need + " exceeds one buffer (2^31 - 1): reduce batch or sequence length");
            }
            probs = Buf.ensure(probs, precision, (int) need);
        }
        this.shape = shape;
    }

    /** Keys that query i may see: all T, or j ≤ i when causal. */
    private int keysOf(int i, int seqLen) {
        return causal ? i + 1 : seqLen;
    }

    /** q, k, v [B*T, H*D], keyMask [B*T] -> out [B*T, H*D]; training keeps probabilities [B*H, T, T]. */
    @Override
    public void forward(StepContext ctx, AttentionShape shape, Buf q, Buf k, Buf v, Buf keyMask, Buf out) {
        Precision precision = q.precision();
        prepare(ctx, shape, precision);
        this.q = q;
        this.k = k;
        this.v = v;
        this.probsValid = ctx.training();
        int seqLen = shape.seqLen();
        int heads = shape.heads();
        int headDim = shape.headDim();
        int width = shape.width();
        double scale = 1.0 / Math.sqrt(headDim);
        boolean f32 = precision == Precision.FLOAT32;
        boolean drop = dropout.active(ctx);
        long key = dropout.key(ctx);
        boolean keep = ctx.training();
        ctx.pool().forRange(shape.batch() * heads, (chunk, from, to) -> {
            Worker w = workers[chunk];
            for (int bh = from; bh < to; bh++) {
                int b = bh / heads;
                int off = b * seqLen * width + (bh % heads) * headDim;
                HeadIO.loadMask(keyMask, b, seqLen, w.mask);
                // scores [T, T] = q_bh k_bhᵀ / √D
                Gemm.gemm(false, true, seqLen, seqLen, headDim, scale, q, off, width, k, off, width,
                        0.0, w.scores, 0, seqLen);
                for (int i = 0; i < seqLen; i++) {
                    int n = keysOf(i, seqLen);
                    HeadIO.loadRow(w.scores, i * seqLen, w.p, 0, n, w.tmp);
                    MaskedSoftmax.forward(w.p, 0, n, 1.0, w.mask, 0, f32);
                    Arrays.fill(w.p, n, seqLen, 0.0);
                    long rowIndex = ((long) bh * seqLen + i) * seqLen;
                    if (drop) {
                        dropout.factors(key, w.factors, 0, n, rowIndex);
                        AttentionDropout.signByKeep(w.p, w.factors, w.dp, n);
                        HeadIO.storeRow(w.dp, 0, probs, (int) rowIndex, seqLen, w.tmp);
                        AttentionDropout.multiply(w.p, 0, w.factors, 0, n);
                    } else if (keep) {
                        HeadIO.storeRow(w.p, 0, probs, (int) rowIndex, seqLen, w.tmp);
                    }
                    HeadIO.storeRow(w.p, 0, w.scores, i * seqLen, seqLen, w.tmp);
                }
                // out_bh [T, D] = P̃ v_bh
                Gemm.gemm(false, false, seqLen, headDim, seqLen, 1.0, w.scores, 0, seqLen, v, off, width,
                        0.0, out, off, width);
            }
        });
    }

    @Override
    public void backward(StepContext ctx, Buf dOut, Buf dq, Buf dk, Buf dv) {
        if (!probsValid) {
            throw new IllegalStateException("softmax backward needs a forward with ctx.training() = true");
        }
        int seqLen = shape.seqLen();
        int heads = shape.heads();
        int headDim = shape.headDim();
        int width = shape.width();
        double scale = 1.0 / Math.sqrt(headDim);
        boolean drop = dropout.active(ctx);
        ctx.pool().forRange(shape.batch() * heads, (chunk, from, to) -> {
            Worker w = workers[chunk];
            for (int bh = from; bh < to; bh++) {
                int off = (bh / heads) * seqLen * width + (bh % heads) * headDim;
                // dP̃ [T, T] = dOut_bh v_bhᵀ
                Gemm.gemm(false, true, seqLen, seqLen, headDim, 1.0, dOut, off, width, v, off, width,
                        0.0, w.grad, 0, seqLen);
                for (int i = 0; i < seqLen; i++) {
                    int n = keysOf(i, seqLen);
                    long rowIndex = ((long) bh * seqLen + i) * seqLen;
                    HeadIO.loadRow(probs, (int) rowIndex, w.p, 0, n, w.tmp);
                    HeadIO.loadRow(w.grad, i * seqLen, w.dp, 0, n, w.tmp);
                    if (drop) {
                        dropout.unsign(w.p, w.factors, n);
                        AttentionDropout.multiply(w.dp, 0, w.factors, 0, n);
                    }
                    MaskedSoftmax.backward(w.p, 0, w.dp, 0, n);
                    Arrays.fill(w.dp, n, seqLen, 0.0);
                    HeadIO.storeRow(w.dp, 0, w.grad, i * seqLen, seqLen, w.tmp);
                    // P̃ for dV: the forward's dropped-out probabilities, rebuilt from P and the mask.
                    if (drop) {
                        AttentionDropout.multiply(w.p, 0, w.factors, 0, n);
                    }
                    Arrays.fill(w.p, n, seqLen, 0.0);
                    HeadIO.storeRow(w.p, 0, w.scores, i * seqLen, seqLen, w.tmp);
                }
                // dv_bh = P̃ᵀ dOut_bh; dq_bh = dS k_bh / √D; dk_bh = dSᵀ q_bh / √D
                Gemm.gemm(true, false, seqLen, headDim, seqLen, 1.0, w.scores, 0, seqLen, dOut, off, width,
                        0.0, dv, off, width);
                Gemm.gemm(false, false, seqLen, headDim, seqLen, scale, w.grad, 0, seqLen, k, off, width,
                        0.0, dq, off, width);
                Gemm.gemm(true, false, seqLen, headDim, seqLen, scale, w.grad, 0, seqLen, q, off, width,
                        0.0, dk, off, width);
            }
        });
    }
}
