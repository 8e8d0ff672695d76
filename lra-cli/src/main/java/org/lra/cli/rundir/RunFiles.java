package org.lra.cli.rundir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The files of a run directory, named once, and the rule of what counts as one. {@code lra train} writes them;
 * {@code report}, {@code sweep}, {@code eval} and {@code demo} read them.
 *
 * <pre>
 *   config.yaml             the resolved config (what --resume trains on)
 *   run.json                provenance: config files, --set, seed, threads, knobs, data manifest, environment
 *   metrics.csv             one row per step (and per dev evaluation)
 *   blend.csv               fmm only: each layer's near/far/kernel blend weights over steps
 *   checkpoints/            last.ckpt (resume) and best.ckpt (best dev; the test runs on it)
 *   train.log               every start, resume, stop and result, with the build that ran it
 *   result.json             status (running, stopped, finished, diverged) and the final numbers
 *   predictions-test.csv    per test example: index, label, predicted class, its probability
 *   run.lock                the trainer's lock (RunDirLock)
 * </pre>
 */
public final class RunFiles {
    public static final String CONFIG = "config.yaml";
    public static final String RUN_JSON = "run.json";
    public static final String METRICS = "metrics.csv";
    public static final String BLEND = "blend.csv";
    public static final String CHECKPOINTS = "checkpoints";
    public static final String TRAIN_LOG = "train.log";
    public static final String RESULT = "result.json";
    public static final String PREDICTIONS_TEST = "predictions-test.csv";
    public static final String LOCK = "run.lock";

    /** Everything {@code lra train} writes: all that {@code --force} may delete. */
    public static final List<String> WRITTEN_BY_TRAIN =
            List.of(CONFIG, RUN_JSON, METRICS, BLEND, CHECKPOINTS, TRAIN_LOG, RESULT, PREDICTIONS_TEST);

    private RunFiles() {
    }

    /**
     * Whether {@code dir} is a run directory: it holds the {@code run.json} that {@code lra train} writes (a JSON
     * object naming its {@code runId} and {@code configHash}). Nothing else is ever replaced by {@code --force}.
     */
    public static boolean isRunDirectory(Path dir) {
        Path runJson = dir.resolve(RUN_JSON);
        if (!Files.isRegularFile(runJson)) {
            return false;
        }
        try {
            JsonNode node = JsonMapper.builder().build().readTree(runJson.toFile());
            return node != null && node.isObject() && node.hasNonNull("runId") && node.hasNonNull("configHash");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
