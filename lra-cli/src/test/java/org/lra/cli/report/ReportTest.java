package org.lra.cli.report;

import org.lra.cli.rundir.MetricsCsv;
import org.lra.cli.rundir.RunResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lra.cli.InputException;
import org.lra.cli.LraCommand;
import org.lra.cli.rundir.RunDirLock;
import picocli.CommandLine;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportTest {

    @TempDir
    Path tmp;

    Path runs;
    Path out;

    @BeforeEach
    void fixtures() throws IOException {
        runs = tmp.resolve("runs");
        out = tmp.resolve("results");
        // softmax on ListOps: three seeds, 0.36 / 0.37 / 0.38 → 37.00 ± 1.00
        FakeRunDirs.finished(runs.resolve("machine-a"), "listops", "softmax", "paper", 0, 0.36);
        FakeRunDirs.finished(runs.resolve("machine-a"), "listops", "softmax", "paper", 1, 0.37);
        FakeRunDirs.finished(runs.resolve("machine-b/nested"), "listops", "softmax", "paper", 2, 0.38);
        // fmm-2kernel on all five tasks (one seed each) → has an Avg
        double[] acc = {0.36, 0.66, 0.80, 0.44, 0.70};
        for (int t = 0; t < 5; t++) {
            FakeRunDirs.finished(runs, PaperTable.TASKS.get(t), "fmm-2kernel-band5", "paper", 0, acc[t]);
        }
        // a baseline whose reference is the Nystromformer paper
        FakeRunDirs.finished(runs, "pathfinder", "nystromformer", "paper", 0, 0.70);
        // a cpu row, a model the paper does not have, one running and one diverged run
        FakeRunDirs.finished(runs.resolve("cpu"), "text", "band5", "cpu", 0, 0.60);
        FakeRunDirs.finished(runs, "image", "my-variant", "paper", 0, 0.40);
        FakeRunDirs.running(runs, "text", "softmax", "paper", 0, 35);
        FakeRunDirs.diverged(runs, "retrieval", "linear", "paper", 0);
    }

    @Test
    void cellsAreMeanAndSampleStdOverSeeds() {
        AccuracyTable table = AccuracyTable.of(RunDirScanner.scan(runs).runs());
        AccuracyTable.Row softmax = row(table, "softmax", "paper");
        Stats listops = softmax.stats("listops");
        assertEquals(37.0, listops.mean(), 1e-9);
        assertEquals(1.0, listops.std(), 1e-9);
        assertEquals(3, listops.n());
        assertEquals(List.of("listops"), List.copyOf(softmax.cells().keySet()), "running/diverged runs left out");
        assertTrue(softmax.average().isEmpty(), "Avg needs all five tasks");

        AccuracyTable.Row fmm = row(table, "fmm-2kernel-band5", "paper");
        assertEquals((36 + 66 + 80 + 44 + 70) / 5.0, fmm.average().orElseThrow(), 1e-9);
        assertTrue(Double.isNaN(fmm.stats("text").std()), "one seed: no spread");
    }

    @Test
    void rowsFollowThePaperOrderThenOthersThenCpu() {
        AccuracyTable table = AccuracyTable.of(RunDirScanner.scan(runs).runs());
        List<String> order = table.rows().stream().map(r -> r.model() + "/" + r.scale()).toList();
        assertEquals(List.of("softmax/paper", "fmm-2kernel-band5/paper", "nystromformer/paper", "my-variant/paper",
                "band5/cpu"), order);
    }

    @Test
    void markdownHasPaperColumnsDaggersAndCpuFlag() throws IOException {
        Report.Output output = Report.generate(runs, out);
        String md = output.markdown();
        assertTrue(md.contains("| Model | Scale | Data | ListOps | paper | Δ | Text | paper | Δ |"), md);
        // softmax carries both references, each tagged with its paper and marked recalled or verified
        assertTrue(md.contains("| softmax | paper | listops | 37.00 ± 1.00 (n=3) | F 37.10† / N 37.10✓ | -0.10 / -0.10 |"),
                md);
        assertTrue(md.contains("| F 58.70✓ / N 58.77✓ |"), "softmax averages, both verified: " + md);
        assertTrue(md.contains("| 59.20 | F 60.74✓ | -1.54 |"), md);
        assertTrue(md.contains("| 70.00 (n=1) | N 70.94✓ | -0.94 |"), "nystromformer against its own paper: " + md);
        assertTrue(md.contains("N Nyströmformer (arXiv 2102.03902) Table 1"), md);
        assertTrue(md.contains("band5 | cpu ‡"), md);
        assertTrue(md.contains("NOT comparable to the paper"), md);
        assertTrue(md.contains("## Runs not in the table"), md);
        // says running but no process here holds it (killed, or training elsewhere); best dev so far 0.3 * 30 / 35
        assertTrue(md.contains("| text__softmax__s0 | text | softmax | paper | 0 | not running here | 35 | 25.71 |"),
                md);
        assertTrue(md.contains("| retrieval__linear__s0 | retrieval | linear | paper | 0 | diverged |"), md);
        assertEquals(md.length(), md.replace("\r", "").length());
        assertTrue(Files.readString(out.resolve("lra_table.md")).contains(md));
    }

    @Test
    void csvHasOneRowPerModelAndScaleWithProvenance() throws IOException {
        Report.generate(runs, out);
        List<CSVRecord> rows = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(Files.readString(out.resolve("lra_table.csv")))).getRecords();
        assertEquals(7, rows.size(), "five model rows, then majority-class and shortcut");
        CSVRecord softmax = rows.get(0);
        assertEquals("softmax", softmax.get("model"));
        assertEquals("37.0000", softmax.get("listops_mean"));
        assertEquals("1.0000", softmax.get("listops_std"));
        assertEquals("3", softmax.get("listops_n"));
        assertEquals("listops", softmax.get("listops_dataset"));
        assertEquals("37.1000", softmax.get("listops_paper_fmmformer"));
        assertEquals("false", softmax.get("listops_paper_fmmformer_verified"));
        assertEquals("37.1000", softmax.get("listops_paper_nystromformer"));
        assertEquals("true", softmax.get("listops_paper_nystromformer_verified"));
        assertEquals("-0.1000", softmax.get("listops_diff_nystromformer"));
        assertEquals("listops__softmax__s0;listops__softmax__s1;listops__softmax__s2", softmax.get("listops_runs"));
        assertEquals("", softmax.get("avg_mean"));
        assertEquals("true", softmax.get("avg_paper_fmmformer_verified"));
        CSVRecord nystrom = rows.get(2);
        assertEquals("nystromformer", nystrom.get("model"));
        assertEquals("", nystrom.get("pathfinder_paper_fmmformer"));
        assertEquals("70.9400", nystrom.get("pathfinder_paper_nystromformer"));
        assertEquals("-0.9400", nystrom.get("pathfinder_diff_nystromformer"));
        assertEquals("false", rows.get(4).get("comparable_to_paper"));
        assertEquals(List.of("majority-class", "shortcut"), List.of(rows.get(5).get("model"), rows.get(6).get("model")));
        assertEquals("reference", rows.get(5).get("scale"));
        assertEquals("", rows.get(5).get("listops_mean"), "the fixtures' run.json records no data");
    }

    @Test
    void timingTableAveragesSeeds() throws IOException {
        TimingTable timing = TimingTable.of(RunDirScanner.scan(runs).runs());
        TimingTable.Row first = timing.rows().get(0);
        assertEquals("listops", first.task());
        assertEquals("softmax", first.model());
        assertEquals(3, first.n());
        assertEquals(121.0, first.medianStepMs(), 1e-9);
        assertEquals(902.0, first.peakRssMb(), 1e-9, "peak memory is the max over seeds");
        Report.generate(runs, out);
        assertTrue(Files.readString(out.resolve("lra_timing.md")).contains("| listops | listops | softmax | paper | 3 | 121.0 |"));
        assertTrue(Files.readString(out.resolve("lra_timing.csv")).startsWith("task,dataset,model,scale,n,median_step_ms"));
    }

    @Test
    void cellsNeverPoolRunsOfDifferentDatasets() throws IOException {
        // softmax on Pathfinder hard (two seeds) and easy (one seed), and ListOps, all at cpu scale
        FakeRunDirs.finishedOn(runs.resolve("hard"), "pathfinder32-cpu", "pathfinder", "softmax", "cpu", 0, 0.50);
        FakeRunDirs.finishedOn(runs.resolve("hard"), "pathfinder32-cpu", "pathfinder", "softmax", "cpu", 1, 0.52);
        FakeRunDirs.finishedOn(runs.resolve("easy"), "pathfinder32-demo", "pathfinder", "softmax", "cpu", 0, 0.60);
        FakeRunDirs.finishedOn(runs.resolve("cpu"), "listops-cpu", "listops", "softmax", "cpu", 0, 0.30);
        AccuracyTable table = AccuracyTable.of(RunDirScanner.scan(runs).runs());
        List<AccuracyTable.Row> softmaxCpu = table.rows().stream()
                .filter(r -> r.model().equals("softmax") && r.scale().equals("cpu")).toList();
        assertEquals(2, softmaxCpu.size(), "the easy set gets a row of its own");
        AccuracyTable.Row first = softmaxCpu.get(0);
        assertEquals("pathfinder32-cpu", first.cells().get("pathfinder").dataset(), "the dataset with the most runs first");
        assertEquals(51.0, first.stats("pathfinder").mean(), 1e-9);
        assertEquals(2, first.stats("pathfinder").n());
        assertEquals("listops-cpu", first.cells().get("listops").dataset());
        AccuracyTable.Row easy = softmaxCpu.get(1);
        assertEquals(List.of("pathfinder"), List.copyOf(easy.cells().keySet()));
        assertEquals(60.0, easy.stats("pathfinder").mean(), 1e-9);
        assertEquals(List.of("pathfinder__softmax__s0"), easy.cells().get("pathfinder").runIds());

        String md = Report.generate(runs, out).markdown();
        assertTrue(md.contains("| softmax | cpu ‡ | listops-cpu, pathfinder32-cpu | 30.00 (n=1) |"), md);
        assertTrue(md.contains("| softmax | cpu ‡ | pathfinder32-demo |"), md);
        String timing = Files.readString(out.resolve("lra_timing.md"));
        assertTrue(timing.contains("| pathfinder | pathfinder32-cpu | softmax | cpu | 2 |"), timing);
        assertTrue(timing.contains("| pathfinder | pathfinder32-demo | softmax | cpu | 1 |"), timing);
    }

    /** A run of another pooling than the reference mean is a deviation: a row of its own, so marked, no paper value. */
    @Test
    void nonReferencePoolingGetsARowOfItsOwnMarkedAsADeviation() throws IOException {
        FakeRunDirs.finished(runs.resolve("ref"), "listops", "band5", "paper", 0, 0.32);
        withPooling(FakeRunDirs.finished(runs.resolve("tokens"), "listops", "band5", "paper", 0, 0.40), "mean-tokens");
        withPooling(FakeRunDirs.finished(runs.resolve("tokens"), "listops", "band5", "paper", 1, 0.42), "mean-tokens");
        withPooling(FakeRunDirs.running(runs.resolve("cls"), "listops", "band5", "paper", 0, 30), "cls");
        withPooling(FakeRunDirs.finished(runs.resolve("mean"), "text", "band5", "paper", 0, 0.66), "mean");

        AccuracyTable table = AccuracyTable.of(RunDirScanner.scan(runs).runs());
        AccuracyTable.Row ref = table.rows().stream().filter(r -> r.model().equals("band5")).findFirst().orElseThrow();
        assertEquals(32.0, ref.stats("listops").mean(), 1e-9);
        assertEquals(66.0, ref.stats("text").mean(), 1e-9, "pooling: mean written out is the reference");
        AccuracyTable.Row tokens = table.rows().stream()
                .filter(r -> r.model().equals("band5 [deviation: pooling=mean-tokens]")).findFirst().orElseThrow();
        assertEquals(41.0, tokens.stats("listops").mean(), 1e-9);
        assertEquals(2, tokens.stats("listops").n());

        String md = Report.generate(runs, out).markdown();
        assertTrue(md.contains("| band5 | paper | listops, text | 32.00 (n=1) | F 32.36† | -0.36 |"), md);
        assertTrue(md.contains("| band5 [deviation: pooling=mean-tokens] | paper | listops | 41.00 ± 1.41 (n=2) |  |  |"),
                md);
        assertTrue(md.contains("| listops__band5__s0 | listops | band5 [deviation: pooling=cls] | paper | 0 |"), md);
        String timing = Files.readString(out.resolve("lra_timing.md"));
        assertTrue(timing.contains("| listops | listops | band5 [deviation: pooling=mean-tokens] | paper | 2 |"), timing);
    }

    /** Sets model.pooling in a fake run's config.yaml, as the trainer writes it. */
    private static void withPooling(Path runDir, String pooling) throws IOException {
        Path config = runDir.resolve("config.yaml");
        Files.writeString(config, Files.readString(config) + "model:\n  pooling: " + pooling + "\n");
    }

    @Test
    void curvesKeepRunsThatShareModelAndSeed() throws IOException {
        // the same model and seed on two datasets (say Pathfinder easy and hard), in two directories
        FakeRunDirs.finished(runs.resolve("easy"), "pathfinder", "softmax", "cpu", 0, 0.52);
        FakeRunDirs.finished(runs.resolve("hard"), "pathfinder", "softmax", "cpu", 0, 0.50);
        var series = Plots.curveSeries("pathfinder", RunDirScanner.scan(runs).runs());
        assertEquals(4, series.size(), series.keySet().toString());   // and the fixtures' fmm and nystromformer
        assertTrue(series.containsKey("nystromformer s0"), series.keySet().toString());
        // same run id as well, so the directories tell them apart
        assertTrue(series.containsKey("softmax s0 (cpu) " + runs.resolve("easy/pathfinder__softmax__s0")), series.toString());
        assertTrue(series.containsKey("softmax s0 (cpu) " + runs.resolve("hard/pathfinder__softmax__s0")), series.toString());
    }

    @Test
    void pngFilesExistAndDecode() throws IOException {
        Report.Output output = Report.generate(runs, out);
        for (String name : List.of("curves_listops.png", "curves_text.png", "curves_retrieval.png",
                "curves_image.png", "curves_pathfinder.png", "ours_vs_paper.png")) {
            Path png = out.resolve(name);
            assertTrue(output.written().contains(png), name);
            BufferedImage image = ImageIO.read(png.toFile());
            assertNotNull(image, name + " decodes");
            assertTrue(image.getWidth() >= 900, name);
        }
        try (Stream<Path> files = Files.list(out)) {
            assertFalse(files.anyMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temp files left");
        }
    }

    @Test
    void reportCommandPrintsTableAndFiles() {
        StringWriter stdout = new StringWriter();
        CommandLine cmd = LraCommand.commandLine();
        cmd.setOut(new PrintWriter(stdout));
        cmd.setErr(new PrintWriter(new StringWriter()));
        int code = cmd.execute("report", "--runs", runs.toString(), "--out", out.toString());
        assertEquals(0, code);
        assertTrue(stdout.toString().contains("| softmax | paper |"), stdout.toString());
        assertTrue(stdout.toString().contains("Wrote:"));
        assertTrue(stdout.toString().contains("lra_table.csv"));
    }

    @Test
    void emptyOrMissingRunsDirIsAnInputError() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertThrows(InputException.class, () -> Report.generate(empty, out));
        assertThrows(InputException.class, () -> Report.generate(tmp.resolve("nope"), out));
        StringWriter err = new StringWriter();
        CommandLine cmd = LraCommand.commandLine();
        cmd.setErr(new PrintWriter(err));
        assertEquals(2, cmd.execute("report", "--runs", empty.toString(), "--out", out.toString()));
    }

    @Test
    void unreadableResultIsListedNotFatal() throws IOException {
        Path broken = Files.createDirectories(runs.resolve("broken"));
        Files.writeString(broken.resolve("result.json"), "{\"runId\": ");
        Report.Output output = Report.generate(runs, out);
        assertTrue(output.markdown().contains("## Files left out"), output.markdown());
        assertTrue(output.markdown().contains("broken/result.json"));
    }

    /** Issue 22 item 9: a damaged blend.csv is a note naming it; the rest of the report is written. */
    @Test
    void aDamagedBlendCsvIsANoteNamingItAndTheReportIsComplete() throws IOException {
        Path run = runs.resolve("text__softmax__s0");
        Files.writeString(run.resolve("blend.csv"), "garbage,,\n1,2\n");
        Path other = FakeRunDirs.finished(runs, "pathfinder", "band5", "cpu", 0, 0.5);
        Files.write(other.resolve("blend.csv"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2, '\n'});
        Path foreign = FakeRunDirs.finished(runs, "image", "band5", "cpu", 0, 0.4);
        Files.writeString(foreign.resolve("blend.csv"), "a,b\n1,2\n");
        Report.Output output = Report.generate(runs, out);
        String md = output.markdown();
        assertTrue(md.contains("text__softmax__s0/blend.csv: unreadable blend.csv (A header name is missing"), md);
        assertTrue(md.contains(foreign.getFileName() + "/blend.csv: not a blend.csv: its header lacks [step"), md);
        assertTrue(md.contains(other.getFileName() + "/blend.csv: unreadable blend.csv"), md);
        assertTrue(Files.exists(out.resolve("lra_table.md")) && Files.exists(out.resolve("lra_timing.csv")));
    }

    /** Issue 22 item 3: a run whose run.json lists processes of two builds is named with both. */
    @Test
    void aRunMadeByTwoBuildsIsListedWithThem() throws IOException {
        Path run = runs.resolve("text__fmm-2kernel-band5__s0");
        Files.writeString(run.resolve("run.json"), "{\"runId\": \"text__fmm-2kernel-band5__s0\", \"configHash\": "
                + "\"abcdef012345\", \"processes\": [{\"build\": \"aaa111\", \"firstStep\": 1}, "
                + "{\"build\": \"bbb222-dirty\", \"firstStep\": 301}, {\"build\": \"bbb222-dirty\", \"firstStep\": 601}]}\n");
        String md = Report.generate(runs, out).markdown();
        assertTrue(md.contains("## Runs made by more than one build"), md);
        assertTrue(md.contains("| text__fmm-2kernel-band5__s0 | aaa111, bbb222-dirty |"), md);
        assertEquals(1, md.lines().filter(l -> l.startsWith("| ") && l.contains(", ") && l.contains("aaa111")).count());
    }

    /** A run of the official code (result.json's "engine") is never pooled with ours: a row of its own. */
    @Test
    void anotherEnginesRunGetsARowOfItsOwn() throws IOException {
        Path official = FakeRunDirs.finished(runs.resolve("official"), "listops", "softmax", "paper", 0, 0.20);
        Path result = official.resolve("result.json");
        Files.writeString(result, Files.readString(result).replaceFirst("\\{", "{\"engine\": \"official\", "));
        // its metrics.csv has columns of its own (train_loss for loss): what is there is read, the rest is empty
        Files.writeString(official.resolve("metrics.csv"), "step,lr,train_loss,train_acc,dev_loss,dev_acc,step_ms\n"
                + "10,1e-4,2.3,0.1,2.2,0.2,900\n");
        String md = Report.generate(runs, out).markdown();
        assertTrue(md.contains("| softmax | paper | listops | 37.00 ± 1.00 (n=3) |"), "ours unchanged: " + md);
        assertTrue(md.contains("| softmax [engine: official] | paper | listops | 20.00 (n=1) |"), md);
        assertFalse(md.contains("Files left out"), md);
    }

    /** Issue 22 item 14: copies of one run (same id, seed, config) are counted once, with a note. */
    @Test
    void copiesOfOneRunAreCountedOnce() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("copies"));
        Path original = FakeRunDirs.finished(root.resolve("machine-a"), "listops", "softmax", "cpu", 0, 0.30);
        for (String copy : new String[] {"machine-b", "machine-c", "machine-d"}) {
            org.lra.cli.TestFiles.copyTree(original, root.resolve(copy).resolve(original.getFileName().toString()));
        }
        FakeRunDirs.finished(root.resolve("machine-a"), "listops", "softmax", "cpu", 1, 0.34);
        String md = Report.generate(root, out).markdown();
        assertTrue(md.contains("(n=2)"), "two seeds, not five runs: " + md);
        assertEquals(3, md.lines().filter(l -> l.contains(": a copy of ") && l.contains("counted once")).count(), md);
    }

    @Test
    void statusIsWhatResultJsonSaysCheckedAgainstTheRunLock() throws IOException {
        Path live = runs.resolve("text__softmax__s0");
        // the live trainer holds the run-directory lock; here this JVM plays it
        try (RunDirLock held = RunDirLock.acquire(live)) {
            String md = Report.generate(runs, out).markdown();
            assertTrue(md.contains("| text__softmax__s0 | text | softmax | paper | 0 | running | 35 | 25.71 |"), md);
            assertEquals(Optional.of(ProcessHandle.current().pid()), RunDirLock.holder(live), "still held");
        }
        Path stopped = FakeRunDirs.write(runs, "image", "softmax", "paper", 0, RunResult.STOPPED, 40, null);
        // metrics past result.json's steps were written after the last checkpoint: a resume cuts them
        Files.writeString(stopped.resolve("result.json"),
                Files.readString(stopped.resolve("result.json")).replace("\"steps\" : 40", "\"steps\" : 30"));
        String md = Report.generate(runs, out).markdown();
        assertTrue(md.contains("| image__softmax__s0 | image | softmax | paper | 0 | stopped | 30 | 22.50 |"), md);
    }

    @Test
    void tornMetricsLineIsSkipped() throws IOException {
        Path dir = FakeRunDirs.running(tmp.resolve("torn"), "text", "softmax", "paper", 0, 20);
        Files.writeString(dir.resolve("metrics.csv"), "21,0.0001,1.2", java.nio.file.StandardOpenOption.APPEND);
        assertEquals(20, MetricsCsv.read(dir.resolve("metrics.csv")).size());
    }

    private static AccuracyTable.Row row(AccuracyTable table, String model, String scale) {
        return table.rows().stream().filter(r -> r.model().equals(model) && r.scale().equals(scale)).findFirst()
                .orElseThrow();
    }
}
