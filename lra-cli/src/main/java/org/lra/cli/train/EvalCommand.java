package org.lra.cli.train;

import org.lra.cli.ThreadLimit;
import org.lra.cli.rundir.RunFiles;
import org.lra.data.Split;
import org.lra.cli.Choices;
import org.lra.cli.GlobalOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.lra.data.io.AtomicFiles;
import org.lra.data.io.DiskFullException;
import org.lra.data.predictions.Predictions;
import org.lra.cli.InputException;
import org.lra.cli.config.ConfigJson;
import org.lra.cli.config.ConfigLoader;
import org.lra.cli.config.RunConfig;
import org.lra.data.SplitData;
import org.lra.data.batch.EvalPass;
import org.lra.model.ModelBuilder;
import org.lra.model.checkpoint.CheckpointFormatException;
import org.lra.model.StepRunner;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Precision;
import org.lra.model.train.ModelTrainingEngine;
import org.lra.model.train.SplitEvaluation;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lra eval RUN_DIR}: accuracy of a run's checkpoint on a whole split, never implicitly the last one, and with
 * {@code --predictions} every example's prediction (how runs trained before {@code lra train} wrote
 * {@code predictions-test.csv} get theirs).
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Evaluate a run's checkpoint on a whole split: exact accuracy and the reference per-batch mean.",
                "Writes eval-<split>-<checkpoint>.json into the run directory, and with --predictions the per-example "
                        + "CSV; prints one line: accuracy, per-batch mean, examples and loss."})
public class EvalCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A run directory written by lra train.")
    Path runDir;

    @Option(names = "--split", defaultValue = "test", paramLabel = "S", converter = Choices.Splits.class,
            completionCandidates = Choices.Splits.class, description = "Split to evaluate: ${COMPLETION-CANDIDATES}.")
    Split split;

    @Option(names = "--checkpoint", defaultValue = "best", paramLabel = "C", converter = Choices.Checkpoints.class,
            completionCandidates = Choices.Checkpoints.class,
            description = "Checkpoint: ${COMPLETION-CANDIDATES} (best dev, as the reference tests; last, as LRA's JAX code).")
    Choices.Checkpoint checkpoint;

    @Option(names = "--predictions", paramLabel = "FILE",
            description = {"Also write FILE: one CSV row per example of the split, in split order: "
                    + "index,label,predicted,p_predicted (p_predicted: the softmax probability of the predicted class). "
                    + "lra train writes RUN_DIR/" + RunFiles.PREDICTIONS_TEST + " itself; for an older run: "
                    + "--split test --checkpoint best --predictions RUN_DIR/" + RunFiles.PREDICTIONS_TEST + "."})
    Path predictions;

    @Override
    public Integer call() throws Exception {
        Path config = runDir.resolve(RunFiles.CONFIG);
        if (!Files.exists(config)) {
            throw new InputException(runDir + ": no " + RunFiles.CONFIG + "; not a run directory");
        }
        Path ckpt = runDir.resolve(RunFiles.CHECKPOINTS).resolve(checkpoint.fileName());
        if (!Files.exists(ckpt)) {
            throw new InputException(ckpt + " does not exist (the run has not evaluated yet?)");
        }
        if (predictions != null) {
            checkWritable(predictions);   // before minutes of evaluation, not after
        }
        RunConfig cfg = ConfigLoader.bindResolved(config);
        RunData data = RunData.open(GlobalOptions.of(spec).dataDir(), cfg.task());
        SplitData splitData = switch (split) {
            case TRAIN -> data.train();
            case VAL -> data.val();
            case TEST -> data.test();
        };
        int nThreads = GlobalOptions.of(spec).threads().orElse(cfg.threads());
        ThreadLimit.check(nThreads, "threads");
        try (Parallel pool = new Parallel(nThreads)) {
            var model = ModelBuilder.build(cfg.model(), Precision.FLOAT32, cfg.seed());
            var engine = new ModelTrainingEngine(StepRunner.create(model, cfg.training(), pool, cfg.seed()));
            long step;
            try {
                step = engine.load(ckpt).step();
            } catch (CheckpointFormatException e) {
                throw TrainRun.unusableCheckpoint(e, runDir);
            }
            SplitEvaluation e = SplitEvaluation.of(engine,
                    new EvalPass(splitData, cfg.training().batchSize(), cfg.task().paddedLength(), false));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("runId", runDir.getFileName().toString());
            out.put("split", split.fileName());
            out.put("checkpoint", checkpoint.name().toLowerCase(java.util.Locale.ROOT));
            out.put("checkpointStep", step);
            out.put("accuracy", e.exact());
            out.put("accuracyBatchMean", Double.isFinite(e.batchMean()) ? e.batchMean() : null);
            out.put("examples", e.examples());
            out.put("meanLoss", e.meanLoss());
            if (predictions != null) {
                out.put("predictions", predictions.toString());
            }
            AtomicFiles.write(runDir.resolve("eval-" + split.fileName() + "-" + checkpoint.name().toLowerCase(java.util.Locale.ROOT) + ".json"), ConfigJson.toPrettyJson(out));
            if (predictions != null) {
                writePredictions(e.predictions(), predictions);
            }
            // the one line the help promises; the files are not announced on stdout
            PrintWriter stdout = spec.commandLine().getOut();
            stdout.printf(Locale.ROOT, "%s %s checkpoint (step %d) on %s: accuracy %.4f (per-batch mean %.4f) over %d examples, loss %.4f%n",
                    runDir.getFileName(), checkpoint, step, split, e.exact(), e.batchMean(), e.examples(), e.meanLoss());
            stdout.flush();
        }
        return 0;
    }

    /** A directory, or a path under a file, is refused with one line naming it (exit 2). */
    static void checkWritable(Path file) {
        if (Files.isDirectory(file)) {
            throw new InputException("--predictions " + file + " is a directory; name a file, e.g. "
                    + file.resolve(RunFiles.PREDICTIONS_TEST));
        }
        Path existing = file.toAbsolutePath().getParent();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing)) {
            throw new InputException("--predictions " + file + ": " + existing + " is not a directory");
        }
        if (!Files.isWritable(existing)) {
            throw new InputException("--predictions " + file + ": cannot write in " + existing);
        }
    }

    private static void writePredictions(Predictions p, Path file) throws IOException {
        try {
            p.write(file);
        } catch (DiskFullException full) {
            throw full;   // the disk, not the path: exit 1 as every full disk
        } catch (IOException e) {
            throw new InputException("--predictions " + file + ": cannot write it (" + e.getMessage() + ")", e);
        }
    }
}
