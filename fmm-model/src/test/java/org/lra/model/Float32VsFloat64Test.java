package org.lra.model;


import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lra.model.attention.Attention;
import org.lra.model.attention.AttentionFactory;
import org.lra.model.attention.AttentionShape;
import org.lra.model.config.AttentionConfig;
import org.lra.model.config.ModelConfig;
import org.lra.model.config.Pooling;
import org.lra.model.tensor.Parameters;
import org.lra.model.tensor.Precision;
import org.lra.model.tensor.Rng;
import org.lra.model.testing.AssertClose;

/**
 * The float32 engine, which trains, against the float64 one, which the finite-difference checks pin down:
 * same weights, inputs and dropout masks, compared with {@link AssertClose#float32} (atol + 1e-4·|ref|).
 *
 * <p>Shapes cross every tile and block boundary of the kernels: T = 67 is odd and not a multiple of the 64-row
 * slabs and causal chunks of the far field and {@code HeadIO}; B·T = 335 (attention) and 268 (model) rows cross
 * {@code Blend}'s 256-row blocks and are not a multiple of LayerNorm's and MeanPool's tile rows; every
 * sequence ends in padding.
 *
 * <p>A query whose band holds only padding is left out on purpose: there the float32 path rounds the
 * -1e6-shifted scores on PyTorch's float32 grid, as the official code does ({@code GoldenTest} checks that row
 * against it), so it differs from float64 by design. Padding of at most bandwidth - 1 tokens avoids such rows.
 */
class Float32VsFloat64Test {
    private static final int SEQ_LEN = 67;

    static Stream<Arguments> attentions() {
        Stream<Arguments> production = TestModels.PRODUCTION_ATTENTIONS.stream()
                .map(a -> Arguments.of(a, TestModels.attention(a)));
        Stream<Arguments> variants = Stream.of("softmax", "linear", "band5", "fmm-listops-2k", "fmm-pathfinder-2k").flatMap(a -> {
            AttentionConfig c = TestModels.attention(a);
            return Stream.of(
                    Arguments.of(a + " causal", new AttentionConfig(c.type(), c.bandwidth(), c.kernels(), c.blend(),
                            true, false)),
                    Arguments.of(a + " normalized", new AttentionConfig(c.type(), c.bandwidth(), c.kernels(),
                            c.blend(), false, true)));
        }).filter(args -> !args.get()[0].toString().matches("(softmax|band5) normalized")); // linear and fmm only
        return Stream.concat(production, variants);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attentions")
    void attentionCore(String name, AttentionConfig cfg) {
        compareCore(name, cfg, 4);
    }

    /** Heads 32 wide, as the model's: whole SIMD vectors, so the float32 kernels take their Vector API paths. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("attentions")
    void attentionCoreSimdHeads(String name, AttentionConfig cfg) {
        compareCore(name, cfg, 32);
    }

    private static void compareCore(String name, AttentionConfig cfg, int headDim) {
        AttentionShape shape = new AttentionShape(5, SEQ_LEN, 2, headDim);
        Parameters p64 = new Parameters();
        Parameters p32 = new Parameters();
        Attention a64 = AttentionFactory.create(cfg, p64, "block0.attn", 2, headDim, 0.1, 0);
        Attention a32 = AttentionFactory.create(cfg, p32, "block0.attn", 2, headDim, 0.1, 0);
        p64.allocate(Precision.FLOAT64, 1);
        p32.allocate(Precision.FLOAT32, 1);
        for (int i = 0; i < p64.size(); i++) { // blend weights off their 0/1 inits, float32-exact
            double w = (float) (0.2 + 0.6 * Rng.uniform(77, i));
            p64.values().set(i, w);
            p32.values().set(i, w);
        }
        // 1 to 4 padding tokens: no band of 5 is only padding
        TestModels.assertFloat32CoreMatchesFloat64(name, shape, a64, p64, a32, p32, b -> SEQ_LEN - 1 - b % 4);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.lra.model.TestModels#productionAttentions")
    void wholeModelWithDropout(String attention) {
        boolean dual = attention.startsWith("fmm-retrieval");
        ModelConfig cfg = TestModels.tiny(9, SEQ_LEN, 3, 0.1, dual, TestModels.attention(attention));
        TestModels.assertFloat32ModelMatchesFloat64(attention, cfg,
                TestModels.randomBatch(4, SEQ_LEN, 9, 3, 23, dual));
    }

    /** The other poolings than the reference mean, in the single and the dual model. */
    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("poolings")
    void wholeModelWithAnotherPooling(Pooling pooling, String attention) {
        boolean dual = attention.startsWith("fmm-retrieval");
        ModelConfig cfg = TestModels.tiny(9, SEQ_LEN, 3, 0.1, dual, TestModels.attention(attention)).withPooling(pooling);
        TestModels.assertFloat32ModelMatchesFloat64(pooling + " " + attention, cfg,
                TestModels.randomBatch(4, SEQ_LEN, 9, 3, 23, dual));
    }

    static Stream<Arguments> poolings() {
        return Stream.of(Pooling.MEAN_TOKENS, Pooling.CLS).flatMap(p -> Stream.of(Arguments.of(p, "fmm-listops-2k"),
                Arguments.of(p, "fmm-retrieval-2k")));
    }
}
