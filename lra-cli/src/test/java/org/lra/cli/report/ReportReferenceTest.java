package org.lra.cli.report;

import static org.lra.cli.CliRuns.lra;
import org.lra.cli.CliRuns.Run;
import org.lra.cli.rundir.RunFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.lra.cli.FileTrees;
import org.lra.cli.TestFiles;
import org.lra.cli.train.TrainRun;
import org.lra.data.DataSettings;
import org.lra.data.Task;
import org.lra.data.cache.CachedDataset;
import org.lra.data.generate.ListOpsGenerator;
import org.lra.data.ingest.Importer;
import org.lra.data.predictions.Predictions;
import org.lra.data.reference.HandMadeListOps;

/**
 * The report's reference rows and ListOps prediction section, on {@link HandMadeListOps} (majority class 37.50%,
 * shortcut 62.50%, worked out by hand there), with runs whose run.json records that data as the trainer does.
 */
class ReportReferenceTest {

    @TempDir
    Path tmp;

    Path runs;
    Path out;
    Path data;
    CachedDataset dataset;
    Path softmax;
    Path linear;

    @BeforeEach
    void runsOnHandMadeData() throws IOException {
        runs = tmp.resolve("runs");
        out = tmp.resolve("report");
        data = tmp.resolve("data");
        dataset = HandMadeListOps.importInto(tmp, data, "listops");
        softmax = FakeRunDirs.finished(runs, "listops", "softmax", "paper", 0, 0.5);
        linear = FakeRunDirs.finished(runs, "listops", "linear", "paper", 0, 0.25);
        recordData(softmax, dataset.dir(), dataset);
        recordData(linear, dataset.dir(), dataset);
        // a Text run: its data is nowhere, and Text has no shortcut
        FakeRunDirs.finished(runs, "text", "softmax", "paper", 0, 0.6);
    }

    @Test
    void bothRowsInTheMarkdownFromTheDataRunJsonRecords() throws IOException {
        String md = Report.generate(runs, out).markdown();
        assertTrue(md.contains("| majority-class | reference | listops, text | 37.50 |  |  | n/a (data not found) |  |  |"), md);
        assertTrue(md.contains("| shortcut | reference | listops, text | 62.50 |  |  | — |  |  |"), md);
        // under the model rows, in the same table
        assertTrue(md.indexOf("| softmax | paper | listops, text |") < md.indexOf("| majority-class |"), md);
        assertFalse(md.substring(md.indexOf("| shortcut |")).startsWith("| shortcut |\n\n"), md);
        assertTrue(md.contains("Reference data, listops / listops: read from " + dataset.dir()
                + ": majority class 3 (3 of 8 test examples); shortcut [MIN→2, [MAX→9, [MED→3; else 3 (5 of 8)."), md);
        assertTrue(md.contains("Reference data, text / text: not found: the runs' run.json records no data dir"), md);
    }

    @Test
    void csvCarriesThemAsRowsNamedByModel() throws IOException {
        Report.generate(runs, out);
        List<CSVRecord> rows = csv(out.resolve("lra_table.csv"));
        assertEquals(List.of("softmax", "linear", "majority-class", "shortcut"), rows.stream().map(r -> r.get("model")).toList());
        CSVRecord majority = rows.get(2);
        assertEquals("reference", majority.get("scale"));
        assertEquals("listops", majority.get("listops_dataset"));
        assertEquals("37.5000", majority.get("listops_mean"));
        assertEquals("text", majority.get("text_dataset"));
        assertEquals("", majority.get("text_mean"), "no data: empty, the Markdown says why");
        assertEquals("", majority.get("listops_paper_fmmformer"));
        assertEquals("62.5000", rows.get(3).get("listops_mean"));
        assertEquals("", rows.get(3).get("text_mean"));
    }

