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
 * The single-sequence LRA model (docs/reference.md §1.2):
 * <pre>
 *   u = Encoder(ids)                       [B, C]  pooled as model.pooling says (mean, mean-tokens, cls)
 *   logits = W2 · ReLU(W1 · u + b1) + b2     [B, classes]
 *   loss = mean cross-entropy(logits, labels)
 * </pre>
 */
public final class Classifier implements Model {
    private final ModelConfig cfg;
    private final Parameters params;
    private final Encoder encoder;
    private final Linear headHidden;
    private final Linear headOut;
    private final SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();

    private Buf pooled;  // [B, C]
    private Buf hidden;  // [B, headHidden]  after ReLU
    private Buf logits;  // [B, classes]
    private Buf dPooled;  // the gradients: allocated by the first backward
    private Buf dHidden;
    private Buf dLogits;

    /** Registers the parameters; the caller allocates them ({@link ModelBuilder} does both). */
    Classifier(ModelConfig cfg, Parameters params, AttentionProvider attention) {
        this.cfg = cfg;
        this.params = params;
        this.encoder = new Encoder(cfg, params, attention);
        this.headHidden = new Linear(params, "head.fc1", cfg.dim(), cfg.headHidden());
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

    private void ensure(int b) {
        Precision p = params.precision();
        pooled = Buf.ensure(pooled, p, b * cfg.dim());
        hidden = Buf.ensure(hidden, p, b * cfg.headHidden());
        logits = Buf.ensure(logits, p, b * cfg.numClasses());
    }

    private void ensureGradients(int b) {
        Precision p = params.precision();
        dPooled = Buf.ensure(dPooled, p, b * cfg.dim());
        dHidden = Buf.ensure(dHidden, p, b * cfg.headHidden());
        dLogits = Buf.ensure(dLogits, p, b * cfg.numClasses());
    }

    private Result forward(StepContext ctx, Batch batch) {
        if (batch.dual()) {
            throw new IllegalArgumentException("a dual (two-document) batch needs a DualClassifier (config dual=true)");
        }
        int b = batch.size();
        ensure(b);
        Parallel pool = ctx.pool();
        encoder.forward(ctx, batch.ids(), b, batch.seqLen(), pooled);
        headHidden.forward(pool, pooled, hidden, b);
        Relu.forward(hidden, hidden, b * cfg.headHidden());
        headOut.forward(pool, hidden, logits, b);
        int[] predictions = new int[b];
        double l = loss.forward(logits, batch.labels(), b, cfg.numClasses(), predictions);
        return new Result(l, countCorrect(predictions, batch.labels()), b, predictions, loss.probabilitiesOf(predictions));
    }

    @Override
    public Result forwardBackward(StepContext ctx, Batch batch) {
        Result r = forward(ctx, batch);
        Parallel pool = ctx.pool();
        int b = batch.size();
        ensureGradients(b);
        loss.backward(dLogits);
        headOut.backward(pool, dLogits, hidden, b, dHidden, false);
        Relu.backward(dHidden, hidden, dHidden, b * cfg.headHidden());
        headHidden.backward(pool, dHidden, pooled, b, dPooled, false);
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

    static int countCorrect(int[] predictions, int[] labels) {
        int c = 0;
        for (int i = 0; i < predictions.length; i++) {
            if (predictions[i] == labels[i]) {
                c++;
            }
        }
        return c;
    }
}
