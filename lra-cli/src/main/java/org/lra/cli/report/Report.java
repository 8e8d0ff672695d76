package org.lra.cli.report;

import org.lra.cli.rundir.BlendCsv;
import org.lra.cli.rundir.MetricsCsv;
import org.lra.cli.rundir.RunJson;
import org.lra.data.DataFormatException;
import org.lra.cli.rundir.RunResult;
import org.lra.cli.rundir.RunFiles;
import org.lra.data.io.AtomicFiles;
import org.lra.cli.InputException;
import org.lra.cli.rundir.RunDirLock;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Builds every report output from the run directories below a root: accuracy and timing tables (CSV and
 * Markdown) with the data's reference rows (majority class, shortcut), learning-curve and ours-vs-paper PNGs, a
 * far-field-share PNG per fmm run, a confusion-matrix PNG per run with test predictions, the ListOps runs' agreement
 * with the shortcut, and a list of runs that are not (yet) in the table.
 */
public final class Report {

    /**
     * What was produced.
     *
     * @param markdown the accuracy table, not-in-table runs and skipped files, as printed to stdout
     * @param written  every file written, in order
     */
    public record Output(String markdown, List<Path> written) {
    }

    private Report() {
    }

    /** The report with reference data looked up only where the runs' run.json says it was. */
    public static Output generate(Path runsRoot, Path outDir) throws IOException {
        return generate(runsRoot, outDir, null);
    }

    /**
     * The report; {@code dataDir} (the global --data-dir, may be null) is where the reference rows look for each
     * dataset first, before the directory the runs' run.json records ({@link ReferenceRows}).
     */
    public static Output generate(Path runsRoot, Path outDir, Path dataDir) throws IOException {
        RunDirScanner.Scan scan = withoutCopies(RunDirScanner.scan(runsRoot));
        if (scan.runs().isEmpty()) {
            throw new InputException("--runs: no run directories (with " + RunFiles.RESULT + ") below "
                    + runsRoot + (scan.unreadable().isEmpty() ? "" : "; unreadable: " + scan.unreadable()));
        }
        AccuracyTable accuracy = AccuracyTable.of(scan.runs());
        TimingTable timing = TimingTable.of(scan.runs());
        ReferenceRows refs = ReferenceRows.of(accuracy, scan.runs(), dataDir);
        List<RunPredictions.Entry> predictions = RunPredictions.read(scan.runs());
        List<Path> written = new ArrayList<>();

        String accuracyMd = TableFormat.accuracyMarkdown(accuracy, refs) + RunPredictions.markdown(predictions, refs);
        // every file read before any is written: a damaged one is a note, never a half-written report
        Map<RunDir, List<BlendCsv.Row>> blends = new LinkedHashMap<>();
        List<String> damaged = new ArrayList<>();
        for (RunDir run : scan.runs()) {
            try {
                blends.put(run, BlendCsv.read(run.dir().resolve(RunFiles.BLEND)));
            } catch (DataFormatException e) {
                damaged.add(runsRoot.relativize(run.dir().resolve(RunFiles.BLEND)) + ": " + e.getMessage()
                        .substring(e.getMessage().indexOf(": ") + 2) + " (no blend plot for this run)");
            }
        }
        String notInTable = notInTable(scan, damaged) + severalBuilds(scan.runs());
        write(outDir.resolve("lra_table.md"), "# LRA results\n\n" + accuracyMd + notInTable, written);
        write(outDir.resolve("lra_table.csv"), TableFormat.accuracyCsv(accuracy, refs), written);
        write(outDir.resolve("lra_timing.md"), "# LRA timing\n\n" + TableFormat.timingMarkdown(timing), written);
        write(outDir.resolve("lra_timing.csv"), TableFormat.timingCsv(timing), written);

        TreeSet<String> tasks = new TreeSet<>(
                Comparator.comparingInt(TimingTable::taskRank).thenComparing(Comparator.naturalOrder()));
        scan.runs().forEach(r -> tasks.add(r.result().task()));
        for (String task : tasks) {
            writePng(outDir.resolve("curves_" + task + ".png"), Plots.learningCurves(task, scan.runs(), refs), written);
        }
        writePng(outDir.resolve("ours_vs_paper.png"), Plots.oursVsPaper(accuracy), written);
        for (Map.Entry<RunDir, List<BlendCsv.Row>> blend : blends.entrySet()) {
            String runId = blend.getKey().dir().getFileName().toString();
            writePng(outDir.resolve("blend_" + runId + ".png"), Plots.farFieldShare(runId, blend.getValue()), written);
        }
        for (RunPredictions.Entry e : predictions) {
            if (e.predictions() != null) {
                writePng(outDir.resolve(RunPredictions.confusionPng(e)), Plots.confusionMatrix(e.runId(), e.predictions(),
                        RunPredictions.numClasses(e.run().result().task())), written);
            }
        }
        return new Output(accuracyMd + notInTable, written);
    }