    @Test
    void theGlobalDataDirComesFirstButOnlyWithTheRunsData() throws IOException {
        // the data moved: run.json's path is gone, --data-dir names where it is now
        Path moved = tmp.resolve("moved");
        Files.move(data, moved);
        String md = Report.generate(runs, out, moved).markdown();
        assertTrue(md.contains("| majority-class | reference | listops, text | 37.50 |"), md);
        assertTrue(md.contains("read from " + moved.resolve("listops").toAbsolutePath()), md);

        // both hold it: --data-dir first
        TestFiles.copyTree(moved, data);
        md = Report.generate(runs, out, moved).markdown();
        assertTrue(md.contains("read from " + moved.resolve("listops").toAbsolutePath()), md);

        // --data-dir holds another dataset under the same name: skipped, run.json's path is used
        FileTrees.deleteRecursively(moved);
        Path other = tmp.resolve("other");
        Path tsv = tmp.resolve("generated");
        new ListOpsGenerator().generate(tsv, ListOpsGenerator.Options.defaults().withSplits(40, 8, 8).withLengths(5, 30)
                .withThreads(1));
        new Importer(other).importTask(Task.LISTOPS, tsv, DataSettings.defaults(), true);
        md = Report.generate(runs, out, other).markdown();
        assertTrue(md.contains("| majority-class | reference | listops, text | 37.50 |"), md);
        assertTrue(md.contains("read from " + dataset.dir()), md);

        // and with only the other one there, nothing is scored on it
        FileTrees.deleteRecursively(data);
        md = Report.generate(runs, out, other).markdown();
        assertTrue(md.contains("| majority-class | reference | listops, text | n/a (data differs) |"), md);
        assertTrue(md.contains(other.resolve("listops").toAbsolutePath() + " (other data than the runs trained on"), md);
    }

    @Test
    void runsOfOneCellOnDifferentDataGetNoReference() throws IOException {
        // a second softmax seed trained on the same name re-generated with other content
        Path seed1 = FakeRunDirs.finished(runs, "listops", "softmax", "paper", 1, 0.5);
        CachedDataset regenerated = HandMadeListOps.importInto(tmp, tmp.resolve("elsewhere"), "listops");
        Map<String, String> manifest = new LinkedHashMap<>(regenerated.manifest().entries());
        manifest.put("file.train.labels.crc32c", "00000000");
        Map<String, Object> dataNode = new LinkedHashMap<>(Map.of("dir", regenerated.dir().toString(), "manifest", manifest));
        new ObjectMapper().writeValue(seed1.resolve("run.json").toFile(), Map.of("runId", "listops__softmax__s1", "data", dataNode));
        String md = Report.generate(runs, out).markdown();
        assertTrue(md.contains("| majority-class | reference | listops, text | n/a (runs differ in data) |"), md);
        assertTrue(md.contains("the runs behind these cells record different data (cache checksums in run.json)"), md);
        // a run.json that records nothing agrees with any
        Files.writeString(seed1.resolve("run.json"), "{\"runId\": \"listops__softmax__s1\"}");
        assertTrue(Report.generate(runs, out).markdown().contains("| majority-class | reference | listops, text | 37.50 |"));
    }

    @Test
    void aReportWithoutTheDataStillRenders() throws IOException {
        String with = Report.generate(runs, out).markdown();
        FileTrees.deleteRecursively(data);
        Report.Output output = Report.generate(runs, out);
        String md = output.markdown();
        assertTrue(md.contains("| majority-class | reference | listops, text | n/a (data not found) |  |  | n/a (data not found) |"), md);
        assertTrue(md.contains("| shortcut | reference | listops, text | n/a (data not found) |  |  | — |"), md);
        assertTrue(md.contains("not found: tried " + dataset.dir() + " (absent); pass --data-dir DIR"), md);
        // every other line of the table is as it was
        String table = with.substring(0, with.indexOf("| majority-class |"));
        assertTrue(md.startsWith(table), md);
        assertTrue(output.written().contains(out.resolve("curves_listops.png")));
        assertEquals(0, lra("report", "--runs", runs.toString(), "--out", out.toString()).code());
    }

