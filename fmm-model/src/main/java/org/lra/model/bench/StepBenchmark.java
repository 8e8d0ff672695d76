package org.lra.model.bench;

import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import org.lra.data.Batch;
import org.lra.model.train.PeakMemory;
import org.lra.model.train.StepTimes;
import org.lra.model.train.TrainingEngine;

/**
 * Times full training steps (forward, backward, AdamW update, dropout active) exactly as the PyTorch
 * twin does (scripts/bench/torch_twin.py): the same random batch every step, tokens 1..vocab-1 with random
 * lengths T/2..T and padding id 0, warm-up steps untimed, then each step timed on its own. {@link #runEval} times
 * the forward-only evaluation pass of the same batch instead ({@code lra bench step --eval}), in the same columns.
 */
public final class StepBenchmark {
    private StepBenchmark() {
    }

    /** One line of the benchmark table; tokens/s counts padding tokens, as the twin does. */
    public record Row(String attention, int seqLen, int batch, int threads, double medianStepMs, double p90StepMs,
                      double tokensPerS, double peakRssMb) {
        public static final String HEADER = "attention,seq_len,batch,threads,median_step_ms,p90_step_ms,tokens_per_s,peak_rss_mb";

        public String csv() {
            return String.format(java.util.Locale.ROOT, "%s,%d,%d,%d,%.1f,%.1f,%.0f,%.0f", attention, seqLen, batch,
                    threads, medianStepMs, p90StepMs, tokensPerS, peakRssMb);
        }
    }

    /** The twin's batch: lengths uniform in [T/2, T], ids uniform in [1, vocab), labels uniform in [0, classes). */
    public static Batch randomBatch(int batch, int seqLen, int vocab, int classes, boolean dual, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] ids = fill(rnd, batch, seqLen, vocab);
        int[] ids2 = dual ? fill(rnd, batch, seqLen, vocab) : null;
        int[] labels = new int[batch];
        for (int b = 0; b < batch; b++) {
            labels[b] = rnd.nextInt(classes);
        }
        return new Batch(batch, seqLen, ids, ids2, labels);
    }

    private static int[] fill(SplittableRandom rnd, int batch, int seqLen, int vocab) {
        int[] ids = new int[batch * seqLen];
        for (int b = 0; b < batch; b++) {
            int len = seqLen / 2 + rnd.nextInt(seqLen - seqLen / 2 + 1);
            for (int t = 0; t < len; t++) {
                ids[b * seqLen + t] = 1 + rnd.nextInt(vocab - 1);
            }
        }
        return ids;
    }

    /** Runs {@code warmup} untimed and {@code steps} timed training steps on the same batch. */
    public static Row run(String attention, TrainingEngine engine, Batch batch, int threads, int warmup, int steps) {
        return time(attention, batch, threads, warmup, steps, i -> engine.step(batch, i));
    }

    /**
     * Runs {@code warmup} untimed and {@code steps} timed evaluation passes ({@link TrainingEngine#evaluate}: the
     * forward-only path dev and test use) on the same batch; the step columns then hold one pass each.
     */
    public static Row runEval(String attention, TrainingEngine engine, Batch batch, int threads, int warmup,
                              int steps) {
        return time(attention, batch, threads, warmup, steps, i -> engine.evaluate(batch));
    }

    /** Calls {@code pass} with 0, 1, ...: the first {@code warmup} untimed, the next {@code steps} timed one by one. */
    private static Row time(String attention, Batch batch, int threads, int warmup, int steps, IntConsumer pass) {
        for (int i = 0; i < warmup; i++) {
            pass.accept(i);
        }
        StepTimes times = new StepTimes();
        for (int i = 0; i < steps; i++) {
            long t0 = System.nanoTime();
            pass.accept(warmup + i);
            times.add((System.nanoTime() - t0) / 1e6);
        }
        double median = times.median();
        long tokens = (long) batch.size() * batch.seqLen() * (batch.dual() ? 2 : 1);
        return new Row(attention, batch.seqLen(), batch.size(), threads, median, times.p90(),
                tokens / (median / 1000.0), PeakMemory.peakRssMb());
    }
}
