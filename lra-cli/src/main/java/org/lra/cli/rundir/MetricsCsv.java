package org.lra.cli.rundir;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code metrics.csv}: its columns, defined here once ({@link MetricsCsvListener} writes them), and its reader,
 * which tolerates a missing file (a run that has not logged yet) and a torn last line.
 */
public final class MetricsCsv {
    static final String STEP = "step";
    static final String LR = "lr";
    static final String LOSS = "loss";
    static final String TRAIN_ACC = "train_acc";
    static final String DEV_LOSS = "dev_loss";
    static final String DEV_ACC = "dev_acc";
    static final String STEP_MS = "step_ms";
    static final String LOAD_MS = "load_ms";
    /** The header, in column order; the dev columns are filled on evaluation steps only. */
    public static final String[] HEADER = {STEP, LR, LOSS, TRAIN_ACC, DEV_LOSS, DEV_ACC, STEP_MS, LOAD_MS};

    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder()
            .setHeader().setSkipHeaderRecord(true).setIgnoreEmptyLines(true).get();

    private MetricsCsv() {
    }

    public static List<MetricsRow> read(Path file) throws IOException {
        List<MetricsRow> rows = new ArrayList<>();
        if (!Files.exists(file)) {
            return rows;
        }
        try (Reader in = Files.newBufferedReader(file); CSVParser parser = CSVParser.parse(in, FORMAT)) {
            for (CSVRecord r : parser) {
                if (!r.isConsistent()) {
                    continue; // a line the trainer was writing when we read: skip rather than fail the report
                }
                try {
                    rows.add(new MetricsRow(Integer.parseInt(r.get(STEP)), num(r, LR), num(r, LOSS),
                            num(r, TRAIN_ACC), optional(r, DEV_LOSS), optional(r, DEV_ACC), num(r, STEP_MS)));
                } catch (NumberFormatException e) {
                    // same reason as above
                }
            }
        }
        return rows;
    }

    /** The best dev accuracy among the rows, or null when none has a dev evaluation yet. */
    public static Double bestDevAcc(List<MetricsRow> rows) {
        return rows.stream().filter(MetricsRow::hasDev).map(MetricsRow::devAcc).max(Double::compare).orElse(null);
    }

    private static double num(CSVRecord r, String column) {
        Double v = optional(r, column);
        return v == null ? Double.NaN : v;
    }

    /** A column the file lacks reads as empty: another engine's metrics.csv (official_paper.py) names a few others. */
    private static Double optional(CSVRecord r, String column) {
        if (!r.isMapped(column)) {
            return null;
        }
        String text = r.get(column);
        return text == null || text.isBlank() ? null : Double.valueOf(text);
    }
}
