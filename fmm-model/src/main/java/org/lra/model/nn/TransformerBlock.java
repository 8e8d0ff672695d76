package org.lra.model.nn;

import org.lra.model.attention.Attention;
import org.lra.model.attention.AttentionShape;
import org.lra.model.config.ModelConfig;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Parameters;
import org.lra.model.tensor.Precision;

/**
 * One pre-LN transformer block (docs/reference.md §1.2):
 * <pre>
 *   x1 = x  + Dropout(Wo · Attn(Wq·LN1(x), Wk·LN1(x), Wv·LN1(x), mask))
 *   x2 = x1 + Dropout(W2 · Dropout(GELU(W1 · LN2(x1))))
 * </pre>
 * A training forward keeps what backward needs in this block's own {@link Activations}, reused across steps (grown
 * only when B*T grows); gradient buffers are shared by all blocks through {@link Scratch}. An evaluation forward
 * ({@code ctx.training()} false) runs the same kernels in the same order on the same values but keeps nothing: every
 * block works in one shared set (the first block's own, lent through the Scratch, so that a training process
 * allocates nothing more for its evaluations), the residual stream is updated in place, both LayerNorms write one
 * buffer, GELU runs in place and keeps no CDF, and dropout (identity) is skipped.
 */
public final class TransformerBlock {

    /** Buffers that live only within one block's forward or backward; one set serves every block. */
    public static final class Scratch {
        Buf tmp;     // [rows, C]: Wo / W2 outputs in forward; dropout gradients in backward
        Buf dNorm;   // [rows, C]: gradient at an LN output
        Buf dAttn;   // [rows, H*D]: gradient at the attention output
        Buf dq;
        Buf dk;
        Buf dv;      // [rows, H*D] each
        Buf dHidden; // [rows, F]: gradient through the MLP hidden layer
        private Activations shared; // what every block's evaluation forward works in: the first asker's own

        void ensure(Precision p, int rows, int dim) {
            tmp = Buf.ensure(tmp, p, rows * dim);
        }

        /** The gradient buffers, allocated by the first backward: an evaluation-only model never has them. */
        void ensureBackward(Precision p, int rows, int dim, int width, int ffn) {
            dNorm = Buf.ensure(dNorm, p, rows * dim);
            dAttn = Buf.ensure(dAttn, p, rows * width);
            dq = Buf.ensure(dq, p, rows * width);
            dk = Buf.ensure(dk, p, rows * width);
            dv = Buf.ensure(dv, p, rows * width);
            dHidden = Buf.ensure(dHidden, p, rows * ffn);
        }

        /** The evaluation forwards' activations: {@code own} if no block has lent its set yet. */
        Activations shared(Activations own) {
            if (shared == null) {
                shared = own;
            }
            return shared;
        }

        /** The [rows, C] scratch, free between block calls (the encoder uses it for the final LN output). */
        public Buf tmp() {
            return tmp;
        }
    }

    private final int layer;
    private final int dim;
    private final int heads;
    private final int headDim;
    private final int ffn;
    private final Parameters params;

    final LayerNorm norm1;
    final Linear wq;
    final Linear wk;
    final Linear wv;
    final Attention attention;
    final Linear wo;
    final Dropout attnOutDropout;
    final LayerNorm norm2;
    final Linear fc1;
    final Dropout hiddenDropout;
    final Linear fc2;
    final Dropout mlpOutDropout;

    /** One forward's activations: a training forward fills all of them, an evaluation forward the first six. */
    static final class Activations {
        Buf norm1Out;  // [rows, C]  (evaluation: also LN2's output)
        Buf q;         // [rows, H*D]
        Buf k;
        Buf v;
        Buf attnOut;   // [rows, H*D]
        Buf hidden;    // [rows, F]  W1 output, before GELU (evaluation: GELU's output, in place)
        Buf x1;        // [rows, C]  residual stream after attention
        Buf norm2Out;  // [rows, C]
        Buf hiddenCdf; // [rows, F]  Phi(hidden), GELU's CDF kept for its backward
        Buf act;       // [rows, F]  Dropout(GELU(hidden))
        Buf out;       // [rows, C]  block output

        void ensure(Precision pr, int rows, int dim, int width, int ffn, boolean forBackward) {
            norm1Out = Buf.ensure(norm1Out, pr, rows * dim);
            q = Buf.ensure(q, pr, rows * width);
            k = Buf.ensure(k, pr, rows * width);
            v = Buf.ensure(v, pr, rows * width);
            attnOut = Buf.ensure(attnOut, pr, rows * width);
            hidden = Buf.ensure(hidden, pr, rows * ffn);
            if (forBackward) {
                x1 = Buf.ensure(x1, pr, rows * dim);
                norm2Out = Buf.ensure(norm2Out, pr, rows * dim);
                hiddenCdf = Buf.ensure(hiddenCdf, pr, rows * ffn);
                act = Buf.ensure(act, pr, rows * ffn);
                out = Buf.ensure(out, pr, rows * dim);
            }
        }
    }

    // the last training forward's, kept for backward
    private final Activations own = new Activations();
    private Buf x;        // [rows, C]  block input (owned by the previous stage)
    private int rows;
    private AttentionShape shape;
    private boolean kept; // the last forward was a training one: backward may run

