package org.lra.model.attention;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Parameters;
import org.lra.model.tensor.Precision;

class NystromAttentionTest {

    /** T = 12 with 4 landmarks of 3 rows and with 3 of 4 rows; the conv filters off their init; 2 sequences. */
    @Test
    void gradientsMatchFiniteDifferences() {
        try (Parallel pool = new Parallel(1)) {
            for (int landmarks : new int[] {4, 3}) {
                for (int taps : new int[] {0, 3, 5}) {
                    AttentionHarness h = new AttentionHarness(Precision.FLOAT64, 2, 12, 2, 3, 61);
                    Parameters params = new Parameters();
                    NystromAttention a = new NystromAttention(landmarks, taps, params, "block0.attn", 2);
                    params.allocate(Precision.FLOAT64, 3);
                    AttentionHarness.perturbWeights(params);
                    h.checkGradients("nystrom m=" + landmarks + " taps=" + taps, a,
                            AttentionHarness.context(pool, true), params);
                }
            }
        }
    }

    /** The pseudo-inverse's scale c is one number for the whole batch: a change in one sequence moves another. */
    @Test
    void theInverseScaleCouplesTheBatchAsTheReferenceDoes() {
        try (Parallel pool = new Parallel(2)) {
            AttentionHarness h = new AttentionHarness(Precision.FLOAT64, 2, 8, 1, 2, 62);
            NystromAttention a = new NystromAttention(2, 0, new Parameters(), "p", 1);
            a.forward(AttentionHarness.context(pool, false), h.shape, h.q, h.k, h.v, h.mask, h.out);
            double before = h.out.get(0);
            for (int i = h.size() / 2; i < h.size(); i++) { // sharpen the second sequence only
                h.q.set(i, h.q.get(i) * 4);
                h.k.set(i, h.k.get(i) * 4);
            }
            a.forward(AttentionHarness.context(pool, false), h.shape, h.q, h.k, h.v, h.mask, h.out);
            assertTrue(before != h.out.get(0), "sequence 0 ignores the batch-wide scale");
        }
    }

    @Test
    void landmarksMustDivideTheLengthAndBeFewer() {
        try (Parallel pool = new Parallel(1)) {
            for (int landmarks : new int[] {5, 12}) {
                AttentionHarness h = new AttentionHarness(Precision.FLOAT64, 1, 12, 1, 2, 63);
                NystromAttention a = new NystromAttention(landmarks, 0, new Parameters(), "p", 1);
                assertThrows(IllegalArgumentException.class,
                        () -> a.forward(AttentionHarness.context(pool, false), h.shape, h.q, h.k, h.v, h.mask, h.out));
            }
        }
    }

    @Test
    void oneAndTwoThreadsGiveIdenticalResults() {
        ThreadDeterminism.assertSame(params -> new NystromAttention(7, 5, params, "block0.attn", 2));
    }
}
