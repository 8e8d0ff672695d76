package org.lra.model.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.lra.data.Batch;

/**
 * The reference training protocol (docs/reference.md §2.6, §3.2): train for a fixed number of steps; every
 * {@code evalEvery} steps evaluate {@code evalSteps} dev batches and keep the best-dev checkpoint; at the
 * end reload the best checkpoint and evaluate the whole test split.
 *
 * <p>Resumable: at every evaluation the full run state (weights, optimiser, step, both batch streams'
 * positions, best-dev bookkeeping) goes into {@code last.ckpt}. Dropout masks are keyed by step, so a run
 * resumed from there ends with the same numbers as one that was never interrupted. A stop request
 * ({@link #stopWhen}, e.g. SIGTERM) is honoured at the next step boundary: the state of that step goes into
 * {@code last.ckpt} the same way, and the run ends with {@link StoppedException}.
 */
public final class TrainingLoop {

    /**
     * @param steps         optimiser steps in the run
     * @param evalEvery     dev evaluation (and checkpoint) period
     * @param evalSteps     dev batches per evaluation
     * @param tokensPerStep tokens one step processes (batch × length, × 2 for two-tower retrieval)
     * @param warmupSteps   first steps left out of the step-time statistics
     */
    public record Settings(long steps, int evalEvery, int evalSteps, long tokensPerStep, int warmupSteps) {
    }

    public static final String LAST = "last.ckpt";
    public static final String BEST = "best.ckpt";

    private final TrainingEngine engine;
    private final BatchStream train;
    private final BatchStream dev;
    private final Supplier<Iterable<Batch>> test;
    private final Settings settings;
    private final Path checkpointDir;
    private final List<TrainingListener> listeners;
    private BooleanSupplier stopRequested = () -> false;
    private Map<String, String> writtenBy = Map.of();

    public TrainingLoop(TrainingEngine engine, BatchStream train, BatchStream dev, Supplier<Iterable<Batch>> test,
                        Settings settings, Path checkpointDir, List<TrainingListener> listeners) {
        this.engine = engine;
        this.train = train;
        this.dev = dev;
        this.test = test;
        this.settings = settings;
        this.checkpointDir = checkpointDir;
        this.listeners = List.copyOf(listeners);
    }

    /** Checked before every step: when it turns true, the loop checkpoints and throws {@link StoppedException}. */
    public TrainingLoop stopWhen(BooleanSupplier stopRequested) {
        this.stopRequested = stopRequested;
        return this;
    }

    /**
     * Stores {@code provenance} (who wrote it: build, host, ...) in every checkpoint this loop writes, beside the
     * loop's own state; its keys must not collide with the loop's ({@code train.stream}, {@code best.step}, ...).
     */
    public TrainingLoop recordInCheckpoints(Map<String, String> provenance) {
        this.writtenBy = Map.copyOf(provenance);
        return this;
    }

    /** Runs (or, with {@code resume}, continues) the run and returns its result. */
    public TrainingResult run(boolean resume) throws IOException {
        Files.createDirectories(checkpointDir);
        long start = 0;
        double bestDevAcc = Double.NEGATIVE_INFINITY;
        long bestStep = -1;
        double wallBefore = 0;
        StepTimes times = new StepTimes();
        Path last = checkpointDir.resolve(LAST);
        if (resume && Files.exists(last)) {
            TrainingEngine.Restored r = engine.load(last);
            start = r.step();
            train.restore(r.extra().get("train.stream"));
            dev.restore(r.extra().get("dev.stream"));
            bestDevAcc = Double.parseDouble(r.extra().get("best.devAcc"));
            bestStep = Long.parseLong(r.extra().get("best.step"));
            wallBefore = Double.parseDouble(r.extra().get("wall.seconds"));
            times = StepTimes.restore(r.extra().get("step.times"));
        }
        long wallStart = System.nanoTime();
        final long first = start;
        listeners.forEach(l -> l.onStart(first, settings.steps()));

        long savedAt = start;
        for (long step = start; step < settings.steps(); step++) {
            if (stopRequested.getAsBoolean()) {
                if (savedAt != step) {
                    saveLast(step, bestDevAcc, bestStep, times, wallBefore + (System.nanoTime() - wallStart) / 1e9);
                }
                throw new StoppedException(step, last);
            }
            long t0 = System.nanoTime();
            Batch batch = train.next();
            long t1 = System.nanoTime();
            TrainingEngine.StepResult r = engine.step(batch, step);
            long t2 = System.nanoTime();
            if (!Double.isFinite(r.loss())) {
                throw new DivergedException(step, r.loss());
            }
            double stepMs = (t2 - t1) / 1e6;
            if (step - start >= settings.warmupSteps()) {
                times.add(stepMs);
            }
            var rec = new TrainingListener.StepRecord(step + 1, r.lr(), r.loss(),
                    r.correct() / (double) r.examples(), stepMs, (t1 - t0) / 1e6);
            listeners.forEach(l -> l.onStep(rec));

            long done = step + 1;
            if (done % settings.evalEvery() == 0 || done == settings.steps()) {
                listeners.forEach(l -> l.onEvalStart(done));
                double[] lossAcc = evaluateDev();
                boolean improved = lossAcc[1] > bestDevAcc;
                if (improved) {
                    bestDevAcc = lossAcc[1];
                    bestStep = done;
                    engine.save(checkpointDir.resolve(BEST), done, writtenBy);
                }
                var eval = new TrainingListener.EvalRecord(done, lossAcc[0], lossAcc[1], improved);
                listeners.forEach(l -> l.onEval(eval));
                saveLast(done, bestDevAcc, bestStep, times, wallBefore + (System.nanoTime() - wallStart) / 1e9);
                savedAt = done;
            }
        }

        Path best = checkpointDir.resolve(BEST);
        engine.load(Files.exists(best) ? best : last);
        SplitEvaluation acc = SplitEvaluation.of(engine, test.get());
        double median = times.median();
        TrainingResult result = new TrainingResult("finished", settings.steps(), bestStep, bestDevAcc,
                acc.exact(), acc.batchMean(), acc.examples(), acc.meanLoss(), median, times.p90(),
                settings.tokensPerStep() / (median / 1000.0), PeakMemory.peakRssMb(),
                wallBefore + (System.nanoTime() - wallStart) / 1e9, acc.predictions());
        listeners.forEach(l -> l.onFinish(result));
        return result;
    }

    /** The full run state after {@code done} steps into {@code last.ckpt}, then tells the listeners. */
    private void saveLast(long done, double bestDevAcc, long bestStep, StepTimes times, double wallSeconds)
            throws IOException {
        Map<String, String> extra = new HashMap<>(writtenBy);
        extra.put("train.stream", train.state());
        extra.put("dev.stream", dev.state());
        extra.put("best.devAcc", Double.toString(bestDevAcc));
        extra.put("best.step", Long.toString(bestStep));
        extra.put("wall.seconds", Double.toString(wallSeconds));
        extra.put("step.times", times.state());
        engine.save(checkpointDir.resolve(LAST), done, extra);
        listeners.forEach(l -> l.onCheckpoint(done));
    }

    /** Mean loss and accuracy over {@code evalSteps} batches of the endless dev stream. */
    private double[] evaluateDev() {
        double lossSum = 0;
        long correct = 0;
        long n = 0;
        for (int i = 0; i < settings.evalSteps(); i++) {
            TrainingEngine.EvalResult r = engine.evaluate(dev.next());
            lossSum += r.lossSum();
            correct += r.correct();
            n += r.examples();
        }
        return new double[] {lossSum / n, correct / (double) n};
    }
}
