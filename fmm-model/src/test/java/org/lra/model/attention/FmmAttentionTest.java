package org.lra.model.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lra.model.config.AttentionConfig;
import org.lra.model.config.AttentionType;
import org.lra.model.config.BlendConfig;
import org.lra.model.config.KernelType;
import org.lra.model.config.WeightShape;
import org.lra.model.config.WeightSpec;
import org.lra.model.nn.StepContext;
import org.lra.model.tensor.Param;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Parameters;
import org.lra.model.tensor.Precision;

class FmmAttentionTest {

    static List<ReferenceBlends.Row> rows() {
        return ReferenceBlends.all();
    }

    private static Attention build(AttentionConfig cfg, Parameters params, double dropout, int heads, int headDim) {
        return AttentionFactory.create(cfg, params, "block0.attn", heads, headDim, dropout, 0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void gradientsMatchFiniteDifferencesForEveryReferenceBlend(ReferenceBlends.Row row) {
        try (Parallel pool = new Parallel(1)) {
            AttentionHarness h = AttentionHarness.small(61);
            h.sharpen(1.5);
            Parameters params = new Parameters();
            Attention attention = build(row.config(3, false, false), params, 0.0, 2, 3);
            params.allocate(Precision.FLOAT64, 1);
            AttentionHarness.perturbWeights(params);
            h.checkGradients("fmm " + row, attention, AttentionHarness.context(pool, true), params);
        }
    }

    @Test
    void causalNormalizedWithDropoutGradients() {
        try (Parallel pool = new Parallel(2)) {
            for (ReferenceBlends.Row row : List.of(rows().get(1), rows().get(9))) {
                AttentionHarness h = AttentionHarness.small(62);
                Parameters params = new Parameters();
                Attention attention = build(row.config(3, true, true), params, 0.3, 2, 3);
                params.allocate(Precision.FLOAT64, 1);
                AttentionHarness.perturbWeights(params);
                h.checkGradients("fmm causal normalized dropout " + row, attention,
                        AttentionHarness.context(pool, true), params);
            }
        }
    }

    @Test
    void nearWeightOneAndFarWeightZeroIsTheBand() {
        try (Parallel pool = new Parallel(2)) {
            BlendConfig blend = new BlendConfig(WeightSpec.fixed(1), WeightSpec.fixed(0),
                    List.of(WeightSpec.fixed(1), WeightSpec.fixed(1)));
            AttentionConfig cfg = new AttentionConfig(AttentionType.fmm, 4,
                    List.of(KernelType.elu, KernelType.elu_flip), blend, false, false);
            StepContext ctx = AttentionHarness.context(pool, true);
            AttentionHarness a = new AttentionHarness(Precision.FLOAT64, 2, 20, 2, 4, 63);
            AttentionHarness b = new AttentionHarness(Precision.FLOAT64, 2, 20, 2, 4, 63);
            Parameters params = new Parameters();
            Attention fmm = build(cfg, params, 0.2, 2, 4);
            params.allocate(Precision.FLOAT64, 1);
            a.gradients(fmm, ctx, params);
            b.gradients(new BandAttention(4, false, 0.2, 0), ctx, null);
            int n = a.size();
            AttentionHarness.assertClose("out", b.out, a.out, n, 1e-12);
            AttentionHarness.assertClose("dq", b.dq, a.dq, n, 1e-12);
            AttentionHarness.assertClose("dk", b.dk, a.dk, n, 1e-12);
            AttentionHarness.assertClose("dv", b.dv, a.dv, n, 1e-12);
        }
    }

    @Test
    void registersLearnableBlendWeightsWithoutDecay() {
        Parameters params = new Parameters();
        build(rows().get(1).config(5, false, false), params, 0.1, 2, 32); // listops-2k
        build(rows().get(9).config(5, false, false), new Parameters(), 0.1, 2, 32);
        assertEquals(List.of("block0.attn.blend.near", "block0.attn.blend.far", "block0.attn.blend.kernel0",
                "block0.attn.blend.kernel1"), params.list().stream().map(Param::name).toList());
        assertEquals(List.of(2, 2, 1, 1), params.list().stream().map(Param::size).toList());
        for (Param p : params.list()) {
            assertFalse(p.decay(), p.name());
        }
        Parameters text = new Parameters();
        build(rows().get(2).config(5, false, false), text, 0.1, 2, 32); // text-1k: far per head-dim
        assertEquals(64, text.get("block0.attn.blend.far").size());
    }

    @Test
    void causalNeverReadsTheFuture() {
        AttentionConfig cfg = new AttentionConfig(AttentionType.fmm, 5, List.of(KernelType.elu, KernelType.tanh),
                new BlendConfig(WeightSpec.learned(WeightShape.per_head_dim, 0), WeightSpec.fixed(1),
                        List.of(WeightSpec.fixed(0.5), WeightSpec.fixed(0.5))), true, true);
        CausalityCheck.assertCausal(params -> build(cfg, params, 0.1, 2, 4));
    }

    @Test
    void oneAndTwoThreadsGiveIdenticalResults() {
        ThreadDeterminism.assertSame(params -> build(rows().get(9).config(5, false, false), params, 0.1, 2, 8));
    }
}
