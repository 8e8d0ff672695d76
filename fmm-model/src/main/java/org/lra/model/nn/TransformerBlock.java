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
 * Activations that backward needs are owned here and reused across steps (grown only when B*T grows);
 * gradient buffers are shared by all blocks through {@link Scratch}.
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

        void ensure(Precision p, int rows, int dim, int width, int ffn) {
            tmp = Buf.ensure(tmp, p, rows * dim);
            dNorm = Buf.ensure(dNorm, p, rows * dim);
            dAttn = Buf.ensure(dAttn, p, rows * width);
            dq = Buf.ensure(dq, p, rows * width);
            dk = Buf.ensure(dk, p, rows * width);
            dv = Buf.ensure(dv, p, rows * width);
            dHidden = Buf.ensure(dHidden, p, rows * ffn);
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

    // activations of the last forward, kept for backward
    private Buf x;        // [rows, C]  block input (owned by the previous stage)
    private Buf norm1Out; // [rows, C]
    private Buf q;        // [rows, H*D]
    private Buf k;
    private Buf v;
    private Buf attnOut;  // [rows, H*D]
    private Buf x1;       // [rows, C]  residual stream after attention
    private Buf norm2Out; // [rows, C]
    private Buf hidden;   // [rows, F]  W1 output, before GELU
    private Buf hiddenCdf; // [rows, F]  Phi(hidden), GELU's CDF kept for its backward
    private Buf act;      // [rows, F]  Dropout(GELU(hidden))
    private Buf out;      // [rows, C]  block output
    private int rows;
    private AttentionShape shape;

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

    private void ensure(int rows) {
        Precision pr = params.precision();
        int width = heads * headDim;
        norm1Out = Buf.ensure(norm1Out, pr, rows * dim);
        q = Buf.ensure(q, pr, rows * width);
        k = Buf.ensure(k, pr, rows * width);
        v = Buf.ensure(v, pr, rows * width);
        attnOut = Buf.ensure(attnOut, pr, rows * width);
        x1 = Buf.ensure(x1, pr, rows * dim);
        norm2Out = Buf.ensure(norm2Out, pr, rows * dim);
        hidden = Buf.ensure(hidden, pr, rows * ffn);
        hiddenCdf = Buf.ensure(hiddenCdf, pr, rows * ffn);
        act = Buf.ensure(act, pr, rows * ffn);
        out = Buf.ensure(out, pr, rows * dim);
    }

    // x [B*T, C], keyMask [B*T] -> returns the block output [B*T, C] (owned by this block)
    public Buf forward(StepContext ctx, Buf x, Buf keyMask, int batch, int seqLen, Scratch s) {
        Parallel pool = ctx.pool();
        int n = batch * seqLen;
        ensure(n);
        s.ensure(params.precision(), n, dim, heads * headDim, ffn);
        this.x = x;
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

    /** dx [B*T, C]: on entry the gradient at this block's output, on exit the gradient at its input. */
    public void backward(StepContext ctx, Buf dx, Scratch s) {
        Parallel pool = ctx.pool();
        int n = rows;

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
