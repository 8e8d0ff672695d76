package org.lra.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lra.data.Batch;
import org.lra.model.config.ModelConfig;
import org.lra.model.config.Pooling;
import org.lra.model.tensor.Param;
import org.lra.model.tensor.Parameters;
import org.lra.model.tensor.Precision;
import org.lra.model.tensor.Rng;

/**
 * Every parameter gradient of the whole model, built by {@link ModelBuilder} with each production attention
 * (softmax, linear, band5, fmm with each paper blend; Retrieval's blends in the dual-tower model), against float64
 * finite differences. With dropout on, the loss re-runs the same training step: the masks are a pure function of
 * (seed, step, site, index), so forward and backward must apply the same mask, and any mismatch fails here. The
 * other poolings (mean-tokens, cls) are checked with a few of those attentions.
 */
class WholeModelGradientTest {

    static Stream<Arguments> cases() {
        return TestModels.PRODUCTION_ATTENTIONS.stream()
                .flatMap(a -> Stream.of(Arguments.of(a, 0.0), Arguments.of(a, 0.2)));
    }

    @ParameterizedTest(name = "{0}, dropout {1}")
    @MethodSource("cases")
    void gradientsMatchFiniteDifferences(String attention, double dropout) {
        check(attention, dropout, Pooling.MEAN);
    }

    /** The other poolings (the cases above pool by mean, the reference), in the single and the dual model. */
    static Stream<Arguments> poolingCases() {
        return Stream.of(Pooling.MEAN_TOKENS, Pooling.CLS).flatMap(p -> Stream.of("softmax", "band5", "fmm-listops-2k",
                "fmm-retrieval-2k").map(a -> Arguments.of(p, a)));
    }

    @ParameterizedTest(name = "{0}, {1}, dropout 0.2")
    @MethodSource("poolingCases")
    void otherPoolingsMatchFiniteDifferences(Pooling pooling, String attention) {
        check(attention, 0.2, pooling);
    }

    private static void check(String attention, double dropout, Pooling pooling) {
        boolean dual = attention.startsWith("fmm-retrieval");
        // odd, longer than the band, padding at the end of most sequences; some fill all 11 (cls drops a token)
        int seqLen = 11;
        ModelConfig cfg = TestModels.tiny(7, seqLen, 3, dropout, dual, TestModels.attention(attention))
                .withPooling(pooling);
        Model model = ModelBuilder.build(cfg, Precision.FLOAT64, 5);
        assertEquals(dual ? DualClassifier.class : Classifier.class, model.getClass());
        moveBlendWeightsOffTheirInit(model.parameters());
        Batch batch = TestModels.randomBatch(3, seqLen, 7, 3, 17, dual);
        TestModels.assertGradientsMatchFiniteDifferences(model, batch, dropout > 0 ? 2 : 1);
    }

    /** Blend weights start at 0 or 1, where some paths carry no gradient (far = 0 hides the kernels' weights). */
    private static void moveBlendWeightsOffTheirInit(Parameters params) {
        for (Param p : params.list()) {
            if (p.name().contains(".blend.")) {
                for (int i = 0; i < p.size(); i++) {
                    params.values().set(p.offset() + i, 0.2 + 0.6 * Rng.uniform(Rng.key(99, p.offset()), i));
                }
            }
        }
    }
}
