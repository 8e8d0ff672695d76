package org.lra.model.attention;

import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Precision;

class SoftmaxAttentionTest {

    @Test
    void gradientsMatchFiniteDifferences() {
        try (Parallel pool = new Parallel(1)) {
            for (boolean causal : new boolean[] {false, true}) {
                AttentionHarness h = AttentionHarness.small(41);
                h.checkGradients("softmax causal=" + causal, new SoftmaxAttention(causal, 0.0, 0),
                        AttentionHarness.context(pool, true), null);
            }
        }
    }

    @Test
    void gradientsMatchFiniteDifferencesWithDropoutActive() {
        try (Parallel pool = new Parallel(1)) {
            AttentionHarness h = new AttentionHarness(Precision.FLOAT64, 2, 8, 2, 4, 42);
            h.checkGradients("softmax dropout", new SoftmaxAttention(false, 0.3, 0),
                    AttentionHarness.context(pool, true), null);
        }
    }

    @Test
    void equalsTheReferenceFormula() {
        try (Parallel pool = new Parallel(2)) {
            for (boolean causal : new boolean[] {false, true}) {
                AttentionHarness h = new AttentionHarness(Precision.FLOAT64, 2, 12, 2, 4, 43);
                h.sharpen(2);
                new SoftmaxAttention(causal, 0.1, 0)
                        .forward(AttentionHarness.context(pool, false), h.shape, h.q, h.k, h.v, h.mask, h.out);
                double[] want = NaiveAttention.denseBand(h.shape, h.q, h.k, h.v, h.mask, h.shape.seqLen(), causal);
                AttentionHarness.assertClose("softmax causal=" + causal, want, h.out, 1e-9);
            }
        }
    }

    @Test
    void backwardWithoutTrainingForwardIsRefused() {
        try (Parallel pool = new Parallel(1)) {
            AttentionHarness h = AttentionHarness.small(44);
            SoftmaxAttention attention = new SoftmaxAttention(false, 0.0, 0);
            attention.forward(AttentionHarness.context(pool, false), h.shape, h.q, h.k, h.v, h.mask, h.out);
            assertThrows(IllegalStateException.class, () -> attention.backward(AttentionHarness.context(pool, false),
                    h.upstream, h.dq, h.dk, h.dv));
        }
    }

    @Test
    void causalNeverReadsTheFuture() {
        CausalityCheck.assertCausal(params -> new SoftmaxAttention(true, 0.2, 0));
    }

    @Test
    void oneAndTwoThreadsGiveIdenticalResults() {
        ThreadDeterminism.assertSame(params -> new SoftmaxAttention(false, 0.1, 0));
    }
}
