package org.lra.cli.sweep;

import java.util.Collection;
import org.lra.cli.config.RunConfig;
import org.lra.model.bench.StepCost;
import org.lra.model.config.TrainingConfig;


/**
 * {@code --time} and {@code --mem} for one Slurm array task: the grid's values when it sets them, else an
 * estimate for the most expensive run of the plan (one array job has one limit for all its tasks). Both come
 * from {@link StepCost}, the one cost model of a training step, at the length the run pads its inputs to.
 *
 * <p>Time: steps × the FLOPs of a training step, plus evaluation (evalSteps dev batches every evalEvery steps, and the
 * test split once) at a third of a step's FLOPs per sequence (forward only). Divided by
 * {@link #FLOPS_PER_THREAD_SECOND} × threads, times {@link #SAFETY}, plus {@link #STARTUP_SECONDS}, rounded up to 10
 * minutes.
 * The rate is measured on the CPU grid in {@code results/cpu/runs} (a 2-core AMD EPYC shared with other work, 1 thread
 * per run, two jobs side by side; ListOps T = 256, Pathfinder T = 1024). Counted as here, with each run's own test
 * split, nearly all its runs reached 1.4e10–5.8e10 FLOPs per thread-second; the slowest cell, at the median of its
 * three seeds, is Pathfinder reformer at 1.42e10, rounded down to 1.0e10. Runs that met heavier contention ran
 * slower (ListOps band5 and linformer seed 0: 2.3e10 and 3.0e10 against 5.3e10 and 5.8e10 for their other seeds;
 * in an earlier grid, ListOps reformer 3.2e9) and are not what the limit is set from: a Slurm task that runs out of
 * time is requeued and resumes from its checkpoint.
 * SlurmResourcesTest recomputes the rates from the committed result files.
 *
 * <p>Memory: {@link StepCost#peakBytesEstimate} × {@link #MEMORY_SAFETY}, at least {@link #MIN_MEM_BYTES},
 * rounded up to a GiB. A training run holds more than a benchmark step (its data, evaluation, metrics), and the
 * fit is not an upper bound everywhere: the CPU grid's runs peaked at 413–876 MiB resident, ListOps linear seed 0
 * at 713 against an estimate of 428, the paper-protocol ListOps runs (T = 2048, batch 32,
 * 2 threads) at 1236–2001 MiB against 1324–2348 MiB (linear: 1426 against 1324), and `lra bench step` measured
 * linformer at 24–26 KiB per token at T = 64K–256K against 16. Twice the estimate covers them all.
 */
final class SlurmResources {

    static final double FLOPS_PER_THREAD_SECOND = 1.0e10;
    static final double SAFETY = 1.5;
    /** JVM start, data mapping, JIT, and the 120 s between --signal's TERM and the kill. */
    static final double STARTUP_SECONDS = 300;
    /** Test split size assumed when a config does not limit it (the largest LRA test split, Text's). */
    static final int TEST_EXAMPLES_UNLIMITED = 25_000;
    static final double MEMORY_SAFETY = 2;
    static final long MIN_MEM_BYTES = 2L << 30;

    record Limits(String time, String mem) {
    }

    private SlurmResources() {
    }

    static Limits of(SweepGrid grid, Collection<RunConfig> configs) {
        if (grid.time() != null && grid.mem() != null) {
            return new Limits(grid.time(), grid.mem());
        }
        double seconds = 0;
        double bytes = 0;
        for (RunConfig config : configs) {
            seconds = Math.max(seconds, seconds(config, grid.threads()));
            bytes = Math.max(bytes, bytes(config, grid.threads()));
        }
        return new Limits(grid.time() != null ? grid.time() : slurmTime(seconds),
                grid.mem() != null ? grid.mem() : (long) Math.ceil(bytes / (1L << 30)) + "G");
    }

    static double seconds(RunConfig config, int threads) {
        int testExamples = config.task().testLimit() > 0 ? config.task().testLimit() : TEST_EXAMPLES_UNLIMITED;
        return flops(config, testExamples) / (FLOPS_PER_THREAD_SECOND * threads) * SAFETY + STARTUP_SECONDS;
    }

    /** FLOPs of a whole run: its training steps, its dev evaluations and one pass over {@code testExamples}. */
    static double flops(RunConfig config, int testExamples) {
        TrainingConfig t = config.training();
        double step = StepCost.flops(config.model(), t.batchSize(), config.task().paddedLength());
        double evalSequences = (double) t.steps() / t.evalEvery() * t.evalSteps() * t.batchSize() + testExamples;
        return step * (t.steps() + evalSequences / t.batchSize() / 3);
    }

    static double bytes(RunConfig config, int threads) {
        long step = StepCost.peakBytesEstimate(config.model(), config.training().batchSize(),
                config.task().paddedLength(), threads);
        return Math.max(MIN_MEM_BYTES, MEMORY_SAFETY * step);
    }

    /** Rounded up to 10 minutes, as {@code [D-]HH:MM:00}. */
    static String slurmTime(double seconds) {
        long minutes = (long) Math.ceil(seconds / 600) * 10;
        long days = minutes / (24 * 60);
        long hours = minutes / 60 % 24;
        String hm = String.format("%02d:%02d:00", hours, minutes % 60);
        return days > 0 ? days + "-" + hm : hm;
    }
}
