package org.lra.model;

import org.lra.data.Batch;
import org.lra.model.config.ModelConfig;
import org.lra.model.nn.AttentionProvider;
import org.lra.model.nn.Encoder;
import org.lra.model.nn.Linear;
import org.lra.model.nn.Relu;
import org.lra.model.nn.SoftmaxCrossEntropy;
import org.lra.model.nn.StepContext;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Parameters;
import org.lra.model.tensor.Precision;

/**
 * The two-tower Retrieval model (docs/reference.md §1.2, "dual"): one encoder reads both documents — run once on the
 * 2B stacked sequences [ids; ids2] — and the head reads their pooled vectors u, v (each document pooled on its own,
 * as model.pooling says; with cls each gets its own CLS token):
 * <pre>
 *   z = [u, v, u∘v, u−v]                     [B, 4C]
 *   logits = W2 · ReLU(W1 · z + b1) + b2       [B, classes]
 * </pre>
 */
public final class DualClassifier implements Model {
    private final ModelConfig cfg;
    private final Parameters params;
    private final Encoder encoder;
    private final Linear headHidden;
    private final Linear headOut;
    private final SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();

    private int[] stackedIds = new int[0]; // [2B*T]: ids then ids2
    private Buf pooled;   // [2B, C]: rows 0..B-1 are u, rows B..2B-1 are v
    private Buf features; // [B, 4C]
    private Buf hidden;   // [B, headHidden] after ReLU
    private Buf logits;   // [B, classes]
    private Buf dPooled;   // the gradients: allocated by the first backward
    private Buf dFeatures;
    private Buf dHidden;
    private Buf dLogits;

    DualClassifier(ModelConfig cfg, Parameters params, AttentionProvider attention) {
        this.cfg = cfg;
        this.params = params;
        this.encoder = new Encoder(cfg, params, attention);
        this.headHidden = new Linear(params, "head.fc1", 4 * cfg.dim(), cfg.headHidden());
        this.headOut = new Linear(params, "head.fc2", cfg.headHidden(), cfg.numClasses());
    }

    @Override
    public ModelConfig config() {
        return cfg;
    }

    @Override
    public Parameters parameters() {
        return params;
    }

    private void ensure(int b, int t) {
        Precision p = params.precision();
        int c = cfg.dim();
        if (stackedIds.length != 2 * b * t) {
            stackedIds = new int[2 * b * t];
        }
        pooled = Buf.ensure(pooled, p, 2 * b * c);
        features = Buf.ensure(features, p, b * 4 * c);
        hidden = Buf.ensure(hidden, p, b * cfg.headHidden());
        logits = Buf.ensure(logits, p, b * cfg.numClasses());
    }

    private void ensureGradients(int b) {
        Precision p = params.precision();
        int c = cfg.dim();
        dPooled = Buf.ensure(dPooled, p, 2 * b * c);
        dFeatures = Buf.ensure(dFeatures, p, b * 4 * c);
        dHidden = Buf.ensure(dHidden, p, b * cfg.headHidden());
        dLogits = Buf.ensure(dLogits, p, b * cfg.numClasses());
    }

    private Result forward(StepContext ctx, Batch batch) {
        if (!batch.dual()) {
            throw new IllegalArgumentException("the dual (Retrieval) model needs batches with ids2");
        }
        int b = batch.size();
        int t = batch.seqLen();
        int c = cfg.dim();
        ensure(b, t);
        System.arraycopy(batch.ids(), 0, stackedIds, 0, b * t);
        System.arraycopy(batch.ids2(), 0, stackedIds, b * t, b * t);
        Parallel pool = ctx.pool();
        encoder.forward(ctx, stackedIds, 2 * b, t, pooled);
        for (int e = 0; e < b; e++) {
            int f = e * 4 * c;
            for (int i = 0; i < c; i++) {
                double u = pooled.get(e * c + i);
                double v = pooled.get((b + e) * c + i);
                features.set(f + i, u);
                features.set(f + c + i, v);
                features.set(f + 2 * c + i, u * v);
                features.set(f + 3 * c + i, u - v);
            }
        }
        headHidden.forward(pool, features, hidden, b);
        Relu.forward(hidden, hidden, b * cfg.headHidden());
        headOut.forward(pool, hidden, logits, b);
        int[] predictions = new int[b];
        double l = loss.forward(logits, batch.labels(), b, cfg.numClasses(), predictions);
        return new Result(l, Classifier.countCorrect(predictions, batch.labels()), b, predictions,
                loss.probabilitiesOf(predictions));
    }

    @Override
    public Result forwardBackward(StepContext ctx, Batch batch) {
        Result r = forward(ctx, batch);
        Parallel pool = ctx.pool();
        int b = batch.size();
        int c = cfg.dim();
        ensureGradients(b);
        loss.backward(dLogits);
        headOut.backward(pool, dLogits, hidden, b, dHidden, false);
        Relu.backward(dHidden, hidden, dHidden, b * cfg.headHidden());
        headHidden.backward(pool, dHidden, features, b, dFeatures, false);
        // z = [u, v, u∘v, u−v]: du = dz0 + dz2∘v + dz3, dv = dz1 + dz2∘u − dz3
        for (int e = 0; e < b; e++) {
            int f = e * 4 * c;
            for (int i = 0; i < c; i++) {
                double u = pooled.get(e * c + i);
                double v = pooled.get((b + e) * c + i);
                double dProd = dFeatures.get(f + 2 * c + i);
                double dDiff = dFeatures.get(f + 3 * c + i);
                dPooled.set(e * c + i, dFeatures.get(f + i) + dProd * v + dDiff);
                dPooled.set((b + e) * c + i, dFeatures.get(f + c + i) + dProd * u - dDiff);
            }
        }
        encoder.backward(ctx, dPooled);
        return r;
    }

    @Override
    public Result evaluate(Parallel pool, long seed, Batch batch) {
        return forward(StepContext.evaluation(pool, seed), batch);
    }

    @Override
    public Buf logits() {
        return logits;
    }
}
