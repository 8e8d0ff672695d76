package org.lra.model.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import org.lra.model.nn.StepContext;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Param;
import org.lra.model.tensor.Precision;
import org.lra.model.tensor.Rng;
import org.lra.model.testing.AssertClose;
import org.lra.model.testing.GradCheck;

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
        try (Parallel pool = new Parallel(2)) {
            StepContext ctx = new StepContext(pool, true, 8, 2);
            model.parameters().zeroGrads();
            model.forwardBackward(ctx, batch);
            GradCheck.parameters(model.parameters(), () -> TestModels.trainingLoss(model, ctx, batch));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attentions")
    void float32CoreMatchesFloat64(String attention) {
        AttentionShape shape = new AttentionShape(5, 64, 2, 4);
        int n = shape.rows() * shape.width();
        Buf[][] results = new Buf[2][];
        for (Precision p : new Precision[] {Precision.FLOAT64, Precision.FLOAT32}) {
            Buf[] in = new Buf[4]; // q, k, v, upstream: the same float32-exact values in both precisions
            for (int t = 0; t < 4; t++) {
                in[t] = Buf.zeros(p, n);
                for (int i = 0; i < n; i++) {
                    in[t].set(i, (float) ((t < 2 ? 3.0 : 2.0) * (Rng.uniform(Rng.key(31, t), i) - 0.5)));
                }
            }
            Buf mask = Buf.zeros(p, shape.rows());
            for (int b = 0; b < shape.batch(); b++) {
                for (int t = 0; t < shape.seqLen() - 1 - 3 * b; t++) {
                    mask.set(b * shape.seqLen() + t, 1);
                }
            }
            AttentionConfig cfg = config(attention);
            Attention a = AttentionFactory.create(new AttentionConfig(cfg.type(), 5, List.of(), null, false, false)
                    .withPerformer(cfg.rpDim(), cfg.performerKernel()).withReformer(cfg.numHashes(), 8, 0),
                    null, "block0.attn", 2, 4, 0.0, 0);
            Buf[] res = {Buf.zeros(p, n), Buf.zeros(p, n), Buf.zeros(p, n), Buf.zeros(p, n)};
            try (Parallel pool = new Parallel(2)) {
                StepContext ctx = new StepContext(pool, true, 11, 3);
                a.forward(ctx, shape, in[0], in[1], in[2], mask, res[0]);
                a.backward(ctx, in[3], res[1], res[2], res[3]);
            }
            results[p == Precision.FLOAT64 ? 0 : 1] = res;
        }
        String[] what = {"out", "dq", "dk", "dv"};
        for (int r = 0; r < 4; r++) {
            AssertClose.float32(attention + " " + what[r], results[0][r].toDoubleArray(0, n), results[1][r], 0);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attentions")
    void float32WholeModelMatchesFloat64(String attention) {
        ModelConfig cfg = TestModels.tiny(9, SEQ_LEN, 3, 0.1, false, config(attention));
        Model m64 = ModelBuilder.build(cfg, Precision.FLOAT64, 3);
        Model m32 = ModelBuilder.build(cfg, Precision.FLOAT32, 3);
        for (int i = 0; i < m64.parameters().values().length(); i++) {
            m64.parameters().values().set(i, m32.parameters().values().get(i)); // the very same (float32) weights
        }
        Batch batch = TestModels.randomBatch(4, SEQ_LEN, 9, 3, 23, false);
        double loss64;
        double loss32;
        try (Parallel pool = new Parallel(2)) {
            StepContext ctx = new StepContext(pool, true, 5, 2);
            m64.parameters().zeroGrads();
            m32.parameters().zeroGrads();
            loss64 = m64.forwardBackward(ctx, batch).loss();
            loss32 = m32.forwardBackward(ctx, batch).loss();
        }
        assertEquals(loss64, loss32, AssertClose.FLOAT32_RTOL * Math.abs(loss64), attention + " loss");
        for (Param w : m64.parameters().list()) {
            AssertClose.float32(attention + " grad " + w.name(),
                    m64.parameters().grads().toDoubleArray(w.offset(), w.offset() + w.size()),
                    m32.parameters().grads(), w.offset());
        }
    }
}
