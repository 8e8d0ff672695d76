package org.lra.cli.sweep;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Executes a plan locally, {@code parallel} runs at a time: skips finished and diverged runs, resumes
 * incomplete ones, starts the rest. Every run's output goes to {@code <out>/logs/<id>.log}.
 */
public final class SweepRunner {

    private static final Logger LOG = LoggerFactory.getLogger(SweepRunner.class);

    /** What happened to one run. exitCode is null for skipped runs. */
    public record Outcome(PlannedRun run, RunState stateBefore, Integer exitCode) {
        public boolean failed() {
            return exitCode != null && exitCode != 0;
        }
    }

    private final RunLauncher launcher;
    private final int parallel;
    private final TrainArgs trainArgs;
    private final Path logDir;

    public SweepRunner(RunLauncher launcher, int parallel, TrainArgs trainArgs, Path logDir) {
        this.launcher = launcher;
        this.parallel = parallel;
        this.trainArgs = trainArgs;
        this.logDir = logDir;
    }

    public List<Outcome> run(List<PlannedRun> plan) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        List<Future<Outcome>> futures = new ArrayList<>();
        try {
            for (PlannedRun run : plan) {
                futures.add(pool.submit(() -> runOne(run)));
            }
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> f : futures) {
                outcomes.add(f.get());
            }
            return outcomes;
        } catch (ExecutionException e) {
            throw new IllegalStateException("sweep worker failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private Outcome runOne(PlannedRun run) throws IOException, InterruptedException {
        RunState state = RunState.of(run.runDir());
        if (state.done()) {
            LOG.info("skip   {} ({})", run.id(), state.name().toLowerCase());
            return new Outcome(run, state, null);
        }
        List<String> args = state == RunState.INCOMPLETE ? trainArgs.resume(run) : trainArgs.fresh(run);
        Path log = logDir.resolve(run.id() + ".log");
        LOG.info("{} {} -> {}", state == RunState.INCOMPLETE ? "resume" : "start ", run.id(), log);
        long start = System.nanoTime();
        int code = launcher.launch(run, args, log);
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        if (code == 0) {
            LOG.info("done   {} in {} s", run.id(), seconds);
        } else {
            LOG.warn("FAILED {} exit {} after {} s (log: {})", run.id(), code, seconds, log);
        }
        return new Outcome(run, state, code);
    }
}
