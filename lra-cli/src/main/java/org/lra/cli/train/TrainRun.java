package org.lra.cli.train;

import org.lra.cli.rundir.BlendCsvListener;
import org.lra.cli.rundir.MetricsCsvListener;
import org.lra.cli.rundir.RunDirLock;
import org.lra.cli.rundir.ResultFile;
import org.lra.data.ShellWords;
import org.lra.cli.ThreadLimit;
import org.lra.cli.rundir.RunFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lra.data.io.AtomicFiles;
import org.lra.cli.DivergedRunException;
import org.lra.cli.rundir.RunDirChecks;
import org.lra.cli.InputException;
import org.lra.cli.StoppedRunException;
import org.lra.cli.config.ConfigJson;
import org.lra.cli.config.ConfigLoader;
import org.lra.cli.config.LoadedConfig;
import org.lra.cli.config.RunConfig;
import org.lra.cli.rundir.RunResult;
import org.lra.data.Batch;
import org.lra.data.batch.EvalPass;
import org.lra.model.Model;
import org.lra.model.ModelBuilder;
import org.lra.model.checkpoint.CheckpointFormatException;
import org.lra.model.StepRunner;
import org.lra.model.attention.FmmAttention;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Precision;
import org.lra.model.train.DivergedException;
import org.lra.model.train.ModelTrainingEngine;
import org.lra.model.train.StoppedException;
import org.lra.model.train.TrainingListener;
import org.lra.model.train.TrainingLoop;
import org.lra.model.train.TrainingResult;

/**
 * One training run in its directory: {@code config.yaml} (resolved), {@code run.json} (provenance),
 * {@code metrics.csv}, {@code blend.csv} (fmm only), {@code checkpoints/}, {@code train.log}, {@code result.json} and, once
 * the final test has run, {@code predictions-test.csv} (every test example's prediction). Fresh runs refuse
 * an existing directory unless forced (and then only a run directory: {@link RunDirChecks}); {@link #resume} continues from {@code checkpoints/last.ckpt}.
 */
public final class TrainRun {
    private TrainRun() {
    }

    /**
     * Starts a new run of {@code loaded} in {@code runDir}. The directory is locked first (see {@link RunDirLock}),
     * so {@code --force} never deletes a directory another run is writing.
     */
    public static RunResult start(LoadedConfig loaded, RunConfig cfg, Path runDir, Path dataDir, boolean force,
                                  boolean terminal) throws IOException {
        RunDirChecks.checkNewRunDir(runDir, dataDir);
        ThreadLimit.check(cfg.threads(), "threads");
        RunDirChecks.refuseForeign(runDir); // before the lock file is made in it
        try (RunDirLock lock = RunDirLock.acquire(runDir)) {
            RunDirChecks.prepareFresh(runDir, force);
            RunData data;
            try {
                data = RunData.open(dataDir, cfg.task());
            } catch (RuntimeException e) {
                // nothing started: leave the directory as empty as it was, so a sweep sees a run still to start
                Files.deleteIfExists(runDir.resolve(RunFiles.LOCK));
                throw e;
            }
            AtomicFiles.write(runDir.resolve(RunFiles.CONFIG), ConfigJson.toYaml(cfg));
            AtomicFiles.write(runDir.resolve(RunFiles.RUN_JSON), ConfigJson.toPrettyJson(provenance(runDir, loaded, cfg, data)));
            ResultFile.running(runDir, cfg, 0);
            return run(cfg, runDir, data, false, terminal);
        }
    }

    /** Continues the run in {@code runDir} from its last checkpoint, with its own resolved config. */
    public static RunResult resume(Path runDir, Path dataDir, Integer threads, boolean terminal) throws IOException {
        if (!Files.isDirectory(runDir)) {
            throw new InputException("--resume " + runDir + ": no such directory");
        }
        try (RunDirLock lock = RunDirLock.acquire(runDir)) {
            Path config = runDir.resolve(RunFiles.CONFIG);
            if (!Files.exists(config)) {
                throw new InputException("--resume " + runDir + ": no " + RunFiles.CONFIG + " there; is it a run directory?");
            }
            RunConfig cfg = ConfigLoader.bindResolved(config);
            ThreadLimit.check(cfg.threads(), "the run's threads");
            if (threads != null && threads != cfg.threads()) {
                throw new InputException("--threads " + threads + " differs from the run's " + cfg.threads()
                        + "; a resumed run keeps its thread count so that it ends with the same numbers");
            }
            return run(cfg, runDir, RunData.open(dataDir, cfg.task()), true, terminal);
        }
    }

