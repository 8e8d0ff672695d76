package org.lra.model.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.lra.model.config.AttentionConfig;
import org.lra.model.config.AttentionType;
import org.lra.model.config.PerformerKernel;
import org.lra.model.nn.StepContext;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Parameters;
import org.lra.model.tensor.Precision;
import org.lra.model.tensor.Rng;

class PerformerAttentionTest {

    /**
     * Finite differences of the whole function. exp runs with feature constant 0: its max shifts are constants
     * for the gradient (detached, as in the reference), and only at eps = 0 do they cancel out of the function.
     * The constant itself only adds to the features, so its value does not change which paths are checked.
     */
    @Test
    void gradientsMatchFiniteDifferences() {
        try (Parallel pool = new Parallel(1)) {
            for (PerformerKernel kernel : PerformerKernel.values()) {
                for (int features : new int[] {2, 7}) { // fewer and more features than D = 3 (a cut block)
                    AttentionHarness h = AttentionHarness.small(61);
                    // relu at its 1e-3 floor: a query with one small positive projection has a normaliser so
                    // small that the function curves on the scale of the difference step; 0.3 keeps it smooth.
                    double eps = kernel == PerformerKernel.exp ? 0.0 : 0.3;
                    int layer = kernel == PerformerKernel.exp ? 0 : layerAwayFromKinks(h, features);
                    h.checkGradients("performer " + kernel + " M=" + features,
                            new PerformerAttention(kernel, features, layer, eps), AttentionHarness.context(pool, true),
                            null);
                }
            }
        }
    }

    /**
     * The first layer index whose projection keeps every query and key projection 1e-2 away from relu's kink:
     * a difference quotient across the kink is wrong by up to the jump, whatever the analytic gradient.
     */
    private static int layerAwayFromKinks(AttentionHarness h, int features) {
        int d = h.shape.headDim();
        for (int layer = 0; ; layer++) {
            double[] w = PerformerAttention.orthogonalGaussian(
                    Rng.key(AttentionHarness.context(null, true).seed(), PerformerAttention.SITE, layer), features, d);
            double nearest = Double.POSITIVE_INFINITY;
            for (Buf x : new Buf[] {h.q, h.k}) {
                for (int row = 0; row < h.size() / d; row++) {
                    for (int m = 0; m < features; m++) {
                        double s = 0;
                        for (int c = 0; c < d; c++) {
                            s += x.get(row * d + c) * w[m * d + c];
                        }
                        nearest = Math.min(nearest, Math.abs(s));
                    }
                }
            }
            if (nearest > 1e-2) {
                return layer;
            }
        }
    }

    /** The reference's constant (1e-4) moves exp away from the eps = 0 function only slightly. */
    @Test
    void referenceConstantIsASmallPerturbation() {
        try (Parallel pool = new Parallel(2)) {
            AttentionHarness h = new AttentionHarness(Precision.FLOAT64, 2, 12, 2, 4, 62);
            StepContext ctx = AttentionHarness.context(pool, false);
            new PerformerAttention(PerformerKernel.exp, 16, 0, 0.0).forward(ctx, h.shape, h.q, h.k, h.v, h.mask,
                    h.out);
            Buf exact = AttentionHarness.copy(h.out);
            new PerformerAttention(PerformerKernel.exp, 16, 0).forward(ctx, h.shape, h.q, h.k, h.v, h.mask, h.out);
            AttentionHarness.assertClose("eps 1e-4 vs 0", exact, h.out, h.size(), 0.05);
        }
    }

