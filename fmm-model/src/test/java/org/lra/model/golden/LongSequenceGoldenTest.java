package org.lra.model.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.lra.data.Batch;
import org.lra.model.Model;
import org.lra.model.ModelBuilder;
import org.lra.model.TestModels;
import org.lra.model.config.ModelConfig;
import org.lra.model.config.Pooling;
import org.lra.model.nn.StepContext;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Param;
import org.lra.model.tensor.Parameters;
import org.lra.model.tensor.Precision;
import org.lra.model.testing.AssertClose;

/**
 * Our float32 engine against the official FMMformer code at the paper's ListOps shape, where the short fixtures of
 * {@link GoldenTest} (T = 13, 16) cannot look: the fmm-2kernel-band5 model with its 2048-row position table, one
 * training step (dropout off) on B = 4 real ListOps examples of 501 to 1998 tokens padded to T = 2048, the far
 * field weighted so that it carries a large share of every layer's output (far 0.002 against a far-field RMS of
 * 200 to 1200). The far field's 1/sqrt(T) scale, the position ids and table size, the key mask of long padding
 * runs and the mean pooling over padded rows all reach the loss and the gradients checked here.
 *
 * <p>The fixture (scripts/golden/make_long_fixture.py) keeps it small: the weights are our own draw for its seed
 * (checked by their sums), the reference is the official model in float64, and of each large gradient only its
 * norm, its largest entry and 24 entries at fixed indices are kept. Tolerances: {@link AssertClose#float32}, with
 * the tensor's largest |entry| taken from the fixture.
 */
class LongSequenceGoldenTest {

    @Test
    void paperListOpsStepAtT2048MatchesTheOfficialCode() {
        GoldenFixture f = GoldenFixture.load("long-fmm-listops-2k");
        ModelConfig cfg = new ModelConfig(f.size("model.vocabSize"), f.size("model.maxLength"),
                f.size("model.numClasses"), f.size("model.dim"), f.size("model.heads"), f.size("model.headDim"),
                f.size("model.layers"), f.size("model.ffnDim"), f.size("model.ffnDim"), 0.0, 0.0, true, Pooling.MEAN, false,
                TestModels.attention("fmm-listops-2k"));
        assertEquals(f.size("model.positionTable"), cfg.positionTableSize(), "position table rows (official: "
                + "nextPow2 of max_seq_len)");
        Model model = ModelBuilder.build(cfg, Precision.FLOAT32, f.size("init.seed"));
        Parameters params = model.parameters();
        for (Param w : params.list()) {
            if (f.has("param." + w.name())) {
                f.setParam(params, w, "param." + w.name());
            } else {
                assertSameDraw(f, params, w);
            }
        }

        int batch = f.get("labels").length;
        int seqLen = f.get("ids").length / batch;
        double loss;
        try (Parallel pool = new Parallel(2)) {
            params.zeroGrads();
            loss = model.forwardBackward(new StepContext(pool, true, 0, 0),
                    new Batch(batch, seqLen, f.ints("ids"), null, f.ints("labels"))).loss();
        }
        double want = f.get("loss")[0];
        assertEquals(want, loss, AssertClose.FLOAT32_RTOL * Math.abs(want), "loss");

        for (Param w : params.list()) {
            String g = "grad." + w.name();
            double maxAbs = f.get("maxabs." + g)[0];
            double atol = Math.max(AssertClose.FLOAT32_ATOL_FLOOR, AssertClose.FLOAT32_ATOL_OF_MAX * maxAbs);
            if (f.has(g)) {
                AssertClose.float32(g, f.get(g), params.grads(), w.offset());
            } else {
                int[] idx = f.ints("idx." + g);
                Buf picked = Buf.zeros(Precision.FLOAT64, idx.length);
                for (int i = 0; i < idx.length; i++) {
                    picked.set(i, params.grads().get(w.offset() + idx[i]));
                }
                AssertClose.close(g + " at idx." + g, f.get("sample." + g), picked, 0, atol, AssertClose.FLOAT32_RTOL);
            }
            double norm = 0;
            for (int i = 0; i < w.size(); i++) {
                double v = params.grads().get(w.offset() + i);
                norm += v * v;
            }
            double wantNorm = f.get("norm." + g)[0];
            assertEquals(wantNorm, Math.sqrt(norm), atol + AssertClose.FLOAT32_RTOL * wantNorm, "norm of " + g);
        }
    }

    /** The fixture was made from our draw for its seed: a changed draw fails here, not as a gradient mismatch. */
    private static void assertSameDraw(GoldenFixture f, Parameters params, Param w) {
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < w.size(); i++) {
            double v = params.values().get(w.offset() + i);
            sum += v;
            sumSq += v * v;
        }
        double[] want = f.get("sum." + w.name());
        String why = w.name() + ": not the fixture's initial weights (the seed's draw changed? rerun "
                + "scripts/golden/make_long_fixture.py)";
        assertEquals(want[0], sum, 1e-6 * Math.max(1, Math.sqrt(want[1])), why + ", sum");
        assertEquals(want[1], sumSq, 1e-6 * want[1], why + ", sum of squares");
    }
}
