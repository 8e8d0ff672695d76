package org.lra.model.attention;

import org.junit.jupiter.api.Test;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Precision;

class LinearAttentionTest {

    @Test
    void gradientsMatchFiniteDifferences() {
        try (Parallel pool = new Parallel(1)) {
            for (boolean normalized : new boolean[] {false, true}) {
                for (boolean causal : new boolean[] {false, true}) {
                    for (FeatureMap map : FeatureMap.values()) {
                        AttentionHarness h = AttentionHarness.small(51);
                        h.checkGradients("linear " + map + " normalized=" + normalized + " causal=" + causal,
                                new LinearAttention(map, normalized, causal), AttentionHarness.context(pool, true),
                                null);
                    }
                }
            }
        }
    }

    /** Several causal chunks (T = 150 > FarField.CHUNK), including a partial last one. */
    @Test
    void causalGradientsAcrossChunks() {
        try (Parallel pool = new Parallel(2)) {
            for (boolean normalized : new boolean[] {false, true}) {
                AttentionHarness h = new AttentionHarness(Precision.FLOAT64, 1, 150, 1, 2, 52);
                h.checkGradients("linear chunks normalized=" + normalized,
                        new LinearAttention(FeatureMap.ELU, normalized, true), AttentionHarness.context(pool, true),
                        null);
            }
        }
    }

    @Test
    void equalsTheFormulaComputedPairByPair() {
        try (Parallel pool = new Parallel(2)) {
            for (boolean normalized : new boolean[] {false, true}) {
                for (boolean causal : new boolean[] {false, true}) {
                    for (FeatureMap map : FeatureMap.values()) {
                        for (int seqLen : new int[] {12, 150}) {
                            AttentionHarness h = new AttentionHarness(Precision.FLOAT64, 2, seqLen, 2, 4, 53);
                            new LinearAttention(map, normalized, causal).forward(AttentionHarness.context(pool, false),
                                    h.shape, h.q, h.k, h.v, h.mask, h.out);
                            double[] want = NaiveAttention.linear(h.shape, h.q, h.k, h.v, h.mask, map, normalized,
                                    causal);
                            AttentionHarness.assertClose("linear " + map + " normalized=" + normalized + " causal="
                                    + causal + " T=" + seqLen, want, h.out, 1e-9);
                        }
                    }
                }
            }
        }
    }

    @Test
    void causalNeverReadsTheFuture() {
        for (boolean normalized : new boolean[] {false, true}) {
            CausalityCheck.assertCausal(params -> new LinearAttention(FeatureMap.ELU, normalized, true));
        }
    }

    @Test
    void oneAndTwoThreadsGiveIdenticalResults() {
        ThreadDeterminism.assertSame(params -> new LinearAttention(FeatureMap.ELU, false, false));
        ThreadDeterminism.assertSame(params -> new LinearAttention(FeatureMap.ELU_FLIP, true, true));
    }
}
