package org.lra.model.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.lra.model.Model;
import org.lra.model.ModelBuilder;
import org.lra.model.TestModels;
import org.lra.model.attention.Attention;
import org.lra.model.attention.AttentionFactory;
import org.lra.model.attention.AttentionShape;
import org.lra.model.config.Pooling;
import org.lra.model.tensor.Param;
import org.lra.model.tensor.Parameters;
import org.lra.model.tensor.Precision;
import org.lra.model.testing.AssertClose;

/**
 * Our float32 engine against the official FMMformer LRA code, run as it trains (float32, autocast off) with
 * dropout off by scripts/golden/make_fixtures.py on the same inputs and weights: the attention cores (softmax, linear, band5,
 * fmm with each paper blend), the whole classifier (softmax, linear, band5, fmm) and the dual-tower classifier
 * (fmm), both also with the official CLS pooling, forward outputs and every gradient. Tolerances: {@link AssertClose#float32}.
 */
class GoldenTest {
    private static final String PREFIX = "block0.attn";

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.lra.model.TestModels#productionAttentions")
    void attentionCoreMatchesTheOfficialCode(String attention) {
        GoldenFixture f = GoldenFixture.load("attention-" + attention);
        AttentionShape shape = f.attentionShape();
        Parameters params = new Parameters();
        Attention core = AttentionFactory.create(TestModels.attention(attention), params, PREFIX, shape.heads(),
                shape.headDim(), 0.0, 0);
        params.allocate(Precision.FLOAT32, 1);
        assertEquals(new TreeSet<>(blendNames(f, "blend.")), new TreeSet<>(names(params)), "learnable blend weights");
        for (Param w : params.list()) {
            f.setParam(params, w, w.name().substring(PREFIX.length() + 1));
        }
        f.checkAttention(core, params, w -> "grad." + w.name().substring(PREFIX.length() + 1));
    }

    static Stream<Arguments> models() {
        return Stream.of(Arguments.of("classifier-softmax", "softmax", false),
                Arguments.of("classifier-linear", "linear", false),
                Arguments.of("classifier-band5", "band5", false),
                Arguments.of("classifier-fmm-listops-2k", "fmm-listops-2k", false),
                Arguments.of("dual-fmm-retrieval-2k", "fmm-retrieval-2k", true),
                // the LRA baselines at test size (TestModels): nystrom 4 landmarks + 3-tap conv, linformer k = 4
                Arguments.of("classifier-nystrom", "nystrom", false),
                Arguments.of("classifier-linformer", "linformer", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void wholeModelMatchesTheOfficialCode(String fixture, String attention, boolean dual) {
        GoldenFixture f = GoldenFixture.load(fixture);
        Model model = ModelBuilder.build(f.modelConfig(dual, TestModels.attention(attention)), Precision.FLOAT32, 1);
        assertEquals(new TreeSet<>(parameterNames(f)), new TreeSet<>(names(model.parameters())), "parameter names");
        f.checkModel(model, dual, Set.of());
    }

    /**
     * The official CLS pooling (pooling_mode CLS, its append_cls): the CLS token, the shift that drops the last
     * position (the first sequence of each fixture fills all T) and the pooled first state, single and dual.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"classifier-cls-fmm-listops-2k, fmm-listops-2k, false", "dual-cls-fmm-retrieval-2k, fmm-retrieval-2k, true"})
    void clsPoolingMatchesTheOfficialCode(String fixture, String attention, boolean dual) {
        GoldenFixture f = GoldenFixture.load(fixture);
        Model model = ModelBuilder.build(f.modelConfig(dual, TestModels.attention(attention), Pooling.CLS),
                Precision.FLOAT32, 1);
        assertEquals(new TreeSet<>(parameterNames(f)), new TreeSet<>(names(model.parameters())), "parameter names");
        f.checkModel(model, dual, Set.of());
    }

    private static List<String> names(Parameters params) {
        return params.list().stream().map(Param::name).toList();
    }

    /** The fixture's blend weights under our full names. */
    private static List<String> blendNames(GoldenFixture f, String prefix) {
        List<String> out = new ArrayList<>();
        for (String n : f.names()) {
            if (n.startsWith(prefix)) {
                out.add(PREFIX + "." + n);
            }
        }
        return out;
    }

    /** Every tensor of a model fixture that is a parameter (not a size, an input, the loss or a gradient). */
    private static List<String> parameterNames(GoldenFixture f) {
        List<String> out = new ArrayList<>();
        for (String n : f.names()) {
            if (!n.startsWith("grad.") && !n.startsWith("model.") && !List.of("ids", "ids2", "labels", "loss").contains(n)) {
                out.add(n);
            }
        }
        return out;
    }
}
