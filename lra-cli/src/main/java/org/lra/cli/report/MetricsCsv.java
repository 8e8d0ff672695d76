package org.lra.cli.report;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads metrics.csv. Tolerates a missing file (a run that has not logged yet) and a torn last line. */
public final class MetricsCsv {

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
                    rows.add(new MetricsRow(Integer.parseInt(r.get("step")), num(r, "lr"), num(r, "loss"),
                            num(r, "train_acc"), optional(r, "dev_loss"), optional(r, "dev_acc"), num(r, "step_ms")));
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

    private static Double optional(CSVRecord r, String column) {
        String text = r.get(column);
        return text == null || text.isBlank() ? null : Double.valueOf(text);
    }
}
