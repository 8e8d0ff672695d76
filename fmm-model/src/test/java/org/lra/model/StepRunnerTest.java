package org.lra.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.lra.data.Batch;
import org.lra.model.config.ModelConfig;
import org.lra.model.config.Pooling;
import org.lra.model.config.TrainingConfig;
import org.lra.model.nn.AttentionProvider;
import org.lra.model.nn.IdentityMixAttention;
import org.lra.model.nn.StepContext;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Precision;
import org.lra.model.tensor.Rng;

class StepRunnerTest {
    private static final AttentionProvider SOFTMAX = IdentityMixAttention.provider(IdentityMixAttention.Mode.SOFTMAX);

    private static double[] train(ModelConfig cfg, int threads, int steps) {
        try (Parallel pool = new Parallel(threads)) {
            Model m = ModelBuilder.build(cfg, Precision.FLOAT32, 3, SOFTMAX);
            StepRunner r = StepRunner.create(m, TestModels.training(steps, 2, 3e-3, "onecycle"), pool, 77);
            for (int i = 0; i < steps; i++) {
                r.step(TestModels.randomBatch(4, 32, 11, 3, i, cfg.dual()));
            }
            return m.parameters().values().toDoubleArray(0, m.parameters().size());
        }
    }

    @Test
    void sameSeedAndThreadsGiveBitIdenticalWeights() {
        ModelConfig cfg = TestModels.tiny(11, 32, 3, 0.1, false);
        assertArrayEquals(train(cfg, 2, 6), train(cfg, 2, 6));
        ModelConfig dual = TestModels.tiny(11, 32, 3, 0.1, true);
        assertArrayEquals(train(dual, 1, 3), train(dual, 1, 3));
    }

    @Test
    void oneAndTwoThreadsAgreeToRounding() {
        ModelConfig cfg = TestModels.tiny(11, 32, 3, 0.1, false);
        double[] a = train(cfg, 1, 6);
        double[] b = train(cfg, 2, 6);
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        assertTrue(worst < 1e-5, "max |w1 - w2| = " + worst);
    }

    /**
     * Dev and test evaluate with the run's seed: a performer draws its projection from the seed, and an evaluation
     * with another one (it used seed 0) scored every run of seed &ne; 0 with features its weights never saw.
     */
    @Test
    void evaluationUsesTheRunsRandomFeatures() {
        ModelConfig cfg = TestModels.tiny(11, 32, 3, 0.0, false, EvaluationForwardTest.attention("performer-relu"));
        try (Parallel pool = new Parallel(1)) {
            Model m = ModelBuilder.build(cfg, Precision.FLOAT32, 3);
            StepRunner r = StepRunner.create(m, TestModels.training(10, 3, 1e-4, "onecycle"), pool, 5);
            Batch batch = TestModels.randomBatch(4, 32, 11, 3, 0, false);
            double trained = m.forwardBackward(new StepContext(pool, true, 5, 0), batch).loss();
            assertEquals(trained, r.evaluate(batch).loss(), 0.0);
        }
    }

    @Test
    void stepReportsScheduleValuesAndAdvances() {
        try (Parallel pool = new Parallel(1)) {
            Model m = ModelBuilder.build(TestModels.tiny(11, 32, 3, 0.1, false), Precision.FLOAT32, 3, SOFTMAX);
            TrainingConfig tc = TestModels.training(10, 3, 1e-4, "onecycle");
            StepRunner r = StepRunner.create(m, tc, pool, 1);
            StepRunner.StepStats s0 = r.step(TestModels.randomBatch(4, 32, 11, 3, 0, false));
            StepRunner.StepStats s1 = r.step(TestModels.randomBatch(4, 32, 11, 3, 1, false));
            assertEquals(0, s0.step());
            assertEquals(4e-6, s0.lr(), 1e-18);
            assertEquals(0.95, s0.beta1(), 0);
            assertEquals(1, s1.step());
            assertEquals(2, r.steps());
            assertTrue(s0.gradNorm() > 0 && Double.isFinite(s0.loss()));
        }
    }

    /**
     * Learns a task that needs position and token together: label 1 iff token 5 occurs in the first half of the
     * sequence. Chance is about 50%; the model must get well above it within a few hundred steps.
     */
    @Test
    void learnsWhetherTokenFiveIsInTheFirstHalf() {
        int t = 16;
        int vocab = 12;
        ModelConfig cfg = new ModelConfig(vocab, t, 2, 32, 2, 16, 2, 64, 32, 0.1, 0.1, true, Pooling.MEAN, false, TestModels.SOFTMAX);
        try (Parallel pool = new Parallel(2)) {
            Model m = ModelBuilder.build(cfg, Precision.FLOAT32, 11, SOFTMAX);
            StepRunner r = StepRunner.create(m, TestModels.training(200, 20, 3e-3, "onecycle"), pool, 5);
            for (int i = 0; i < 200; i++) {
                r.step(fiveInFirstHalf(32, t, vocab, i));
            }
            Model.Result dev = r.evaluate(fiveInFirstHalf(512, t, vocab, 999_999));
            assertTrue(dev.accuracy() > 0.9, "dev accuracy " + dev.accuracy());
        }
    }

    private static Batch fiveInFirstHalf(int size, int t, int vocab, long seed) {
        int[] ids = new int[size * t];
        int[] labels = new int[size];
        long key = Rng.key(seed, 42);
        for (int b = 0; b < size; b++) {
            for (int s = 0; s < t; s++) {
                int id = 1 + (int) (Rng.uniform(key, b * t + s) * (vocab - 1));
                ids[b * t + s] = id;
                if (id == 5 && s < t / 2) {
                    labels[b] = 1;
                }
            }
        }
        return new Batch(size, t, ids, null, labels);
    }
}
