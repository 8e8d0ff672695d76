package org.lra.model.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.lra.model.Model;
import org.lra.model.ModelBuilder;
import org.lra.model.TestModels;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Param;
import org.lra.model.tensor.Parameters;
import org.lra.model.tensor.Precision;

class LinformerAttentionTest {

    /** E has more columns (14) than the sequence (9): only the first T take part, the rest get no gradient. */
    @Test
    void gradientsMatchFiniteDifferences() {
        try (Parallel pool = new Parallel(1)) {
            for (int k : new int[] {1, 4, 9}) {
                AttentionHarness h = AttentionHarness.small(71);
                Parameters params = new Parameters();
                LinformerAttention a = new LinformerAttention(k, 14, params, 2);
                params.allocate(Precision.FLOAT64, 3);
                AttentionHarness.perturbWeights(params);
                h.checkGradients("linformer k=" + k, a, AttentionHarness.context(pool, true), params);
            }
        }
    }

    /** The reference's class-level E: one tensor however many layers (and towers) the model has. */
    @Test
    void everyLayerSharesOneProjection() {
        for (boolean dual : new boolean[] {false, true}) {
            Model model = ModelBuilder.build(TestModels.tiny(7, 12, 2, 0.0, dual, TestModels.attention("linformer")),
                    Precision.FLOAT64, 1);
            long count = model.parameters().list().stream().filter(p -> p.name().contains("linformer")).count();
            assertEquals(1, count);
            Param e = model.parameters().get(LinformerAttention.PROJECTION);
            assertEquals(2 * 4 * 16, e.size()); // H x k x the 16-row position table
        }
    }

    @Test
    void rejectsMoreRowsThanColumns() {
        assertThrows(IllegalArgumentException.class, () -> new LinformerAttention(17, 16, new Parameters(), 2));
    }

    /** E is sized by the longest sequence: the factory overload without it refuses linformer. */
    @Test
    void theFactoryNeedsTheLongestSequence() {
        assertThrows(IllegalArgumentException.class, () -> AttentionFactory.create(TestModels.attention("linformer"),
                new Parameters(), "block0.attn", 2, 4, 0.0, 0));
    }

    @Test
    void oneAndTwoThreadsGiveIdenticalResults() {
        ThreadDeterminism.assertSame(params -> new LinformerAttention(5, 80, params, 2));
    }
}
