package org.lra.model;

import org.lra.model.config.ModelConfig;
import org.lra.model.config.Pooling;
import org.lra.model.nn.AttentionProvider;
import org.lra.model.tensor.Parameters;
import org.lra.model.tensor.Precision;

/** Builds the model a config describes and allocates its parameter block. */
public final class ModelBuilder {

    /** The production attention variants (package org.lra.model.attention), built by AttentionFactory. */
    public static final AttentionProvider DEFAULT_ATTENTION = org.lra.model.attention.AttentionFactory::create;

    private ModelBuilder() {
    }

    /** The model a config describes, with the production attention. */
    public static Model build(ModelConfig cfg, Precision precision, long seed) {
        return build(cfg, precision, seed, DEFAULT_ATTENTION);
    }

    /**
     * A {@link Classifier}, or a {@link DualClassifier} when {@code cfg.dual()}, with every parameter
     * initialised from {@code seed} (same seed, same weights, whatever the thread count).
     */
    public static Model build(ModelConfig cfg, Precision precision, long seed, AttentionProvider attention) {
        validate(cfg);
        Parameters params = new Parameters();
        Model model = cfg.dual()
                ? new DualClassifier(cfg, params, attention)
                : new Classifier(cfg, params, attention);
        params.allocate(precision, seed);
        return model;
    }

    private static void validate(ModelConfig cfg) {
        require(cfg.vocabSize() >= 1, "vocabSize must be >= 1, got " + cfg.vocabSize());
        require(cfg.maxLength() >= 1, "maxLength must be >= 1, got " + cfg.maxLength());
        require(cfg.numClasses() >= 2, "numClasses must be >= 2, got " + cfg.numClasses());
        require(cfg.dim() >= 1 && cfg.heads() >= 1 && cfg.headDim() >= 1 && cfg.ffnDim() >= 1
                && cfg.headHidden() >= 1, "dim, heads, headDim, ffnDim and headHidden must be >= 1");
        require(cfg.layers() >= 0, "layers must be >= 0, got " + cfg.layers());
        require(cfg.dropout() >= 0 && cfg.dropout() < 1, "dropout must be in [0, 1), got " + cfg.dropout());
        require(cfg.pooling() != null, "pooling must be set (mean, mean-tokens or cls)");
        require(cfg.pooling() != Pooling.CLS || cfg.vocabSize() >= 2,
                "cls pooling needs vocabSize >= 2 (its token is id vocabSize - 1, id 0 is padding)");
        require(cfg.attentionDropout() >= 0 && cfg.attentionDropout() < 1,
                "attentionDropout must be in [0, 1), got " + cfg.attentionDropout());
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("model config: " + message);
        }
    }
}
