package org.lra.model.golden;

import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lra.model.Model;
import org.lra.model.ModelBuilder;
import org.lra.model.attention.Attention;
import org.lra.model.attention.AttentionFactory;
import org.lra.model.attention.PerformerAttention;
import org.lra.model.attention.ReformerAttention;
import org.lra.model.config.AttentionConfig;
import org.lra.model.config.AttentionType;
import org.lra.model.config.PerformerKernel;
import org.lra.model.nn.AttentionProvider;
import org.lra.model.tensor.Precision;
import org.lra.model.testing.AssertClose;

/**
 * Our float32 performer and reformer cores against the official wrappers of performer_pytorch's FastAttention
 * and HF's LSHSelfAttention, run by scripts/golden/make_fixtures.py: forward outputs and the gradients of q, k
 * and v, and the whole classifier with each. The references draw random numbers inside (the projection, the rotations); the fixtures carry what
 * was drawn and our cores are handed exactly that. Tolerances: {@link AssertClose#float32}.
 */
class RandomFeatureGoldenTest {

    /** performer-exp is the official performer-256 module as it runs; performer-relu its ReLU-feature variant. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"performer-exp", "performer-relu"})
    void performerMatchesTheReference(String fixture) {
        PerformerKernel kernel = fixture.endsWith("exp") ? PerformerKernel.exp : PerformerKernel.relu;
        check(GoldenFixture.load("attention-" + fixture), f -> {
            double[] w = f.get("projection");
            PerformerAttention a = new PerformerAttention(kernel, w.length / f.size("shape.headDim"), 0);
            a.useProjection(w);
            return a;
        });
    }

    /** HF's LSH attention as the official reformer-2 runs it, on 4 chunks per round (chunk length 4). */
    @Test
    void reformerMatchesTheReference() {
        check(GoldenFixture.load("attention-reformer"), f -> {
            ReformerAttention a = new ReformerAttention(f.size("lsh.numHashes"), f.size("lsh.chunkLength"), 0, 0);
            a.useRotations(f.get("rotations"));
            return a;
        });
    }

    /**
     * The whole classifier with the official performer-256 attention as it runs (our exp), each block handed the
     * projection its FastAttention drew: loss and every parameter gradient.
     */
    @Test
    void performerClassifierMatchesTheReference() {
        GoldenFixture f = GoldenFixture.load("classifier-performer-exp");
        int features = f.get("projection.block0").length / f.size("model.headDim");
        AttentionConfig attention = new AttentionConfig(AttentionType.performer, 5, List.of(), null, false, false)
                .withPerformer(features, PerformerKernel.exp);
        checkModel(f, attention, (c, params, prefix, heads, d, p, layer, maxSeqLen) -> {
            PerformerAttention a = new PerformerAttention(c.performerKernel(), c.rpDim(), layer);
            a.useProjection(f.get("projection.block" + layer));
            return a;
        }, Set.of());
    }

    /**
     * The whole classifier with the official reformer-2 attention. T = 13 is one chunk of HF's default 64, so
     * this is the plain-attention path (shared QK, normalised keys, self mask) inside the model; the LSH path is
     * {@link #reformerMatchesTheReference}. The official reformer ignores W_q and W_v's biases (HF's projections
     * are bias-free): they are zero in the fixture and their gradients, nonzero in ours, are not compared.
     */
    @Test
    void reformerClassifierMatchesTheReference() {
        AttentionConfig attention = new AttentionConfig(AttentionType.reformer, 5, List.of(), null, false, false);
        checkModel(GoldenFixture.load("classifier-reformer"), attention, AttentionFactory::create,
                Set.of("block0.attn.wq.bias", "block0.attn.wv.bias", "block1.attn.wq.bias", "block1.attn.wv.bias"));
    }

    private static void checkModel(GoldenFixture f, AttentionConfig attention, AttentionProvider provider,
                                   Set<String> notCompared) {
        Model model = ModelBuilder.build(f.modelConfig(false, attention), Precision.FLOAT32, 1, provider);
        f.checkModel(model, false, notCompared);
    }

    static void check(GoldenFixture f, Function<GoldenFixture, Attention> make) {
        f.checkAttention(make.apply(f), null, null);
    }
}
