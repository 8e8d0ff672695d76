package org.lra.model;


import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lra.data.Batch;
import org.lra.model.attention.Attention;
import org.lra.model.attention.AttentionFactory;
import org.lra.model.attention.AttentionShape;
import org.lra.model.config.AttentionConfig;
import org.lra.model.config.ModelConfig;
import org.lra.model.tensor.Parameters;
import org.lra.model.tensor.Precision;

/**
 * The LRA baselines ({@link TestModels#BASELINE_ATTENTIONS}) in the whole model, as {@link WholeModelGradientTest}
 * and {@link Float32VsFloat64Test} check the FMMformer variants: every parameter gradient against float64 finite
 * differences (dropout off and on, so the model's dropout masks around the attention replay exactly), and the
 * float32 engine against the float64 one, for the core alone and the whole model. Lengths are multiples of the
 * test-size nystrom's 4 landmarks; the model's position table (16 rows) is longer than the sequences (12), so
 * linformer uses part of its E.
 */
class BaselineModelsTest {
    private static final int SEQ_LEN = 12;

    static Stream<Arguments> cases() {
        return TestModels.BASELINE_ATTENTIONS.stream()
                .flatMap(a -> Stream.of(Arguments.of(a, 0.0), Arguments.of(a, 0.2)));
    }

    @ParameterizedTest(name = "{0}, dropout {1}")
    @MethodSource("cases")
    void wholeModelGradientsMatchFiniteDifferences(String attention, double dropout) {
        ModelConfig cfg = TestModels.tiny(7, 16, 3, dropout, false, TestModels.attention(attention));
        Model model = ModelBuilder.build(cfg, Precision.FLOAT64, 5);
        Batch batch = TestModels.randomBatch(3, SEQ_LEN, 7, 3, 17, false);
        TestModels.assertGradientsMatchFiniteDifferences(model, batch, dropout > 0 ? 2 : 1);
    }

    /** T = 64 with 4 landmarks of 16 rows; 5 sequences, each ending in 1 to 4 padding tokens. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("org.lra.model.TestModels#baselineAttentions")
    void float32CoreAgreesWithFloat64(String attention) {
        int seqLen = 64;
        AttentionShape shape = new AttentionShape(5, seqLen, 2, 4);
        AttentionConfig cfg = TestModels.attention(attention);
        Parameters p64 = new Parameters();
        Parameters p32 = new Parameters();
        Attention a64 = AttentionFactory.create(cfg, p64, "block0.attn", 2, 4, 0.1, 0, 80);
        Attention a32 = AttentionFactory.create(cfg, p32, "block0.attn", 2, 4, 0.1, 0, 80);
        p64.allocate(Precision.FLOAT64, 1);
        p32.allocate(Precision.FLOAT32, 1);
        for (int i = 0; i < p64.size(); i++) {
            p64.values().set(i, p32.values().get(i)); // the very same (float32) parameters
        }
        TestModels.assertFloat32CoreMatchesFloat64(attention, shape, a64, p64, a32, p32, b -> seqLen - 1 - b % 4);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.lra.model.TestModels#baselineAttentions")
    void float32ModelAgreesWithFloat64(String attention) {
        ModelConfig cfg = TestModels.tiny(9, 64, 3, 0.1, false, TestModels.attention(attention));
        TestModels.assertFloat32ModelMatchesFloat64(attention, cfg,
                TestModels.randomBatch(4, 64, 9, 3, 23, false));
    }
}
