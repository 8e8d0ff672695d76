package org.lra.cli.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.lra.data.io.AtomicFiles;
import org.lra.model.train.TrainingListener;

/**
 * Writes {@code metrics.csv}: one row per step (step, lr, loss, train_acc, dev_loss, dev_acc, step_ms, load_ms),
 * the dev columns filled on evaluation steps. Rows are buffered and flushed at each checkpoint, so the file
 * never runs ahead of the state a resume would restore; on resume, rows after the checkpoint are dropped.
 */
public final class MetricsCsvListener implements TrainingListener {
    public static final String[] HEADER = {"step", "lr", "loss", "train_acc", "dev_loss", "dev_acc", "step_ms", "load_ms"};

    private final Path file;
    private final List<String[]> pending = new ArrayList<>();
    private String[] lastRow;

    public MetricsCsvListener(Path file) {
        this.file = file;
    }

    /** Drops rows after {@code step} (a resume continues from there); creates the file with its header if absent. */
    public void truncateAfter(long step) throws IOException {
        List<CSVRecord> keep = new ArrayList<>();
        if (Files.exists(file)) {
            try (CSVParser p = CSVParser.parse(file, StandardCharsets.UTF_8,
                    CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get())) {
                for (CSVRecord r : p) {
                    if (Long.parseLong(r.get("step")) <= step) {
                        keep.add(r);
                    }
                }
            }
        }
        AtomicFiles.write(file, raw -> {
            CSVPrinter out = new CSVPrinter(new OutputStreamWriter(raw, StandardCharsets.UTF_8),
                    CSVFormat.DEFAULT.builder().setHeader(HEADER).get());
            for (CSVRecord r : keep) {
                out.printRecord(r.values());
            }
            out.flush();
        });
    }

    @Override
    public void onStep(StepRecord r) {
        lastRow = new String[] {Long.toString(r.step()), fmt(r.lr()), fmt(r.loss()), fmt(r.trainAcc()), "", "",
                String.format(Locale.ROOT, "%.2f", r.stepMs()), String.format(Locale.ROOT, "%.3f", r.loadMs())};
        pending.add(lastRow);
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
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
             CSVPrinter out = new CSVPrinter(w, CSVFormat.DEFAULT)) {
            for (String[] row : pending) {
                out.printRecord((Object[]) row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, AtomicFiles.explain(e, file));
        }
        pending.clear();
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }
}
