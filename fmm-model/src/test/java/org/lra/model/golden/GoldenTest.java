package org.lra.model.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lra.data.Batch;
import org.lra.model.Model;
import org.lra.model.ModelBuilder;
import org.lra.model.TestModels;
import org.lra.model.attention.Attention;
import org.lra.model.attention.AttentionFactory;
import org.lra.model.attention.AttentionShape;
import org.lra.model.config.ModelConfig;
import org.lra.model.nn.StepContext;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Param;
import org.lra.model.tensor.Parameters;
import org.lra.model.tensor.Precision;
import org.lra.model.testing.AssertClose;

/**
 * Our float32 engine against the official FMMformer LRA code, run as it trains (float32, autocast off) with
 * dropout off by scripts/golden/make_fixtures.py on the same inputs and weights: the attention cores (softmax, linear, band5,
 * fmm with each paper blend), the whole classifier (softmax, linear, band5, fmm) and the dual-tower classifier
 * (fmm), forward outputs and every gradient. Tolerances: {@link AssertClose#float32}.
 */
class GoldenTest {
    private static final String PREFIX = "block0.attn";

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.lra.model.TestModels#productionAttentions")
    void attentionCoreMatchesTheOfficialCode(String attention) {
        GoldenFixture f = GoldenFixture.load("attention-" + attention);
        Precision p = Precision.FLOAT32;
        AttentionShape shape = new AttentionShape(f.size("shape.batch"), f.size("shape.seqLen"),
                f.size("shape.heads"), f.size("shape.headDim"));
        int rows = shape.rows();
        int width = shape.width();
        Parameters params = new Parameters();
        Attention core = AttentionFactory.create(TestModels.attention(attention), params, PREFIX, shape.heads(),
                shape.headDim(), 0.0, 0);
        params.allocate(p, 1);
        assertEquals(new TreeSet<>(blendNames(f, "blend.")), new TreeSet<>(names(params)), "learnable blend weights");
        for (Param w : params.list()) {
            setParam(params, w, f.get(w.name().substring(PREFIX.length() + 1)));
        }
        Buf out = Buf.zeros(p, rows * width);
        Buf dq = Buf.zeros(p, rows * width);
        Buf dk = Buf.zeros(p, rows * width);
        Buf dv = Buf.zeros(p, rows * width);
        try (Parallel pool = new Parallel(2)) {
            StepContext ctx = new StepContext(pool, true, 0, 0);
            core.forward(ctx, shape, f.buf("q", p), f.buf("k", p), f.buf("v", p), f.buf("mask", p), out);
            AssertClose.float32(f + " out", f.get("out"), out, 0);
            core.backward(ctx, f.buf("upstream", p), dq, dk, dv);
        }
        AssertClose.float32(f + " dq", f.get("dq"), dq, 0);
        AssertClose.float32(f + " dk", f.get("dk"), dk, 0);
        AssertClose.float32(f + " dv", f.get("dv"), dv, 0);
        for (Param w : params.list()) {
            AssertClose.float32(f + " grad " + w.name(), f.get("grad." + w.name().substring(PREFIX.length() + 1)),
                    params.grads(), w.offset());
        }
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
        int batch = f.get("labels").length;
        int seqLen = f.get("ids").length / batch;
        int ffn = f.size("model.ffnDim"); // the official head's hidden width is the FFN width too
        ModelConfig cfg = new ModelConfig(f.size("model.vocabSize"), seqLen, f.size("model.numClasses"),
                f.size("model.dim"), f.size("model.heads"), f.size("model.headDim"), f.size("model.layers"), ffn, ffn,
                0.0, 0.0, true, dual, TestModels.attention(attention));
        Model model = ModelBuilder.build(cfg, Precision.FLOAT32, 1);
        Parameters params = model.parameters();
        assertEquals(new TreeSet<>(parameterNames(f)), new TreeSet<>(names(params)), "parameter names");
        for (Param w : params.list()) {
            setParam(params, w, f.get(w.name()));
        }
        Batch b = new Batch(batch, seqLen, f.ints("ids"), dual ? f.ints("ids2") : null, f.ints("labels"));
        Model.Result r;
        try (Parallel pool = new Parallel(2)) {
            params.zeroGrads();
            r = model.forwardBackward(new StepContext(pool, true, 0, 0), b);
        }
        double want = f.get("loss")[0];
        assertEquals(want, r.loss(), AssertClose.FLOAT32_RTOL * Math.abs(want), fixture + " loss");
        for (Param w : params.list()) {
            AssertClose.float32(fixture + " grad " + w.name(), f.get("grad." + w.name()), params.grads(), w.offset());
        }
    }

    private static void setParam(Parameters params, Param w, double[] values) {
        assertEquals(w.size(), values.length, w.name() + " size");
        for (int i = 0; i < values.length; i++) {
            params.values().set(w.offset() + i, values[i]);
        }
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
