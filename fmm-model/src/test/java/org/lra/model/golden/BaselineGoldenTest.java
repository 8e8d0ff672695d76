package org.lra.model.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lra.model.TestModels;
import org.lra.model.attention.Attention;
import org.lra.model.attention.AttentionFactory;
import org.lra.model.attention.AttentionShape;
import org.lra.model.config.AttentionConfig;
import org.lra.model.tensor.Param;
import org.lra.model.tensor.Parameters;
import org.lra.model.tensor.Precision;

/**
 * The LRA baselines' attention cores (nystrom, linformer) in float32 against the official code's classes, run
 * by scripts/golden/make_fixtures.py on the same inputs and parameters (dropout off): out, dq, dk, dv and the
 * gradient of every parameter of the core (nystrom's conv filters, linformer's shared E). The fixture's sizes
 * set the knobs that {@link TestModels#attention} gives these names at test size: 4 landmarks, k = 4; the
 * conv taps and E's columns come from the fixture's parameter shapes.
 */
class BaselineGoldenTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.lra.model.TestModels#baselineAttentions")
    void attentionCoreMatchesTheOfficialCode(String attention) {
        GoldenFixture f = GoldenFixture.load("attention-" + attention);
        AttentionShape shape = f.attentionShape();
        AttentionConfig cfg = TestModels.attention(attention);
        if (attention.equals("nystrom")) { // the official case uses 5 taps
            cfg = cfg.withNystrom(cfg.numLandmarks(), f.get("param.block0.attn.conv").length / shape.heads());
        }
        Parameters params = new Parameters();
        Attention core = AttentionFactory.create(cfg, params, "block0.attn", shape.heads(), shape.headDim(), 0.0, 0,
                shape.seqLen());
        params.allocate(Precision.FLOAT32, 1);
        List<String> fixtureParams = new ArrayList<>();
        for (String name : f.names()) {
            if (name.startsWith("param.")) {
                fixtureParams.add(name.substring("param.".length()));
            }
        }
        assertEquals(new TreeSet<>(fixtureParams),
                new TreeSet<>(params.list().stream().map(Param::name).toList()), "parameters");
        for (Param w : params.list()) {
            f.setParam(params, w, "param." + w.name());
        }
        f.checkAttention(core, params, w -> "grad.param." + w.name());
    }
}