    private static RunResult run(RunConfig cfg, Path runDir, RunData data, boolean resume, boolean terminal)
            throws IOException {
        int seqLen = cfg.task().paddedLength();
        var t = cfg.training();
        Path checkpoints = runDir.resolve(RunFiles.CHECKPOINTS);
        long resumeStep = 0;
        MetricsCsvListener metrics = new MetricsCsvListener(runDir.resolve(RunFiles.METRICS));
        try (Parallel pool = new Parallel(cfg.threads());
             RunLog log = RunLog.open(runDir.resolve(RunFiles.TRAIN_LOG))) {
            List<FmmAttention> fmmLayers = new ArrayList<>();
            Model model = ModelBuilder.build(cfg.model(), Precision.FLOAT32, cfg.seed(),
                    BlendCsvListener.collecting(ModelBuilder.DEFAULT_ATTENTION, fmmLayers));
            ModelTrainingEngine engine = new ModelTrainingEngine(StepRunner.create(model, t, pool, cfg.seed()));
            TrainStreamAdapter train = new TrainStreamAdapter(data.train(), t.batchSize(), seqLen, cfg.seed());
            // The reference evaluates dev on an endless stream too (num_eval_steps batches per evaluation).
            TrainStreamAdapter dev = new TrainStreamAdapter(data.val(), t.batchSize(), seqLen, cfg.seed() + 1L);
            Iterable<Batch> test = new EvalPass(data.test(), t.batchSize(), seqLen, false);
            if (resume && Files.exists(checkpoints.resolve(TrainingLoop.LAST))) {
                resumeStep = org.lra.model.checkpoint.Checkpoint.readHeader(checkpoints.resolve(TrainingLoop.LAST)).step();
            }
            metrics.truncateAfter(resumeStep);
            long tokens = (long) t.batchSize() * seqLen * (cfg.model().dual() ? 2 : 1);
            var settings = new TrainingLoop.Settings(t.steps(), t.evalEvery(), t.evalSteps(), tokens,
                    (int) Math.min(5, t.steps() / 10));
            ProgressListener progress = new ProgressListener(runDir.getFileName().toString(), terminal,
                    Math.max(1, t.evalEvery()));
            List<TrainingListener> listeners = new ArrayList<>(List.of(metrics, progress, log));
            if (!fmmLayers.isEmpty()) {
                BlendCsvListener blend = new BlendCsvListener(runDir.resolve(RunFiles.BLEND), fmmLayers, cfg.model().heads(),
                        cfg.model().headDim());
                blend.truncateAfter(resumeStep);
                listeners.add(blend);
            }
            listeners.add(new TrainingListener() {
                @Override
                public void onCheckpoint(long step) {
                    try {
                        ResultFile.running(runDir, cfg, step);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            });
            ProcessRecorder process = ProcessRecorder.start(runDir, cfg.threads(), resumeStep + 1);
            listeners.add(process);
            StopOnSignal signals = StopOnSignal.install();
            listeners.add(signals);
            TrainingLoop loop = new TrainingLoop(engine, train, dev, () -> test, settings, checkpoints, listeners)
                    .stopWhen(signals).recordInCheckpoints(process.entry().checkpointExtra());
            TrainingResult result;
            try (signals) {
                result = loop.run(resume);
            } catch (StoppedException e) {
                process.end("stopped by " + signals.signalName());
                progress.close();
                String where = signals.signalName() + " after step " + e.step() + ": run state saved to "
                        + e.checkpoint() + "; continue with: lra train --resume " + ShellWords.quote(runDir);
                log.line("stopped by " + where);
                try {
                    ResultFile.stopped(runDir, cfg, e.step());
                } catch (IOException notWritten) {
                    // the checkpoint is what resumes the run; a result.json left saying running must not hide that
                    log.line("result.json not updated: " + notWritten.getMessage());
                }
                throw new StoppedRunException(where, signals.exitCode());
            } catch (DivergedException e) {
                process.end("diverged");
                progress.close();
                ResultFile.diverged(runDir, cfg, e.step());
                log.line("diverged: " + e.getMessage());
                throw new DivergedRunException(runDir + ": " + e.getMessage());
            }
            process.end("finished");
            // before result.json says finished, so a finished run always has its predictions
            if (result.testPredictions() != null) {
                result.testPredictions().write(runDir.resolve(RunFiles.PREDICTIONS_TEST));
            }
            RunResult rr = ResultFile.finished(runDir, cfg, result);
            log.line(summary(rr));
            return rr;
        } catch (CheckpointFormatException e) {
            throw unusableCheckpoint(e, runDir);
        }
    }

    /** A corrupt or truncated checkpoint of a run: what is wrong with which file, and how to start the run over. */
    static InputException unusableCheckpoint(CheckpointFormatException e, Path runDir) {
        return new InputException(e.getMessage().lines().findFirst().orElse("") + "; start the run over with: "
                + "lra train --force --config " + ShellWords.quote(runDir.resolve(RunFiles.CONFIG)) + " --out "
                + ShellWords.quote(runDir), e);
    }

    public static String summary(RunResult r) {
        return String.format(java.util.Locale.ROOT,
                "%s: test acc %.4f (per-batch mean %s) on %d examples, best dev %.4f at step %d; %s, peak %.0f MB, %.0f s",
                r.runId(), r.testAcc(), r.testAccBatchMean() == null ? "-" : String.format(java.util.Locale.ROOT, "%.4f", r.testAccBatchMean()),
                r.testExamples(), r.bestDevAcc(), r.bestStep(), r.medianStepMs() == null ? "no steps timed"
                        : String.format(java.util.Locale.ROOT, "%.1f ms/step, %.0f tokens/s", r.medianStepMs(), r.tokensPerS()),
                r.peakRssMb() == null ? Double.NaN : r.peakRssMb(), r.wallSeconds());
    }

    private static Map<String, Object> provenance(Path runDir, LoadedConfig loaded, RunConfig cfg, RunData data) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runId", runDir.getFileName().toString());
        m.put("configHash", cfg.configHash());
        m.put("configFiles", loaded == null ? List.of() : loaded.files().stream().map(Path::toString).toList());
        m.put("sets", loaded == null ? List.of() : loaded.sets());
        m.put("seed", cfg.seed());
        m.put("threads", cfg.threads());
        // the protocol's choices as values (the README's "Parity knobs" table says what each means and why)
        Map<String, Object> knobs = new LinkedHashMap<>();
        knobs.put("seqLen", cfg.task().paddedLength());
        knobs.put("padding", "next-power-of-two");
        knobs.put("maxLength", cfg.task().maxLength());
        knobs.put("zeroIsPadding", cfg.model().zeroIsPadding());
        var pooling = cfg.model().pooling();
        knobs.put("pooling", pooling.toString());
        knobs.put("poolingIsReference", pooling.isReference());
        knobs.put("testCheckpoint", "best-dev");
        knobs.put("testAccuracy", "exact");
        knobs.put("testAccBatchMean", "per-batch-mean-drop-last");
        Map<String, Object> dev = new LinkedHashMap<>();
        dev.put("everySteps", cfg.training().evalEvery());
        dev.put("batches", cfg.training().evalSteps());
        dev.put("stream", "endless-shuffled");
        knobs.put("devEvaluation", dev);
        knobs.put("textValFromTest", cfg.task().textValFromTest());
        knobs.put("precision", "float32");
        m.put("knobs", knobs);
        m.put("data", data.provenance());
        m.put("environment", Provenance.environment(cfg.threads()));
        m.put("processes", List.of()); // each process that trains the run appends itself (ProcessRecorder)
        return m;
    }}