    @Test
    void shortcutAgreementFromAHandMadePredictionsFile() throws IOException {
        // against the shortcut's 9 9 2 3 3 3 2 3: equal at 0, 2, 3, 5, 6 (5 of 8); the majority class 3 at 1, 3, 5;
        // right at 0, 1, 2, 6: 50%, as the run's result.json says
        new Predictions(HandMadeListOps.TEST_LABELS, new int[] {9, 3, 2, 3, 0, 3, 2, 1},
                new double[] {0.9, 0.5, 0.4, 0.3, 0.2, 0.2, 0.6, 0.7}).write(softmax.resolve(RunFiles.PREDICTIONS_TEST));
        Report.Output output = Report.generate(runs, out);
        String md = output.markdown();
        assertTrue(md.contains("## Test predictions, ListOps"), md);
        assertTrue(md.contains("| listops__softmax__s0 | softmax | paper | listops | 0 | 50.00 | 62.50 | 37.50 | "
                + "confusion_listops__softmax__s0.png |"), md);
        // the linear run has no file: dashes, and the command that makes it
        assertTrue(md.contains("| listops__linear__s0 | linear | paper | listops | 0 | 25.00 | — | — |  |"), md);
        assertTrue(md.contains("`lra eval RUN --split test --checkpoint best --predictions RUN/predictions-test.csv` makes it, "
                + "for RUN = " + linear), md);
        assertFalse(md.contains("scores 50.00%, result.json"), "the file agrees with result.json: " + md);
        Path png = out.resolve("confusion_listops__softmax__s0.png");
        assertTrue(output.written().contains(png));
        assertNotNull(ImageIO.read(png.toFile()), "decodes");
        assertFalse(Files.exists(out.resolve("confusion_listops__linear__s0.png")));
    }

    @Test
    void aDamagedOrForeignPredictionsFileIsANoteNotAFailure() throws IOException {
        Path damaged = softmax.resolve(RunFiles.PREDICTIONS_TEST);
        Files.writeString(damaged, "index,label,predicted,p_predicted\n0,9,9,0.5\n1,3,3\n");
        // labels that are not the test split's (another dataset's predictions copied here)
        new Predictions(new int[] {9, 3, 0, 1, 3, 4, 2, 3}, new int[8], new double[8])
                .write(linear.resolve(RunFiles.PREDICTIONS_TEST));
        Run r = lra("report", "--runs", runs.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("| listops__softmax__s0 | softmax | paper | listops | 0 | 50.00 | — | — |  |"), r.out());
        assertTrue(r.out().contains("- " + damaged + ":3: expected 4 columns (index,label,predicted,p_predicted), found 3 (not used)"),
                r.out());
        assertTrue(r.out().contains("| listops__linear__s0 | linear | paper | listops | 0 | 25.00 | n/a (other data) | n/a (other data) |"),
                r.out());
        assertTrue(r.out().contains(linear.resolve(RunFiles.PREDICTIONS_TEST) + ": the label of test example 2 differs from "
                + "the test split's (made on other data?); not compared"), r.out());
        assertFalse(r.out().contains("Exception") || r.err().contains("Exception"), r.err());
        assertFalse(Files.exists(out.resolve("confusion_listops__softmax__s0.png")));
    }

    @Test
    void devCurvesDrawBothAsHorizontalLines() throws IOException {
        RunDirScanner.Scan scan = RunDirScanner.scan(runs);
        ReferenceRows refs = ReferenceRows.of(AccuracyTable.of(scan.runs()), scan.runs(), null);
        XYChart chart = Plots.learningCurvesChart("listops", scan.runs(), refs).orElseThrow();
        XYSeries majority = chart.getSeries("majority-class, test 37.50%");
        XYSeries shortcut = chart.getSeries("shortcut, test 62.50%");
        assertNotNull(majority, names(chart).toString());
        assertNotNull(shortcut, names(chart).toString());
        // across the plotted steps (dev every 10 of 100), at the reference's height
        assertEquals(List.of(10.0, 100.0), List.of(majority.getXData()[0], majority.getXData()[1]));
        assertEquals(List.of(62.5, 62.5), List.of(shortcut.getYData()[0], shortcut.getYData()[1]));
        // Text has no data here and no shortcut: no lines
        XYChart text = Plots.learningCurvesChart("text", scan.runs(), refs).orElseThrow();
        assertEquals(List.of("softmax s0"), names(text));
    }

    /** What the trainer writes into run.json's data: the dataset dir and its manifest. */
    static void recordData(Path runDir, Path datasetDir, CachedDataset ds) throws IOException {
        Map<String, Object> dataNode = new LinkedHashMap<>();
        dataNode.put("dir", datasetDir.toString());
        dataNode.put("manifest", ds.manifest().entries());
        Map<String, Object> runJson = new LinkedHashMap<>();
        runJson.put("runId", runDir.getFileName().toString());
        runJson.put("data", dataNode);
        new ObjectMapper().writeValue(runDir.resolve("run.json").toFile(), runJson);
    }



    private static List<String> names(XYChart chart) {
        return chart.getSeriesCollection().stream().map(XYSeries::getName).toList();
    }

    private static List<CSVRecord> csv(Path file) throws IOException {
        return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(Files.readString(file))).getRecords();
    }
}
