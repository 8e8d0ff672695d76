package org.lra.cli.report;

import org.lra.cli.rundir.RunResult;
import org.lra.cli.rundir.RunFiles;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.lra.data.DataFormatException;
import org.lra.data.Task;
import org.lra.data.predictions.Predictions;
import org.lra.data.reference.ReferenceScores;

/**
 * Each finished run's test predictions ({@code RUN/predictions-test.csv}, written by {@code lra train} or
 * {@code lra eval --predictions}), as the report uses them: per ListOps run, how often the model predicts what the
 * shortcut predicts (a model that learned no more than the first token agrees on nearly every example) and how
 * often it predicts the majority class; per run, a confusion matrix plot. A missing file is a dash, a damaged one a
 * note: neither stops the report.
 */
final class RunPredictions {

    /**
     * One run's file.
     *
     * @param predictions null when the file is missing or damaged
     * @param problem     what is wrong with the file (one line naming it), or null
     */
    record Entry(RunDir run, Predictions predictions, String problem) {

        String runId() {
            return run.dir().getFileName().toString();
        }
    }

    private RunPredictions() {
    }

    /** The predictions file of every finished run, in run order. */
    static List<Entry> read(List<RunDir> runs) {
        List<Entry> entries = new ArrayList<>();
        for (RunDir run : runs) {
            if (run.result().finished()) {
                entries.add(read(run));
            }
        }
        return entries;
    }

    private static Entry read(RunDir run) {
        Path file = run.dir().resolve(RunFiles.PREDICTIONS_TEST);
        Predictions p;
        try {
            p = Predictions.read(file);
        } catch (NoSuchFileException e) {
            return new Entry(run, null, null);
        } catch (DataFormatException e) {
            return new Entry(run, null, e.getMessage());
        } catch (IOException e) {
            return new Entry(run, null, file + ": cannot read it (" + e.getMessage() + ")");
        }
        int classes = numClasses(run.result().task());
        if (classes > 0 && p.classesSeen() > classes) {
            return new Entry(run, null, file + ": a class above " + (classes - 1) + ", the task's last");
        }
        return new Entry(run, p, null);
    }

    /** The task's number of classes, 0 for a name the data layer does not know. */
    static int numClasses(String task) {
        try {
            return Task.fromConfigName(task).numClasses();
        } catch (IllegalArgumentException e) {
            return 0;
        }
    }

    /**
     * The ListOps section of the report: per finished ListOps run, its agreement with the shortcut and with the
     * majority class, and the name of its confusion plot; then notes on missing and damaged files. Empty without
     * ListOps runs.
     */
    static String markdown(List<Entry> entries, ReferenceRows refs) {
        List<Entry> listops = entries.stream().filter(e -> Task.LISTOPS.configName().equals(e.run().result().task())).toList();
        if (listops.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder("\n## Test predictions, ListOps\n\n"
                + "| Run | Model | Scale | Data | Seed | Test acc | = shortcut | = majority class | Confusion matrix |\n"
                + "|---|---|---|---|---:|---:|---:|---:|---|\n");
        List<String> notes = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Entry e : listops) {
            RunResult r = e.run().result();
            String shortcut;
            String majority;
            if (e.predictions() == null) {
                shortcut = majority = "—";
                if (e.problem() == null) {
                    missing.add(e.run().dir().toString());
                } else {
                    notes.add(e.problem() + " (not used)");
                }
            } else {
                ReferenceRows.Reference ref = refs.reference(r.task(), e.run().dataset()).orElse(null);
                String[] cells = agreement(e, ref, notes);
                shortcut = cells[0];
                majority = cells[1];
            }
            md.append("| ").append(e.runId()).append(" | ").append(r.name()).append(" | ").append(r.scale())
                    .append(" | ").append(e.run().dataset()).append(" | ").append(r.seed()).append(" | ")
                    .append(TableFormat.fixed(100 * r.testAcc())).append(" | ").append(shortcut).append(" | ")
                    .append(majority).append(" | ").append(e.predictions() == null ? "" : confusionPng(e)).append(" |\n");
        }
        md.append("\n= shortcut: the share of the run's test predictions (").append(RunFiles.PREDICTIONS_TEST)
                .append(") that equal the shortcut's prediction for the same example; = majority class: the share that "
                        + "is the majority class. A model that learned no more than the outermost operator agrees with "
                        + "the shortcut on nearly every example; one that always predicts the majority class, with it on "
                        + "every one.\n");
        if (!missing.isEmpty()) {
            md.append("— no ").append(RunFiles.PREDICTIONS_TEST).append("; `lra eval RUN --split test --checkpoint best "
                    + "--predictions RUN/").append(RunFiles.PREDICTIONS_TEST).append("` makes it, for RUN = ")
                    .append(String.join(", ", missing)).append(".\n");
        }
        notes.forEach(n -> md.append("- ").append(n).append('\n'));
        return md.toString();
    }

    /** {shortcut agreement, majority agreement} cells; a problem goes to {@code notes}. */
    private static String[] agreement(Entry e, ReferenceRows.Reference ref, List<String> notes) {
        if (ref == null || ref.scores() == null) {
            String na = "n/a (" + (ref == null ? "data not found" : ref.unavailable()) + ")";
            return new String[] {na, na};
        }
        ReferenceScores scores = ref.scores();
        Predictions p = e.predictions();
        int mismatch = scores.firstLabelMismatch(p.labels());
        Path file = e.run().dir().resolve(RunFiles.PREDICTIONS_TEST);
        if (mismatch >= 0) {
            notes.add(file + ": " + (p.size() != scores.testLabels().length
                    ? p.size() + " rows for the " + scores.testLabels().length + " test examples"
                    : "the label of test example " + mismatch + " differs from the test split's")
                    + " (made on other data?); not compared");
            return new String[] {"n/a (other data)", "n/a (other data)"};
        }
        double fileAcc = 100 * p.accuracy();
        double resultAcc = 100 * e.run().result().testAcc();
        if (Math.abs(fileAcc - resultAcc) > 1e-9) {
            notes.add(file + " scores " + TableFormat.fixed(fileAcc) + "%, result.json " + TableFormat.fixed(resultAcc)
                    + "% (made from another checkpoint or thread count?)");
        }
        String shortcut = scores.shortcutAgreement(p.predicted()).map(a -> TableFormat.fixed(100 * a))
                .orElse(ReferenceRows.UNDEFINED);
        return new String[] {shortcut, TableFormat.fixed(100 * scores.majorityAgreement(p.predicted()))};
    }

    /** The confusion plot's file name, as {@link Report} writes it. */
    static String confusionPng(Entry e) {
        return "confusion_" + e.runId() + ".png";
    }
}
