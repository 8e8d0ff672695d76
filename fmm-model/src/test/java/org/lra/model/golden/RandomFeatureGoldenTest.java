package org.lra.model.golden;

import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lra.model.attention.Attention;
import org.lra.model.attention.AttentionShape;
import org.lra.model.attention.PerformerAttention;
import org.lra.model.attention.ReformerAttention;
import org.lra.model.config.PerformerKernel;
import org.lra.model.nn.StepContext;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Precision;
import org.lra.model.testing.AssertClose;

/**
 * Our float32 performer and reformer cores against the official wrappers of performer_pytorch's FastAttention
 * and HF's LSHSelfAttention, run by scripts/golden/make_fixtures.py: forward outputs and the gradients of q, k
 * and v. The references draw random numbers inside (the projection, the rotations); the fixtures carry what
 * was drawn and our cores are handed exactly that. Tolerances: {@link AssertClose#float32}.
 */
class RandomFeatureGoldenTest {

    /** performer-exp is the official performer-256 module as it runs; performer-relu its ReLU-feature variant. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"performer-exp", "performer-relu"})
    void performerMatchesTheReference(String fixture) {
        PerformerKernel kernel = fixture.endsWith("exp") ? PerformerKernel.exp : PerformerKernel.relu;
        check(GoldenFixture.load("attention-" + fixture), f -> {
            double[] w = f.get("projection");
            PerformerAttention a = new PerformerAttention(kernel, w.length / f.size("shape.headDim"), 0);
            a.useProjection(w);
            return a;
        });
    }

    /** HF's LSH attention as the official reformer-2 runs it, on 4 chunks per round (chunk length 4). */
    @Test
    void reformerMatchesTheReference() {
        check(GoldenFixture.load("attention-reformer"), f -> {
            ReformerAttention a = new ReformerAttention(f.size("lsh.numHashes"), f.size("lsh.chunkLength"), 0, 0);
            a.useRotations(f.get("rotations"));
            return a;
        });
    }

    static void check(GoldenFixture f, Function<GoldenFixture, Attention> make) {
        Precision p = Precision.FLOAT32;
        AttentionShape shape = new AttentionShape(f.size("shape.batch"), f.size("shape.seqLen"),
                f.size("shape.heads"), f.size("shape.headDim"));
        int n = shape.rows() * shape.width();
        Attention core = make.apply(f);
        Buf out = Buf.zeros(p, n);
        Buf dq = Buf.zeros(p, n);
        Buf dk = Buf.zeros(p, n);
        Buf dv = Buf.zeros(p, n);
        try (Parallel pool = new Parallel(2)) {
            StepContext ctx = new StepContext(pool, true, 0, 0);
            core.forward(ctx, shape, f.buf("q", p), f.buf("k", p), f.buf("v", p), f.buf("mask", p), out);
            AssertClose.float32(f + " out", f.get("out"), out, 0);
            core.backward(ctx, f.buf("upstream", p), dq, dk, dv);
        }
        AssertClose.float32(f + " dq", f.get("dq"), dq, 0);
        AssertClose.float32(f + " dk", f.get("dk"), dk, 0);
        AssertClose.float32(f + " dv", f.get("dv"), dv, 0);
    }
}
