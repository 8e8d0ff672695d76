package org.lra.model.attention;

import org.junit.jupiter.api.Test;
import org.lra.model.nn.StepContext;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Precision;

class BandAttentionTest {

    @Test
    void gradientsMatchFiniteDifferences() {
        try (Parallel pool = new Parallel(1)) {
            for (boolean causal : new boolean[] {false, true}) {
                AttentionHarness h = AttentionHarness.small(11);
                h.sharpen(1.5);
                h.checkGradients("band causal=" + causal, new BandAttention(3, causal, 0.0, 0),
                        AttentionHarness.context(pool, true), null);
            }
        }
    }

    @Test
    void gradientsMatchFiniteDifferencesWithDropoutActive() {
        try (Parallel pool = new Parallel(1)) {
            AttentionHarness h = new AttentionHarness(Precision.FLOAT64, 2, 10, 2, 4, 12);
            h.checkGradients("band dropout", new BandAttention(3, false, 0.3, 1),
                    AttentionHarness.context(pool, true), null);
        }
    }

    @Test
    void equalsDenseSoftmaxWithExplicitBandMask() {
        try (Parallel pool = new Parallel(2)) {
            for (boolean causal : new boolean[] {false, true}) {
                for (int bandwidth : new int[] {1, 2, 3, 5, 12, 20}) {
                    AttentionHarness h = new AttentionHarness(Precision.FLOAT64, 2, 12, 2, 4, 13 + bandwidth);
                    h.sharpen(2);
                    new BandAttention(bandwidth, causal, 0.0, 0)
                            .forward(AttentionHarness.context(pool, false), h.shape, h.q, h.k, h.v, h.mask, h.out);
                    double[] want = NaiveAttention.denseBand(h.shape, h.q, h.k, h.v, h.mask, bandwidth, causal);
                    AttentionHarness.assertClose("band k=" + bandwidth + " causal=" + causal, want, h.out, 1e-6);
                }
            }
        }
    }

    /** A band wider than the sequence is full softmax; both use the dense (i, j) dropout index, so they match with dropout on. */
    @Test
    void wideBandEqualsSoftmaxAttentionIncludingDropout() {
        try (Parallel pool = new Parallel(2)) {
            for (boolean causal : new boolean[] {false, true}) {
                StepContext ctx = AttentionHarness.context(pool, true);
                AttentionHarness a = new AttentionHarness(Precision.FLOAT64, 2, 11, 2, 3, 14);
                AttentionHarness b = new AttentionHarness(Precision.FLOAT64, 2, 11, 2, 3, 14);
                a.gradients(new BandAttention(11, causal, 0.25, 3), ctx, null);
                b.gradients(new SoftmaxAttention(causal, 0.25, 3), ctx, null);
                int n = a.size();
                AttentionHarness.assertClose("out", b.out, a.out, n, 1e-12);
                AttentionHarness.assertClose("dq", b.dq, a.dq, n, 1e-12);
                AttentionHarness.assertClose("dk", b.dk, a.dk, n, 1e-12);
                AttentionHarness.assertClose("dv", b.dv, a.dv, n, 1e-12);
            }
        }
    }

    @Test
    void causalNeverReadsTheFuture() {
        CausalityCheck.assertCausal(params -> new BandAttention(4, true, 0.2, 0));
    }

    @Test
    void oneAndTwoThreadsGiveIdenticalResults() {
        ThreadDeterminism.assertSame(params -> new BandAttention(5, false, 0.1, 0));
    }

    @Test
    void simdHeadsGiveIdenticalResultsOnOneAndTwoThreads() {
        ThreadDeterminism.assertSame(params -> new BandAttention(5, false, 0.1, 0), 32);
        ThreadDeterminism.assertSame(params -> new BandAttention(9, true, 0.1, 0), 32);
    }

    /**
     * The float32 Vector API path (heads of whole SIMD vectors) against float64 on the same inputs and dropout
     * masks, for bands of one vector of lanes and of several, both wider than and beyond the sequence's ends.
     * Padding is at most 4 tokens, so no band of 5 or more holds only padding (there float32 rounds the
     * reference's penalty differently by design).
     */
    @Test
    void simdHeadsMatchFloat64IncludingDropout() {
        try (Parallel pool = new Parallel(1)) {
            for (boolean causal : new boolean[] {false, true}) {
                for (int bandwidth : new int[] {5, 9, 20, 45}) {
                    AttentionHarness f32 = new AttentionHarness(Precision.FLOAT32, 2, 40, 2, 32, 17);
                    AttentionHarness f64 = new AttentionHarness(Precision.FLOAT64, 2, 40, 2, 32, 17);
                    f32.gradients(new BandAttention(bandwidth, causal, 0.2, 1), AttentionHarness.context(pool, true),
                            null);
                    f64.gradients(new BandAttention(bandwidth, causal, 0.2, 1), AttentionHarness.context(pool, true),
                            null);
                    String name = "band k=" + bandwidth + " causal=" + causal + " ";
                    int n = f32.size();
                    AttentionHarness.assertClose(name + "out", f64.out, f32.out, n, 1e-5);
                    AttentionHarness.assertClose(name + "dq", f64.dq, f32.dq, n, 1e-5);
                    AttentionHarness.assertClose(name + "dk", f64.dk, f32.dk, n, 1e-5);
                    AttentionHarness.assertClose(name + "dv", f64.dv, f32.dv, n, 1e-5);
                }
            }
        }
    }
}