    /** Many features approximate softmax attention with scores q·k/D (the reference scales each side by D^-¼ twice). */
    @Test
    void expFeaturesApproximateSoftmax() {
        try (Parallel pool = new Parallel(2)) {
            AttentionHarness h = new AttentionHarness(Precision.FLOAT64, 1, 10, 1, 4, 63);
            for (int i = 0; i < h.size(); i++) {
                h.q.set(i, 0.5 * h.q.get(i));
                h.k.set(i, 0.5 * h.k.get(i));
            }
            new PerformerAttention(PerformerKernel.exp, 4096, 0).forward(AttentionHarness.context(pool, false),
                    h.shape, h.q, h.k, h.v, h.mask, h.out);
            int t = h.shape.seqLen();
            int d = h.shape.headDim();
            for (int i = 0; i < t; i++) {
                double[] p = new double[t];
                double z = 0;
                for (int j = 0; j < t; j++) {
                    double s = 0;
                    for (int c = 0; c < d; c++) {
                        s += h.q.get(i * d + c) * h.k.get(j * d + c) * h.mask.get(j);
                    }
                    p[j] = Math.exp(s / d);
                    z += p[j];
                }
                for (int c = 0; c < d; c++) {
                    double want = 0;
                    for (int j = 0; j < t; j++) {
                        want += p[j] / z * h.v.get(j * d + c) * h.mask.get(j);
                    }
                    assertEquals(want, h.out.get(i * d + c), 0.05, "row " + i + " col " + c);
                }
            }
        }
    }

    @Test
    void projectionRowsAreOrthogonalWithinABlockAndReproducible() {
        int rows = 10;
        int cols = 4;
        double[] w = PerformerAttention.orthogonalGaussian(42, rows, cols);
        assertEquals(java.util.Arrays.toString(w),
                java.util.Arrays.toString(PerformerAttention.orthogonalGaussian(42, rows, cols)));
        assertNotEquals(java.util.Arrays.toString(w),
                java.util.Arrays.toString(PerformerAttention.orthogonalGaussian(43, rows, cols)));
        for (int a = 0; a < rows; a++) {
            for (int b = a + 1; b < rows && b / cols == a / cols; b++) {
                double dot = 0;
                for (int j = 0; j < cols; j++) {
                    dot += w[a * cols + j] * w[b * cols + j];
                }
                assertEquals(0.0, dot, 1e-12, "rows " + a + " and " + b);
            }
        }
    }

    /** Drawn from (seed, layer) once: the same in every step, different per layer and per seed. */
    @Test
    void projectionFollowsSeedAndLayerNotStep() {
        try (Parallel pool = new Parallel(1)) {
            AttentionHarness h = new AttentionHarness(Precision.FLOAT64, 1, 6, 1, 4, 64);
            double[] a = run(h, 0, new StepContext(pool, true, 5, 0));
            assertEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(run(h, 0,
                    new StepContext(pool, true, 5, 99))));
            assertNotEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(run(h, 1,
                    new StepContext(pool, true, 5, 0))));
            assertNotEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(run(h, 0,
                    new StepContext(pool, true, 6, 0))));
        }
    }

    private static double[] run(AttentionHarness h, int layer, StepContext ctx) {
        new PerformerAttention(PerformerKernel.relu, 8, layer).forward(ctx, h.shape, h.q, h.k, h.v, h.mask, h.out);
        return h.out.toDoubleArray(0, h.size());
    }

    @Test
    void factoryRejectsWhatDoesNotFit() {
        assertEquals("attention.rpDim must be >= 1, got 0", assertThrows(IllegalArgumentException.class,
                () -> create(new AttentionConfig(AttentionType.performer, 5, List.of(), null, false, false)
                        .withPerformer(0, PerformerKernel.relu))).getMessage());
        assertEquals("attention.performerKernel is required for performer (relu | exp)",
                assertThrows(IllegalArgumentException.class, () -> create(new AttentionConfig(AttentionType.performer,
                        5, List.of(), null, false, false).withPerformer(256, null))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> create(new AttentionConfig(AttentionType.performer, 5,
                List.of(), null, true, false)));
        assertEquals(PerformerAttention.class, create(new AttentionConfig(AttentionType.performer, 5, List.of(), null,
                false, false)).getClass());
    }

    static Attention create(AttentionConfig cfg) {
        return AttentionFactory.create(cfg, new Parameters(), "block0.attn", 2, 4, 0.1, 0);
    }

    @Test
    void oneAndTwoThreadsGiveIdenticalResults() {
        ThreadDeterminism.assertSame(params -> new PerformerAttention(PerformerKernel.relu, 16, 0));
        ThreadDeterminism.assertSame(params -> new PerformerAttention(PerformerKernel.exp, 16, 1));
    }
}
