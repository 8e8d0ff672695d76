package org.lra.cli.train;

import org.lra.cli.ThreadLimit;
import org.lra.cli.rundir.RunFiles;
import org.lra.data.Split;
import org.lra.cli.Choices;
import org.lra.cli.GlobalOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.lra.data.io.AtomicFiles;
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

/** {@code lra eval RUN_DIR}: accuracy of a run's checkpoint on a whole split, never implicitly the last one. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Evaluate a run's checkpoint on a whole split: exact accuracy and the reference per-batch mean.",
                "Writes eval-<split>-<checkpoint>.json into the run directory."})
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
            AtomicFiles.write(runDir.resolve("eval-" + split.fileName() + "-" + checkpoint.name().toLowerCase(java.util.Locale.ROOT) + ".json"), ConfigJson.toPrettyJson(out));
            System.out.printf(Locale.ROOT, "%s %s checkpoint (step %d) on %s: accuracy %.4f (per-batch mean %.4f) over %d examples, loss %.4f%n",
                    runDir.getFileName(), checkpoint, step, split, e.exact(), e.batchMean(), e.examples(), e.meanLoss());
        }
        return 0;
    }
}
