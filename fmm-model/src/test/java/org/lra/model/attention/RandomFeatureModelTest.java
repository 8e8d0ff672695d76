package org.lra.model.attention;


import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lra.data.Batch;
import org.lra.model.Model;
import org.lra.model.ModelBuilder;
import org.lra.model.TestModels;
import org.lra.model.config.AttentionConfig;
import org.lra.model.config.AttentionType;
import org.lra.model.config.ModelConfig;
import org.lra.model.config.PerformerKernel;
import org.lra.model.nn.AttentionProvider;
import org.lra.model.tensor.Precision;

/**
 * Performer and reformer inside the whole model, as {@link org.lra.model.WholeModelGradientTest} and
 * {@link org.lra.model.Float32VsFloat64Test} check the other attentions: every parameter gradient against float64
 * finite differences (dropout on, so forward and backward must agree on every mask), and float32 against float64
 * for the attention cores and the whole model.
 */
class RandomFeatureModelTest {
    /** 12 tokens: the reformer runs LSH over 3 chunks of 4 per round. */
    private static final int SEQ_LEN = 12;

    static Stream<String> attentions() {
        return Stream.of("performer-exp", "performer-relu", "reformer");
    }

    static AttentionConfig config(String name) {
        return switch (name) {
            case "performer-exp" -> new AttentionConfig(AttentionType.performer, 5, List.of(), null, false, false)
                    .withPerformer(8, PerformerKernel.exp);
            case "performer-relu" -> new AttentionConfig(AttentionType.performer, 5, List.of(), null, false, false)
                    .withPerformer(8, PerformerKernel.relu);
            case "reformer" -> new AttentionConfig(AttentionType.reformer, 5, List.of(), null, false, false)
                    .withReformer(2, 4, 0);
            default -> throw new IllegalArgumentException(name);
        };
    }

    /**
     * The factory, except that exp's feature constant is 0 (see {@link PerformerAttentionTest}: its detached max
     * shifts only cancel out of the function then) and relu's is 0.3 (away from the normaliser's floor).
     */
    private static final AttentionProvider DIFFERENTIABLE = (cfg, params, prefix, heads, headDim, p, layer, maxLen) ->
            cfg.type() == AttentionType.performer
                    ? new PerformerAttention(cfg.performerKernel(), cfg.rpDim(), layer,
                            cfg.performerKernel() == PerformerKernel.exp ? 0.0 : 0.3)
                    : AttentionFactory.create(cfg, params, prefix, heads, headDim, p, layer, maxLen);

    @ParameterizedTest(name = "{0}")
    @MethodSource("attentions")
    void wholeModelGradientsMatchFiniteDifferences(String attention) {
        ModelConfig cfg = TestModels.tiny(7, SEQ_LEN, 3, 0.2, false, config(attention));
        Model model = ModelBuilder.build(cfg, Precision.FLOAT64, 5, DIFFERENTIABLE);
        Batch batch = TestModels.randomBatch(3, SEQ_LEN, 7, 3, 17, false);
        TestModels.assertGradientsMatchFiniteDifferences(model, batch, 2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attentions")
    void float32CoreMatchesFloat64(String attention) {
        AttentionShape shape = new AttentionShape(5, 64, 2, 4);
        AttentionConfig cfg = config(attention);
        AttentionConfig core = new AttentionConfig(cfg.type(), 5, List.of(), null, false, false)
                .withPerformer(cfg.rpDim(), cfg.performerKernel()).withReformer(cfg.numHashes(), 8, 0);
        Attention a64 = AttentionFactory.create(core, null, "block0.attn", 2, 4, 0.0, 0);
        Attention a32 = AttentionFactory.create(core, null, "block0.attn", 2, 4, 0.0, 0);
        TestModels.assertFloat32CoreMatchesFloat64(attention, shape, a64, null, a32, null,
                b -> shape.seqLen() - 1 - 3 * b);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attentions")
    void float32WholeModelMatchesFloat64(String attention) {
        ModelConfig cfg = TestModels.tiny(9, SEQ_LEN, 3, 0.1, false, config(attention));
        TestModels.assertFloat32ModelMatchesFloat64(attention, cfg,
                TestModels.randomBatch(4, SEQ_LEN, 9, 3, 23, false));
    }
}
