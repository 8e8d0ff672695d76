package org.lra.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lra.data.Batch;

/** The loop's protocol, with a tiny deterministic engine standing in for the model. */
class TrainingLoopTest {

    /** "Model": one number w; label = 1 when the batch's first id exceeds w. Steps move w towards the ids. */
    static final class TinyEngine implements TrainingEngine {
        double w;
        double failAt = -1;

        @Override
        public StepResult step(Batch batch, long step) {
            if (step == failAt) {
                return new StepResult(Double.NaN, 0, batch.size(), 0.1);
            }
            double loss = 0;
            int correct = 0;
            for (int b = 0; b < batch.size(); b++) {
                double x = batch.ids()[b * batch.seqLen()];
                loss += (x - w) * (x - w);
                correct += ((x > w) ? 1 : 0) == batch.labels()[b] ? 1 : 0;
                w += 0.01 * (x - w);
            }
            return new StepResult(loss / batch.size(), correct, batch.size(), 0.1);
        }

        @Override
        public EvalResult evaluate(Batch batch) {
            int correct = 0;
            for (int b = 0; b < batch.size(); b++) {
                correct += ((batch.ids()[b * batch.seqLen()] > w) ? 1 : 0) == batch.labels()[b] ? 1 : 0;
            }
            return new EvalResult(batch.size(), correct, batch.size());
        }

        @Override
        public void save(Path file, long step, Map<String, String> extra) throws IOException {
            Properties p = new Properties();
            p.putAll(extra);
            p.put("w", Double.toString(w));
            p.put("step", Long.toString(step));
            try (var out = Files.newOutputStream(file)) {
                p.store(out, null);
            }
        }

        @Override
        public Restored load(Path file) throws IOException {
            Properties p = new Properties();
            try (var in = Files.newInputStream(file)) {
                p.load(in);
            }
            w = Double.parseDouble(p.getProperty("w"));
            Map<String, String> extra = new HashMap<>();
            p.stringPropertyNames().forEach(k -> extra.put(k, p.getProperty(k)));
            return new Restored(Long.parseLong(p.getProperty("step")), extra);
        }
    }

    /** Deterministic stream: batch i holds ids derived from i. */
    static final class CountingStream implements BatchStream {
        long i;
        final int mod;

        CountingStream(int mod) {
            this.mod = mod;
        }

        @Override
        public Batch next() {
            int[] ids = new int[4 * 2];
            int[] labels = new int[4];
            for (int b = 0; b < 4; b++) {
                ids[b * 2] = (int) ((i * 7 + b * 3) % mod);
                labels[b] = ids[b * 2] > 5 ? 1 : 0;
            }
            i++;
            return new Batch(4, 2, ids, null, labels);
        }

        @Override
        public String state() {
            return Long.toString(i);
        }

        @Override
        public void restore(String state) {
            i = Long.parseLong(state);
        }
    }

    private static TrainingLoop loop(TinyEngine e, Path dir, List<TrainingListener> listeners) {
        CountingStream testStream = new CountingStream(13);
        List<Batch> testBatches = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            testBatches.add(testStream.next());
        }
        return new TrainingLoop(e, new CountingStream(11), new CountingStream(13), () -> testBatches,
                new TrainingLoop.Settings(20, 5, 3, 8, 0), dir, listeners);
    }

    @Test
    void resumedRunEndsWithTheSameNumbersAsAnUninterruptedOne(@TempDir Path tmp) throws IOException {
        TrainingResult straight = loop(new TinyEngine(), tmp.resolve("a"), List.of()).run(false);

        TrainingListener crash = new TrainingListener() {
            @Override
            public void onStep(StepRecord r) {
                if (r.step() == 13) {
                    throw new IllegalStateException("killed");
                }
            }
        };
        assertThrows(IllegalStateException.class, () -> loop(new TinyEngine(), tmp.resolve("b"), List.of(crash)).run(false));
        List<Long> resumedSteps = new ArrayList<>();
        TrainingListener record = new TrainingListener() {
            @Override
            public void onStep(StepRecord r) {
                resumedSteps.add(r.step());
            }
        };
        TrainingResult resumed = loop(new TinyEngine(), tmp.resolve("b"), List.of(record)).run(true);

        assertEquals(11L, resumedSteps.get(0), "continues after the last checkpoint (step 10)");
        assertEquals(straight.bestDevAcc(), resumed.bestDevAcc());
        assertEquals(straight.bestStep(), resumed.bestStep());
        assertEquals(straight.testAcc(), resumed.testAcc());
        assertEquals(straight.testAccBatchMean(), resumed.testAccBatchMean());
    }

    @Test
    void resumedRunKeepsTheStepTimesOfItsEarlierProcesses(@TempDir Path tmp) throws IOException {
        TrainingListener crash = new TrainingListener() {
            @Override
            public void onStep(StepRecord r) {
                if (r.step() == 13) {
                    throw new IllegalStateException("killed");
                }
            }
        };
        Path dir = tmp.resolve("run");
        assertThrows(IllegalStateException.class, () -> loop(new TinyEngine(), dir, List.of(crash)).run(false));
        String firstProcess = stepTimes(dir);
        assertEquals(10, firstProcess.split(" ").length, "steps 1..10 timed when step 10 was checkpointed");

        TrainingResult resumed = loop(new TinyEngine(), dir, List.of()).run(true);

        String all = stepTimes(dir);
        assertEquals(20, all.split(" ").length, "all 20 steps, from both processes: " + all);
        assertTrue(all.startsWith(firstProcess + " "), "the first process's times come first, unchanged");
        assertTrue(Double.isFinite(resumed.medianStepMs()));
    }

    private static String stepTimes(Path runDir) throws IOException {
        Properties p = new Properties();
        try (var in = Files.newInputStream(runDir.resolve(TrainingLoop.LAST))) {
            p.load(in);
        }
        return p.getProperty("step.times");
    }

    @Test
    void nanLossStopsTheRunAndKeepsTheLastGoodCheckpoint(@TempDir Path tmp) throws IOException {
        TinyEngine e = new TinyEngine();
        e.failAt = 12;
        DivergedException d = assertThrows(DivergedException.class, () -> loop(e, tmp, List.of()).run(false));
        assertEquals(12, d.step());
        assertTrue(Files.exists(tmp.resolve(TrainingLoop.LAST)));
        assertEquals("10", new TinyEngine().load(tmp.resolve(TrainingLoop.LAST)).extra().get("step"));
    }

    @Test
    void testAccuracyIsExactAndBatchMeanDropsThePartialBatch(@TempDir Path tmp) throws IOException {
        TinyEngine e = new TinyEngine();
        List<Batch> test = List.of(
                new Batch(2, 1, new int[] {9, 9}, null, new int[] {1, 1}),   // both right once w < 9
                new Batch(2, 1, new int[] {9, 0}, null, new int[] {0, 0}),   // one right
                new Batch(1, 1, new int[] {0}, null, new int[] {1}));        // partial batch, wrong
        TrainingLoop l = new TrainingLoop(e, new CountingStream(11), new CountingStream(13), () -> test,
                new TrainingLoop.Settings(1, 1, 1, 1, 0), tmp, List.of());
        TrainingResult r = l.run(false);
        assertEquals(3.0 / 5.0, r.testAcc(), 1e-12);
        assertEquals((1.0 + 0.5) / 2, r.testAccBatchMean(), 1e-12);
        assertEquals(5, r.testExamples());
    }
}
