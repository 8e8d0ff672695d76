package org.lra.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.lra.cli.LraCommand;
import org.lra.data.read.ReleaseFixtures;
import picocli.CommandLine;

/**
 * What the end-to-end tests share: release-format files for all five tasks imported as a user imports them, and
 * {@code lra train} of a real config shrunk by {@code --set} to a tiny model for a few steps.
 */
final class TinyRuns {
    static final String[] TASKS = {"listops", "text", "retrieval", "image", "pathfinder"};

    private TinyRuns() {
    }

    /**
     * ListOps TSV, an aclImdb tree, AAN TSV, CIFAR-10 binary batches and Pathfinder PNGs + metadata under
     * {@code tmp/lra_release}, then {@code lra data import all}; returns the data directory it filled.
     */
    static Path importAllTasks(Path tmp) throws Exception {
        Path release = tmp.resolve("lra_release");
        ReleaseFixtures.listOps(release, 16, 8, 8);
        ReleaseFixtures.aclImdb(release, 8, 4);
        ReleaseFixtures.aanTsv(release, 16, 8, 8);
        ReleaseFixtures.cifarBatches(release, 8);
        ReleaseFixtures.pathfinder(release, 32, 10);
        Path data = tmp.resolve("data");
        lra("data", "import", "all", "--from", release.toString(), "--data-dir", data.toString());
        return data;
    }

    /**
     * {@code lra train --config config} on the imported data with {@link #tiny} and then {@code extraSets} (later
     * ones win), seed 0, one thread; fails unless the run finished.
     */
    static void train(Path config, String task, Path data, Path runDir, List<String> extraSets) throws IOException {
        List<String> args = new ArrayList<>(List.of("train", "--config", config.toString(),
                "--data-dir", data.toString(), "--out", runDir.toString(), "--seed", "0", "--threads", "1"));
        for (String set : tiny(task)) {
            args.add("--set");
            args.add(set);
        }
        for (String set : extraSets) {
            args.add("--set");
            args.add(set);
        }
        lra(args.toArray(String[]::new));
        assertTrue(Files.readString(runDir.resolve("result.json")).contains("\"finished\""), runDir.toString());
    }

    /** A tiny model, 4 steps of 2 with a dev evaluation every 2, short texts; images keep their 1024 pixels. */
    static List<String> tiny(String task) {
        List<String> sets = new ArrayList<>(List.of("model.dim=16", "model.heads=2", "model.headDim=8",
                "model.layers=1", "model.ffnDim=32", "model.headHidden=16", "training.batchSize=2",
                "training.steps=4", "training.warmupSteps=1", "training.evalEvery=2", "training.evalSteps=1",
                "task.trainLimit=0", "task.valLimit=0", "task.testLimit=0"));
        if (isText(task)) {
            sets.addAll(List.of("task.maxLength=" + TEXT_LENGTH, "model.maxLength=" + TEXT_LENGTH));
        }
        // the datasets 'lra data import all' made (the CPU configs name generated or subset ones)
        sets.add("task.dataset=" + (task.equals("pathfinder") ? "pathfinder32-hard" : task));
        return sets;
    }

    /** The length {@link #tiny} cuts ListOps, Text and Retrieval inputs to. */
    static final int TEXT_LENGTH = 32;

    /** ListOps, Text and Retrieval: token sequences that {@link #tiny} shortens (images keep 1024 pixels). */
    static boolean isText(String task) {
        return List.of("listops", "text", "retrieval").contains(task);
    }

    /** Runs the CLI in-process; fails on a non-zero exit or an exception name on stderr. */
    static void lra(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cmd = LraCommand.commandLine();
        cmd.setErr(new PrintWriter(err));
        assertEquals(0, cmd.execute(args), String.join(" ", args) + "\n" + err);
        assertFalse(err.toString().contains("Exception"), err.toString());
    }
}