    public TransformerBlock(ModelConfig cfg, Parameters params, AttentionProvider attentionProvider, int layer) {
        this.layer = layer;
        this.params = params;
        this.dim = cfg.dim();
        this.heads = cfg.heads();
        this.headDim = cfg.headDim();
        this.ffn = cfg.ffnDim();
        int width = heads * headDim;
        String p = "block" + layer + ".";
        norm1 = new LayerNorm(params, p + "norm1", dim);
        wq = new Linear(params, p + "attn.wq", dim, width);
        wk = new Linear(params, p + "attn.wk", dim, width);
        wv = new Linear(params, p + "attn.wv", dim, width);
        attention = attentionProvider.create(cfg.attention(), params, p + "attn", heads, headDim,
                cfg.attentionDropout(), layer, cfg.positionTableSize());
        wo = new Linear(params, p + "attn.wo", width, dim);
        attnOutDropout = new Dropout(cfg.dropout(), layer, Dropout.SITE_ATTENTION_OUT);
        norm2 = new LayerNorm(params, p + "norm2", dim);
        fc1 = new Linear(params, p + "mlp.fc1", dim, ffn);
        hiddenDropout = new Dropout(cfg.dropout(), layer, Dropout.SITE_MLP_HIDDEN);
        fc2 = new Linear(params, p + "mlp.fc2", ffn, dim);
        mlpOutDropout = new Dropout(cfg.dropout(), layer, Dropout.SITE_MLP_OUT);
    }

    /**
     * x [B*T, C], keyMask [B*T] -> returns the block output [B*T, C]: training, a buffer of this block's own;
     * evaluation, x itself, updated in place.
     */
    public Buf forward(StepContext ctx, Buf x, Buf keyMask, int batch, int seqLen, Scratch s) {
        Parallel pool = ctx.pool();
        int n = batch * seqLen;
        boolean keep = ctx.training();
        Precision pr = params.precision();
        Activations a = keep ? own : s.shared(own);
        a.ensure(pr, n, dim, heads * headDim, ffn, keep);
        s.ensure(pr, n, dim);
        // evaluation: nothing outlives this call, so the stream x takes both residual sums, LN2 reuses LN1's
        // buffer and GELU overwrites its input without keeping Phi
        Buf x1 = keep ? a.x1 : x;
        Buf norm1Out = a.norm1Out;
        Buf norm2Out = keep ? a.norm2Out : a.norm1Out;
        Buf q = a.q;
        Buf k = a.k;
        Buf v = a.v;
        Buf attnOut = a.attnOut;
        Buf hidden = a.hidden;
        Buf hiddenCdf = keep ? a.hiddenCdf : null;
        Buf act = keep ? a.act : a.hidden;
        Buf out = keep ? a.out : x;
        this.kept = keep;
        this.x = keep ? x : null;
        this.rows = n;
        this.shape = new AttentionShape(batch, seqLen, heads, headDim);

        // attention branch
        norm1.forward(pool, x, norm1Out, n);
        wq.forward(pool, norm1Out, q, n);
        wk.forward(pool, norm1Out, k, n);
        wv.forward(pool, norm1Out, v, n);
        attention.forward(ctx, shape, q, k, v, keyMask, attnOut);
        wo.forward(pool, attnOut, s.tmp, n);
        attnOutDropout.forwardAdd(ctx, x, s.tmp, x1, n * dim);

        // MLP branch
        norm2.forward(pool, x1, norm2Out, n);
        fc1.forward(pool, norm2Out, hidden, n);
        Gelu.forward(pool, hidden, act, hiddenCdf, n * ffn);
        hiddenDropout.forward(ctx, act, act, n * ffn); // its own pass: fused into GELU's loop, C2 boxed both
        fc2.forward(pool, act, s.tmp, n);
        mlpOutDropout.forwardAdd(ctx, x1, s.tmp, out, n * dim);
        return out;
    }

    /**
     * dx [B*T, C]: on entry the gradient at this block's output, on exit the gradient at its input. Needs a training
     * forward last: an evaluation forward keeps nothing to go back through.
     */
    public void backward(StepContext ctx, Buf dx, Scratch s) {
        if (!kept) {
            throw new IllegalStateException("block " + layer + ": backward needs a training forward (ctx.training())");
        }
        Parallel pool = ctx.pool();
        int n = rows;
        s.ensureBackward(params.precision(), n, dim, heads * headDim, ffn);
        Activations a = own;
        Buf norm1Out = a.norm1Out;
        Buf attnOut = a.attnOut;
        Buf x1 = a.x1;
        Buf norm2Out = a.norm2Out;
        Buf hidden = a.hidden;
        Buf hiddenCdf = a.hiddenCdf;
        Buf act = a.act;

        // MLP branch: dx holds d x2 = d x1 (residual) + the branch's contribution below
        mlpOutDropout.backward(ctx, dx, s.tmp, n * dim);
        fc2.backward(pool, s.tmp, act, n, s.dHidden, false);
        hiddenDropout.backward(ctx, s.dHidden, s.dHidden, n * ffn);
        Gelu.backward(pool, s.dHidden, hidden, hiddenCdf, s.dHidden, n * ffn);
        fc1.backward(pool, s.dHidden, norm2Out, n, s.dNorm, false);
        norm2.backward(pool, s.dNorm, x1, n, dx, true);

        // attention branch: dx now holds d x1
        attnOutDropout.backward(ctx, dx, s.tmp, n * dim);
        wo.backward(pool, s.tmp, attnOut, n, s.dAttn, false);
        attention.backward(ctx, s.dAttn, s.dq, s.dk, s.dv);
        wq.backward(pool, s.dq, norm1Out, n, s.dNorm, false);
        wk.backward(pool, s.dk, norm1Out, n, s.dNorm, true);
        wv.backward(pool, s.dv, norm1Out, n, s.dNorm, true);
        norm1.backward(pool, s.dNorm, x, n, dx, true);
    }

    public int layer() {
        return layer;
    }
}
