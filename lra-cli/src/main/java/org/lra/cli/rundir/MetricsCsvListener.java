package org.lra.cli.rundir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.lra.model.train.TrainingListener;

/**
 * Writes {@code metrics.csv}: one row per step in {@link MetricsCsv#HEADER}'s columns, the dev columns filled on
 * evaluation steps. Rows reach the file at each checkpoint ({@link CheckpointedCsv}),
 * so the file never runs ahead of the state a resume would restore.
 */
public final class MetricsCsvListener implements TrainingListener {
    private final CheckpointedCsv csv;
    private String[] lastRow;

    public MetricsCsvListener(Path file) {
        this.csv = new CheckpointedCsv(file, MetricsCsv.HEADER);
    }

    /** Drops rows after {@code step} (a resume continues from there); creates the file with its header if absent. */
    public void truncateAfter(long step) throws IOException {
        csv.truncateAfter(step);
    }

    @Override
    public void onStep(StepRecord r) {
        lastRow = new String[] {Long.toString(r.step()), fmt(r.lr()), fmt(r.loss()), fmt(r.trainAcc()), "", "",
                String.format(Locale.ROOT, "%.2f", r.stepMs()), String.format(Locale.ROOT, "%.3f", r.loadMs())};
        csv.add(lastRow);
    }

    @Override
    public void onEval(EvalRecord r) {
        if (lastRow != null && Long.parseLong(lastRow[0]) == r.step()) {
            lastRow[4] = fmt(r.devLoss());
            lastRow[5] = fmt(r.devAcc());
        }
    }

    @Override
    public void onCheckpoint(long step) {
        csv.flush();
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }
}
