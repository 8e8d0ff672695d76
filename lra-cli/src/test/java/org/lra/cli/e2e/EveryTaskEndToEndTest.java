package org.lra.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lra.cli.e2e.TinyRuns.TASKS;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lra.cli.TestPaths;

/**
 * Every task end to end, as a user runs it: release-format files (ListOps TSV, an aclImdb tree, AAN TSV, CIFAR-10
 * binary batches, Pathfinder PNGs + metadata) → {@code lra data import all} → {@code lra train} of each task's
 * CPU config for softmax and fmm-2kernel-band5 (a tiny model for a few steps, via --set) → {@code lra report},
 * whose table has all five task columns and the average for both models, and the data's reference rows.
 */
class EveryTaskEndToEndTest {
    static final String[] MODELS = {"softmax", "fmm-2kernel-band5"};

    @TempDir
    Path tmp;

    @Test
    void importTrainAndReportAllFiveTasks() throws Exception {
        Path data = TinyRuns.importAllTasks(tmp);
        Path runs = tmp.resolve("runs");
        for (String task : TASKS) {
            for (String model : MODELS) {
                Path runDir = runs.resolve(task + "__" + model + "__s0");
                TinyRuns.train(TestPaths.configsDir().resolve("cpu/" + task + "/" + model + ".yaml"), task, data,
                        runDir, List.of());
                assertEquals(model.startsWith("fmm"), Files.exists(runDir.resolve("blend.csv")),
                        "blend.csv for fmm runs only: " + runDir);
            }
        }

        Path out = tmp.resolve("report");
        TinyRuns.lra("report", "--runs", runs.toString(), "--out", out.toString());
        String md = Files.readString(out.resolve("lra_table.md"));
        for (String column : new String[] {"ListOps", "Text", "Retrieval", "Image", "Pathfinder", "Avg"}) {
            assertTrue(md.contains("| " + column + " |"), column + " column in\n" + md);
        }
        List<CSVRecord> rows = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(Files.readString(out.resolve("lra_table.csv")))).getRecords();
        assertEquals(List.of("softmax", "fmm-2kernel-band5", "majority-class", "shortcut"),
                rows.stream().map(r -> r.get("model")).toList());
        // the reference rows, from the data each run.json records: a majority class for every task, a shortcut for ListOps
        for (String task : TASKS) {
            double majority = Double.parseDouble(rows.get(2).get(task + "_mean"));
            assertTrue(majority > 0 && majority <= 100, task + ": " + majority);
            assertEquals(task.equals("listops"), !rows.get(3).get(task + "_mean").isEmpty(), task);
        }
        rows = rows.subList(0, 2);
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
            for (String model : MODELS) {
                assertTrue(Files.exists(out.resolve("confusion_" + task + "__" + model + "__s0.png")),
                        "train wrote predictions-test.csv, the report its confusion matrix: " + task + " " + model);
            }
        }
        assertTrue(md.contains("## Test predictions, ListOps"), md);
    }
}
