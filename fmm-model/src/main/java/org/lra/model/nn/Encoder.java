package org.lra.model.nn;

import org.lra.model.config.ModelConfig;
import org.lra.model.config.Pooling;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Parameters;
import org.lra.model.tensor.Precision;

/**
 * Token ids to one vector per sequence (docs/reference.md §1.2):
 * <pre>
 *   x = Dropout(tokens[ids] + positions[t]);  x = block_l(x) for each layer;
 *   pooled = mean_t( LN(x) * mask )           (model.pooling mean: over all T positions, the reference;
 *                                               mean-tokens: over the real tokens)
 *   pooled = LN(x)[0] * mask[0]               (cls: ids = [CLS, ids[0 .. T-2]] first, see {@link ClsToken})
 * </pre>
 * The key mask comes from the ids: with {@code zeroIsPadding} a token is real iff its id is not 0 (the
 * reference rule, which also masks black pixels in Image/Pathfinder); otherwise every position is real.
 */
public final class Encoder {
    private final ModelConfig cfg;
    private final Parameters params;
    final Embedding embedding;
    private final Dropout embeddingDropout;
    final TransformerBlock[] blocks;
    final LayerNorm finalNorm;
    private final MeanPool meanPool; // mean, mean-tokens; null for cls
    private final ClsToken cls;      // cls; null otherwise
    private final TransformerBlock.Scratch scratch = new TransformerBlock.Scratch();

    private Buf keyMask;   // [B*T]
    private Buf embedded;  // [B*T, C]  embedding output after dropout (block 0 input; evaluation: the stream itself)
    private Buf last;      // [B*T, C]  last block output (owned by that block; evaluation: embedded)
    private Buf dx;        // [B*T, C]  gradient of the residual stream, updated in place block by block (backward's)
    private int[] ids;     // [B*T] what the embedding read: the caller's ids, or clsIds
    private int[] clsIds = new int[0];
    private int batch;
    private int seqLen;

    public Encoder(ModelConfig cfg, Parameters params, AttentionProvider attentionProvider) {
        this.cfg = cfg;
        this.params = params;
        this.embedding = new Embedding(params, "embedding", cfg.vocabSize(), cfg.positionTableSize(), cfg.dim());
        this.embeddingDropout = new Dropout(cfg.dropout(), Dropout.EMBEDDING_LAYER, Dropout.SITE_EMBEDDING);
        this.blocks = new TransformerBlock[cfg.layers()];
        for (int l = 0; l < blocks.length; l++) {
            blocks[l] = new TransformerBlock(cfg, params, attentionProvider, l);
        }
        this.finalNorm = new LayerNorm(params, "final_norm", cfg.dim());
        Pooling pooling = cfg.pooling();
        this.meanPool = pooling == Pooling.CLS ? null : new MeanPool(cfg.dim(), pooling == Pooling.MEAN);
        this.cls = pooling == Pooling.CLS ? new ClsToken(cfg.vocabSize(), cfg.dim()) : null;
    }

    public int dim() {
        return cfg.dim();
    }

    // ids [B*T] -> pooled [B, C]; a training forward (ctx.training()) keeps what backward reads, an evaluation one
    // runs the blocks on the embedded buffer in place (TransformerBlock)
    public void forward(StepContext ctx, int[] ids, int batch, int seqLen, Buf pooled) {
        Parallel pool = ctx.pool();
        Precision pr = params.precision();
        int n = batch * seqLen;
        int c = cfg.dim();
        keyMask = Buf.ensure(keyMask, pr, n);
        embedded = Buf.ensure(embedded, pr, n * c);
        if (cls != null) {
            if (clsIds.length < n) {
                clsIds = new int[n];
            }
            cls.prepend(ids, batch, seqLen, clsIds);
            ids = clsIds; // from here on the model reads the sequences with their CLS token
        }
        this.ids = ids;
        this.batch = batch;
        this.seqLen = seqLen;
        scratch.ensure(pr, n, c);
        boolean zeroIsPadding = cfg.zeroIsPadding();
        for (int r = 0; r < n; r++) {
            keyMask.set(r, zeroIsPadding && ids[r] == 0 ? 0 : 1);
        }

        embedding.forward(pool, ids, batch, seqLen, embedded);
        embeddingDropout.forward(ctx, embedded, embedded, n * c);
        Buf x = embedded;
        for (TransformerBlock block : blocks) {
            x = block.forward(ctx, x, keyMask, batch, seqLen, scratch);
        }
        last = x;
        Buf normed = scratch.tmp(); // free between blocks; backward recomputes from `last`
        finalNorm.forward(pool, last, normed, n);
        if (cls != null) {
            cls.forward(pool, normed, keyMask, batch, seqLen, pooled);
        } else {
            meanPool.forward(pool, normed, keyMask, batch, seqLen, pooled);
        }
    }

    // dPooled [B, C] -> parameter gradients accumulated (ids and activations from the last forward, a training one)
    public void backward(StepContext ctx, Buf dPooled) {
        Parallel pool = ctx.pool();
        int n = batch * seqLen;
        dx = Buf.ensure(dx, params.precision(), n * cfg.dim());
        Buf dNormed = scratch.tmp();
        if (cls != null) {
            cls.backward(pool, dPooled, keyMask, batch, seqLen, dNormed);
        } else {
            meanPool.backward(pool, dPooled, keyMask, batch, seqLen, dNormed);
        }
        finalNorm.backward(pool, dNormed, last, n, dx, false);
        for (int l = blocks.length - 1; l >= 0; l--) {
            blocks[l].backward(ctx, dx, scratch);
        }
        embeddingDropout.backward(ctx, dx, dx, n * cfg.dim());
        embedding.backward(pool, ids, batch, seqLen, dx);
    }

    /** The key mask of the last forward, [B*T]. */
    public Buf keyMask() {
        return keyMask;
    }
}
