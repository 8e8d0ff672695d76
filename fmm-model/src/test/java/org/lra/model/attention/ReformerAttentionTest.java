package org.lra.model.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lra.model.config.AttentionConfig;
import org.lra.model.config.AttentionType;
import org.lra.model.config.PerformerKernel;
import org.lra.model.nn.StepContext;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Precision;

class ReformerAttentionTest {

    /**
     * LSH (T = 16 in chunks of 4, 2 rounds: 8 chunks, the first one's "before" wrapping to the last) and the plain
     * path (T = 9 in one chunk). The hash is piecewise constant; at these inputs no bucket changes within the step.
     */
    @Test
    void gradientsMatchFiniteDifferences() {
        try (Parallel pool = new Parallel(1)) {
            for (int hashes : new int[] {1, 2}) {
                AttentionHarness h = new AttentionHarness(Precision.FLOAT64, 2, 16, 2, 3, 71);
                h.checkGradients("reformer lsh hashes=" + hashes, new ReformerAttention(hashes, 4, 0, 0),
                        AttentionHarness.context(pool, true), null);
                assertEquals(0.0, Arrays.stream(h.dk.toDoubleArray(0, h.size())).map(Math::abs).sum(), "dk");
            }
            AttentionHarness h = AttentionHarness.small(72);
            h.checkGradients("reformer plain", new ReformerAttention(2, 64, 0, 0), AttentionHarness.context(pool, true),
                    null);
        }
    }

    /** Up to one chunk: softmax over all keys k = q/rms(q)/√D, padding at −1e9, the query itself at −1e5. */
    @Test
    void oneChunkIsSoftmaxWithPaddingAndSelfMasks() {
        try (Parallel pool = new Parallel(2)) {
            AttentionHarness h = new AttentionHarness(Precision.FLOAT64, 2, 12, 2, 4, 73);
            new ReformerAttention(2, 64, 0, 0).forward(AttentionHarness.context(pool, false), h.shape, h.q, h.k, h.v,
                    h.mask, h.out);
            int t = h.shape.seqLen();
            int d = h.shape.headDim();
            int width = h.shape.width();
            double[] want = new double[h.size()];
            for (int b = 0; b < h.shape.batch(); b++) {
                for (int hd = 0; hd < h.shape.heads(); hd++) {
                    for (int i = 0; i < t; i++) {
                        double[] p = new double[t];
                        double max = Double.NEGATIVE_INFINITY;
                        for (int j = 0; j < t; j++) {
                            double sq = 0;
                            double dot = 0;
                            for (int c = 0; c < d; c++) {
                                double kj = h.q.get((b * t + j) * width + hd * d + c);
                                sq += kj * kj;
                                dot += h.q.get((b * t + i) * width + hd * d + c) * kj;
                            }
                            p[j] = dot / Math.sqrt(sq / d + 1e-6) / Math.sqrt(d);
                            p[j] = h.mask.get(b * t + j) == 0 ? -1e9 : p[j];
                            p[j] = i == j ? -1e5 : p[j];
                            max = Math.max(max, p[j]);
                        }
                        double z = 0;
                        for (int j = 0; j < t; j++) {
                            p[j] = Math.exp(p[j] - max);
                            z += p[j];
                        }
                        for (int c = 0; c < d; c++) {
                            double o = 0;
                            for (int j = 0; j < t; j++) {
                                o += p[j] / z * h.v.get((b * t + j) * width + hd * d + c);
                            }
                            want[(b * t + i) * width + hd * d + c] = o;
                        }
                    }
                }
            }
            AttentionHarness.assertClose("reformer, one chunk", want, h.out, 1e-12);
        }
    }

    /** Rotations are drawn per forward from (seed, step, layer): a new step hashes differently, the same replays. */
    @Test
    void rotationsFollowSeedStepAndLayer() {
        try (Parallel pool = new Parallel(1)) {
            AttentionHarness h = new AttentionHarness(Precision.FLOAT64, 1, 64, 1, 4, 74);
            String a = run(h, 0, new StepContext(pool, true, 5, 1));
            assertEquals(a, run(h, 0, new StepContext(pool, true, 5, 1)));
            assertNotEquals(a, run(h, 0, new StepContext(pool, true, 5, 2)));
            assertNotEquals(a, run(h, 1, new StepContext(pool, true, 5, 1)));
            assertNotEquals(a, run(h, 0, new StepContext(pool, true, 6, 1)));
        }
    }

    private static String run(AttentionHarness h, int layer, StepContext ctx) {
        new ReformerAttention(2, 8, 0, layer).forward(ctx, h.shape, h.q, h.k, h.v, h.mask, h.out);
        return Arrays.toString(h.out.toDoubleArray(0, h.size()));
    }

    /** HF's automatic bucket count: 2^⌊log2(2T/L)⌋, split in two factors above 2·max(⌊√(T/L)⌋, L). */
    @Test
    void bucketsFollowHuggingFacesRule() {
        assertEquals("[128]", Arrays.toString(ReformerAttention.Plan.of(4096, 2, 64, 0).factors()));
        assertEquals("[64]", Arrays.toString(ReformerAttention.Plan.of(2048, 2, 64, 0).factors()));
        assertEquals("[16, 16]", Arrays.toString(ReformerAttention.Plan.of(8192, 2, 64, 0).factors()));
        assertEquals("[8]", Arrays.toString(ReformerAttention.Plan.of(16, 2, 4, 0).factors()));
        assertEquals("[6]", Arrays.toString(ReformerAttention.Plan.of(16, 2, 4, 6).factors()));
        assertEquals(false, ReformerAttention.Plan.of(64, 2, 64, 0).lsh());
        assertThrows(IllegalArgumentException.class, () -> ReformerAttention.Plan.of(100, 2, 64, 0));
    }

    /**
     * Factorised buckets (as HF for long sequences) hash and differentiate like one bucket count. With 32 buckets
     * some inputs put a query within the difference step of a bucket boundary (seed 75 does: the quotient then
     * jumps by hundreds); seed 76 does not.
     */
    @Test
    void factorisedBucketsGradients() {
        try (Parallel pool = new Parallel(1)) {
            AttentionHarness h = new AttentionHarness(Precision.FLOAT64, 1, 32, 1, 4, 76);
            // T/L = 16 -> 32 buckets > 2·max(4, 2): factors [4, 8]
            assertEquals("[4, 8]", Arrays.toString(ReformerAttention.Plan.of(32, 2, 2, 0).factors()));
            h.checkGradients("reformer factorised", new ReformerAttention(2, 2, 0, 0),
                    AttentionHarness.context(pool, true), null);
        }
    }

    @Test
    void factoryRejectsWhatDoesNotFit() {
        assertEquals("attention.numHashes must be >= 1, got 0", assertThrows(IllegalArgumentException.class,
                () -> PerformerAttentionTest.create(new AttentionConfig(AttentionType.reformer, 5, List.of(), null,
                        false, false).withReformer(0, 64, 0))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> PerformerAttentionTest.create(new AttentionConfig(
                AttentionType.reformer, 5, List.of(), null, false, false).withReformer(2, 64, 7)));
        assertEquals(ReformerAttention.class, PerformerAttentionTest.create(new AttentionConfig(AttentionType.reformer,
                5, List.of(), null, false, false)).getClass());
    }

    @Test
    void oneAndTwoThreadsGiveIdenticalResults() {
        ThreadDeterminism.assertSame(params -> new ReformerAttention(2, 10, 0, 0));
    }
}