    /**
     * Running, stopped, diverged and unreadable runs: visible, but never averaged into a cell. The status is
     * {@link #status}'s; the best dev accuracy so far comes from metrics.csv.
     */
    private static String notInTable(RunDirScanner.Scan scan, List<String> damaged) {
        StringBuilder md = new StringBuilder();
        List<RunDir> pending = scan.runs().stream().filter(r -> !r.result().finished()).toList();
        if (!pending.isEmpty()) {
            md.append("\n## Runs not in the table\n\n| Run | Task | Model | Scale | Seed | Status | Steps | Best dev acc |\n"
                    + "|---|---|---|---|---:|---|---:|---:|\n");
            for (RunDir run : pending) {
                RunResult r = run.result();
                int lastStep = run.metrics().isEmpty() ? 0 : run.metrics().get(run.metrics().size() - 1).step();
                int steps = r.steps() != null ? r.steps() : lastStep;
                // rows past the last checkpoint (a trainer killed outright) are cut on resume: not counted
                Double bestDev = MetricsCsv.bestDevAcc(run.metrics().stream().filter(m -> m.step() <= steps).toList());
                md.append("| ").append(run.dir().getFileName()).append(" | ").append(r.task()).append(" | ")
                        .append(r.name()).append(" | ").append(r.scale()).append(" | ").append(r.seed())
                        .append(" | ").append(status(run)).append(" | ").append(steps).append(" | ")
                        .append(bestDev == null ? "" : TableFormat.fixed(100 * bestDev))
                        .append(" |\n");
            }
        }
        if (!scan.unreadable().isEmpty() || !damaged.isEmpty()) {
            md.append("\n## Files left out\n\n");
            scan.unreadable().forEach(u -> md.append("- ").append(u).append('\n'));
            damaged.forEach(u -> md.append("- ").append(u).append('\n'));
        }
        return md.toString();
    }

    /**
     * Runs trained by more than one build (a run resumed across sessions, with the code changed in between), from
     * run.json's {@code processes}: a reader sees which results rest on more than one version of the code.
     */
    private static String severalBuilds(List<RunDir> runs) {
        StringBuilder md = new StringBuilder();
        for (RunDir run : runs) {
            List<String> builds;
            try {
                builds = RunJson.builds(run.dir());
            } catch (IOException | RuntimeException e) {
                continue; // no readable run.json: nothing to say about its processes
            }
            if (builds.size() > 1) {
                if (md.isEmpty()) {
                    md.append("\n## Runs made by more than one build\n\n| Run | Builds, in the order they trained it |\n|---|---|\n");
                }
                md.append("| ").append(run.dir().getFileName()).append(" | ").append(String.join(", ", builds))
                        .append(" |\n");
            }
        }
        return md.toString();
    }

    /**
     * One run counted once: directories whose result.json has the run id, seed and config hash of an earlier one
     * (copies of one run, e.g. brought back from two machines) are left out of every table and listed as
     * unreadable-style notes naming the one they copy, so a cell's n counts runs, not copies.
     */
    static RunDirScanner.Scan withoutCopies(RunDirScanner.Scan scan) {
        Map<List<Object>, RunDir> first = new LinkedHashMap<>();
        List<RunDir> kept = new ArrayList<>();
        List<String> notes = new ArrayList<>(scan.unreadable());
        for (RunDir run : scan.runs()) {
            RunResult r = run.result();
            List<Object> key = java.util.Arrays.asList(r.runId(), r.seed(), r.configHash(), r.name(), r.scale(), run.dataset());
            RunDir original = first.putIfAbsent(key, run);
            if (original == null) {
                kept.add(run);
            } else {
                notes.add(run.dir() + ": a copy of " + original.dir() + " (same run id " + r.runId() + ", seed "
                        + r.seed() + " and config); counted once");
            }
        }
        return new RunDirScanner.Scan(kept, notes);
    }

    /**
     * What result.json says, checked against the run-directory lock: running only while a process on this
     * machine holds it. A result.json that says running with no holder here belongs to a trainer killed outright
     * (SIGKILL, a crash), or to a copy of a run still training on another machine: "not running here". Where the
     * filesystem cannot tell (no lock support), result.json is taken at its word.
     */
    private static String status(RunDir run) {
        String said = run.result().status();
        if (RunResult.DIVERGED.equals(said)) {
            return said;
        }
        Optional<Long> holder;
        try {
            holder = RunDirLock.holder(run.dir());
        } catch (IOException e) {
            return said;
        }
        if (holder.isPresent()) {
            return RunResult.RUNNING;
        }
        return RunResult.RUNNING.equals(said) ? NOT_RUNNING_HERE : said;
    }

    private static final String NOT_RUNNING_HERE = "not running here";

    private static void write(Path file, String text, List<Path> written) throws IOException {
        AtomicFiles.write(file, text);
        written.add(file);
    }

    private static void writePng(Path file, Optional<byte[]> png, List<Path> written) throws IOException {
        if (png.isPresent()) {
            AtomicFiles.write(file, png.get());
            written.add(file);
        }
    }
}
