package org.lra.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import org.lra.model.nn.StepContext;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Param;
import org.lra.model.tensor.Parameters;
import org.lra.model.tensor.Precision;
import org.lra.model.tensor.Rng;
import org.lra.model.testing.AssertClose;
import org.lra.model.testing.GradCheck;

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
        try (Parallel pool = new Parallel(dropout > 0 ? 2 : 1)) {
            StepContext ctx = new StepContext(pool, true, 8, 2);
            model.parameters().zeroGrads();
            model.forwardBackward(ctx, batch);
            GradCheck.parameters(model.parameters(), () -> TestModels.trainingLoss(model, ctx, batch));
        }
    }

    /** T = 64 with 4 landmarks of 16 rows; 5 sequences, each ending in 1 to 4 padding tokens. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("org.lra.model.TestModels#baselineAttentions")
    void float32CoreAgreesWithFloat64(String attention) {
        int seqLen = 64;
        AttentionShape shape = new AttentionShape(5, seqLen, 2, 4);
        int n = shape.rows() * shape.width();
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
        Buf[][] in = new Buf[2][5]; // q, k, v, upstream, mask in float64 and float32
        Precision[] precisions = {Precision.FLOAT64, Precision.FLOAT32};
        for (int pi = 0; pi < 2; pi++) {
            for (int t = 0; t < 4; t++) {
                in[pi][t] = Buf.zeros(precisions[pi], n);
                for (int i = 0; i < n; i++) {
                    in[pi][t].set(i, (float) ((t < 2 ? 3.0 : 2.0) * (Rng.uniform(Rng.key(31, t), i) - 0.5)));
                }
            }
            in[pi][4] = Buf.zeros(precisions[pi], shape.rows());
            for (int b = 0; b < shape.batch(); b++) {
                for (int t = 0; t < seqLen - 1 - b % 4; t++) {
                    in[pi][4].set(b * seqLen + t, 1);
                }
            }
        }
        Buf[] res64 = run(a64, p64, shape, in[0]);
        Buf[] res32 = run(a32, p32, shape, in[1]);
        String[] what = {"out", "dq", "dk", "dv"};
        for (int r = 0; r < 4; r++) {
            AssertClose.float32(attention + " " + what[r], res64[r].toDoubleArray(0, n), res32[r], 0);
        }
        for (Param w : p64.list()) {
            AssertClose.float32(attention + " grad " + w.name(),
                    p64.grads().toDoubleArray(w.offset(), w.offset() + w.size()), p32.grads(), w.offset());
        }
    }

    private static Buf[] run(Attention a, Parameters params, AttentionShape shape, Buf[] in) {
        Precision p = in[0].precision();
        int n = shape.rows() * shape.width();
        Buf[] res = {Buf.zeros(p, n), Buf.zeros(p, n), Buf.zeros(p, n), Buf.zeros(p, n)};
        try (Parallel pool = new Parallel(2)) {
            StepContext ctx = new StepContext(pool, true, 11, 3);
            params.zeroGrads();
            a.forward(ctx, shape, in[0], in[1], in[2], in[4], res[0]);
            a.backward(ctx, in[3], res[1], res[2], res[3]);
        }
        return res;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.lra.model.TestModels#baselineAttentions")
    void float32ModelAgreesWithFloat64(String attention) {
        ModelConfig cfg = TestModels.tiny(9, 64, 3, 0.1, false, TestModels.attention(attention));
        Model m64 = ModelBuilder.build(cfg, Precision.FLOAT64, 3);
        Model m32 = ModelBuilder.build(cfg, Precision.FLOAT32, 3);
        Buf v64 = m64.parameters().values();
        Buf v32 = m32.parameters().values();
        for (int i = 0; i < v64.length(); i++) {
            v64.set(i, v32.get(i));
        }
        Batch batch = TestModels.randomBatch(4, 64, 9, 3, 23, false);
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
