package org.lra.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lra.cli.LraCommand;
import org.lra.cli.TestPaths;
import org.lra.data.read.ReleaseFixtures;
import picocli.CommandLine;

/**
 * Every task end to end, as a user runs it: release-format files (ListOps TSV, an aclImdb tree, AAN TSV, CIFAR-10
 * binary batches, Pathfinder PNGs + metadata) → {@code lra data import all} → {@code lra train} of each task's
 * CPU config for softmax and fmm-2kernel-band5 (a tiny model for a few steps, via --set) → {@code lra report},
 * whose table has all five task columns and the average for both models.
 */
class EveryTaskEndToEndTest {
    static final String[] TASKS = {"listops", "text", "retrieval", "image", "pathfinder"};
    static final String[] MODELS = {"softmax", "fmm-2kernel-band5"};

    @TempDir
    Path tmp;

    @Test
    void importTrainAndReportAllFiveTasks() throws Exception {
        Path release = tmp.resolve("lra_release");
        ReleaseFixtures.listOps(release, 16, 8, 8);
        ReleaseFixtures.aclImdb(release, 8, 4);
        ReleaseFixtures.aanTsv(release, 16, 8, 8);
        ReleaseFixtures.cifarBatches(release, 8);
        ReleaseFixtures.pathfinder(release, 32, 10);
        Path data = tmp.resolve("data");
        lra("data", "import", "all", "--from", release.toString(), "--data-dir", data.toString());

        Path runs = tmp.resolve("runs");
        for (String task : TASKS) {
            for (String model : MODELS) {
                Path runDir = runs.resolve(task + "__" + model + "__s0");
                List<String> args = new ArrayList<>(List.of("train",
                        "--config", TestPaths.configsDir().resolve("cpu/" + task + "/" + model + ".yaml").toString(),
                        "--data-dir", data.toString(), "--out", runDir.toString(), "--seed", "0", "--threads", "1"));
                for (String set : tiny(task)) {
                    args.add("--set");
                    args.add(set);
                }
                lra(args.toArray(String[]::new));
                assertTrue(Files.readString(runDir.resolve("result.json")).contains("\"finished\""), runDir.toString());
                assertEquals(model.startsWith("fmm"), Files.exists(runDir.resolve("blend.csv")),
                        "blend.csv for fmm runs only: " + runDir);
            }
        }

        Path out = tmp.resolve("report");
        lra("report", "--runs", runs.toString(), "--out", out.toString());
        String md = Files.readString(out.resolve("lra_table.md"));
        for (String column : new String[] {"ListOps", "Text", "Retrieval", "Image", "Pathfinder", "Avg"}) {
            assertTrue(md.contains("| " + column + " |"), column + " column in\n" + md);
        }
        List<CSVRecord> rows = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(Files.readString(out.resolve("lra_table.csv")))).getRecords();
        assertEquals(List.of("softmax", "fmm-2kernel-band5"), rows.stream().map(r -> r.get("model")).toList());
        for (CSVRecord row : rows) {
            double sum = 0;
            for (String task : TASKS) {
                assertEquals("1", row.get(task + "_n"), task + " of " + row.get("model"));
                sum += Double.parseDouble(row.get(task + "_mean"));
            }
            assertEquals(sum / TASKS.length, Double.parseDouble(row.get("avg_mean")), 1e-3, "the average of the five");
        }
        for (String task : TASKS) {
            assertTrue(Files.exists(out.resolve("blend_" + task + "__fmm-2kernel-band5__s0.png")), "a blend plot per fmm run");
            assertFalse(Files.exists(out.resolve("blend_" + task + "__softmax__s0.png")), "none for softmax");
        }
    }

    /** A tiny model, 4 steps of 2 with a dev evaluation every 2, short texts; images keep their 1024 pixels. */
    private static List<String> tiny(String task) {
        List<String> sets = new ArrayList<>(List.of("model.dim=16", "model.heads=2", "model.headDim=8",
                "model.layers=1", "model.ffnDim=32", "model.headHidden=16", "training.batchSize=2",
                "training.steps=4", "training.warmupSteps=1", "training.evalEvery=2", "training.evalSteps=1",
                "task.trainLimit=0", "task.valLimit=0", "task.testLimit=0"));
        if (List.of("listops", "text", "retrieval").contains(task)) {
            sets.addAll(List.of("task.maxLength=32", "model.maxLength=32"));
        }
        // the datasets 'lra data import all' made (the CPU configs name generated or subset ones)
        sets.add("task.dataset=" + (task.equals("pathfinder") ? "pathfinder32-hard" : task));
        return sets;
    }

    private static void lra(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cmd = LraCommand.commandLine();
        cmd.setErr(new PrintWriter(err));
        assertEquals(0, cmd.execute(args), String.join(" ", args) + "\n" + err);
        assertFalse(err.toString().contains("Exception"), err.toString());
    }
}
