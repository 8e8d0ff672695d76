package org.lra.cli.rundir;

import java.io.IOException;
import java.nio.file.Path;
import org.lra.data.io.AtomicFiles;
import org.lra.cli.config.ConfigJson;
import org.lra.cli.config.RunConfig;
import org.lra.model.train.TrainingResult;

/** Writes {@code result.json} (the format {@code lra report} reads) atomically. */
public final class ResultFile {

    private ResultFile() {
    }

    public static void running(Path runDir, RunConfig cfg, long stepsDone) throws IOException {
        unfinished(runDir, cfg, RunResult.RUNNING, stepsDone);
    }

    /** Stopped by a signal after its checkpoint at {@code step}; {@code lra train --resume} continues it. */
    public static void stopped(Path runDir, RunConfig cfg, long step) throws IOException {
        unfinished(runDir, cfg, RunResult.STOPPED, step);
    }

    public static void diverged(Path runDir, RunConfig cfg, long step) throws IOException {
        unfinished(runDir, cfg, RunResult.DIVERGED, step);
    }

    /** A run without a test result yet: its status and steps; the report reads its best dev from metrics.csv. */
    private static void unfinished(Path runDir, RunConfig cfg, String status, long step) throws IOException {
        write(runDir, new RunResult(runDir.getFileName().toString(), cfg.name(), cfg.task().name(), cfg.scale(),
                cfg.seed(), status, (int) step, null, null, null, null, null, null, null, null, null,
                null, cfg.threads(), cfg.configHash()));
    }

    public static RunResult finished(Path runDir, RunConfig cfg, TrainingResult r) throws IOException {
        RunResult rr = new RunResult(runDir.getFileName().toString(), cfg.name(), cfg.task().name(), cfg.scale(),
                cfg.seed(), RunResult.FINISHED, (int) r.steps(), (int) r.bestStep(), r.bestDevAcc(), r.testAcc(),
                nanToNull(r.testAccBatchMean()), r.testExamples(), nanToNull(r.medianStepMs()), nanToNull(r.p90StepMs()),
                nanToNull(r.tokensPerS()),
                nanToNull(r.peakRssMb()), r.wallSeconds(), cfg.threads(), cfg.configHash());
        write(runDir, rr);
        return rr;
    }

    /** Absent values are null: a resumed process that had no steps left to train has no step times. */
    private static Double nanToNull(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static void write(Path runDir, RunResult r) throws IOException {
        AtomicFiles.write(runDir.resolve(RunFiles.RESULT), ConfigJson.toPrettyJson(r));
    }
}
