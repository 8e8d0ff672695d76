package org.lra.cli.rundir;

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
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.lra.data.io.AtomicFiles;

/**
 * A run's CSV file whose first column is the step and that never runs ahead of the last checkpoint: rows are
 * buffered and appended at each checkpoint ({@link #flush}); a resume first drops the rows after the step it
 * continues from ({@link #truncateAfter}), so a resumed run's file equals an uninterrupted run's.
 */
final class CheckpointedCsv {
    private final Path file;
    private final String[] header;
    private final List<String[]> pending = new ArrayList<>();

    CheckpointedCsv(Path file, String... header) {
        this.file = file;
        this.header = header.clone();
    }

    /** Drops rows after {@code step} (a resume continues from there); creates the file with its header if absent. */
    void truncateAfter(long step) throws IOException {
        List<CSVRecord> keep = new ArrayList<>();
        if (Files.exists(file)) {
            try (CSVParser p = CSVParser.parse(file, StandardCharsets.UTF_8,
                    CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get())) {
                for (CSVRecord r : p) {
                    if (Long.parseLong(r.get(0)) <= step) {
                        keep.add(r);
                    }
                }
            }
        }
        AtomicFiles.write(file, raw -> {
            CSVPrinter out = new CSVPrinter(new OutputStreamWriter(raw, StandardCharsets.UTF_8),
                    CSVFormat.DEFAULT.builder().setHeader(header).get());
            for (CSVRecord r : keep) {
                out.printRecord(r.values());
            }
            out.flush();
        });
    }

    /** Buffers a row; the caller may still fill its cells until the next {@link #flush}. */
    void add(String[] row) {
        pending.add(row);
    }

    /** Appends the buffered rows (called at a checkpoint). */
    void flush() {
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
}
