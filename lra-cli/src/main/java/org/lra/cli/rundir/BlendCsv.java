package org.lra.cli.rundir;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.lra.data.DataFormatException;

/**
 * Reads an fmm run's {@code blend.csv} (written by the trainer's BlendCsvListener): per dev evaluation, layer and
 * head, the blend weights and the RMS of the near field N and the far field F of {@code out = near ⊙ N + far ⊙ F}.
 * Like {@link MetricsCsv}, tolerates a missing file and a torn last line; anything else that is not the trainer's
 * file (binary, a foreign header) is a {@link DataFormatException} naming it, which the report turns into a note.
 */
public final class BlendCsv {

    /** One layer and head at one evaluation (the kernel weights stay in the file). */
    public record Row(int step, int layer, int head, double near, double far, double nearRms, double farRms) {

        /** How much of the blend's magnitude the far field carries: |far|·RMS(F) / (|near|·RMS(N) + |far|·RMS(F)). */
        public double farShare() {
            double n = Math.abs(near) * nearRms;
            double f = Math.abs(far) * farRms;
            return n + f == 0 ? 0 : f / (n + f);
        }
    }

    private static final List<String> COLUMNS = List.of("step", "layer", "head", "near", "far", "near_rms", "far_rms");

    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder()
            .setHeader().setSkipHeaderRecord(true).setIgnoreEmptyLines(true).get();

    private BlendCsv() {
    }

    /** The rows that have a far field (band-only fmm runs have none). */
    public static List<Row> read(Path file) throws IOException {
        List<Row> rows = new ArrayList<>();
        if (!Files.exists(file)) {
            return rows;
        }
        try (Reader in = Files.newBufferedReader(file); CSVParser parser = CSVParser.parse(in, FORMAT)) {
            if (!parser.getHeaderNames().containsAll(COLUMNS)) {
                throw new DataFormatException(file.toString(), "not a blend.csv: its header lacks "
                        + COLUMNS.stream().filter(c -> !parser.getHeaderNames().contains(c)).toList());
            }
            for (CSVRecord r : parser) {
                if (!r.isConsistent() || r.get("far").isBlank()) {
                    continue;
                }
                try {
                    rows.add(new Row(Integer.parseInt(r.get("step")), Integer.parseInt(r.get("layer")),
                            Integer.parseInt(r.get("head")), Double.parseDouble(r.get("near")),
                            Double.parseDouble(r.get("far")), Double.parseDouble(r.get("near_rms")),
                            Double.parseDouble(r.get("far_rms"))));
                } catch (NumberFormatException e) {
                    // a line the trainer was writing when we read
                }
            }
        } catch (CharacterCodingException | IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            // not text, a damaged header, a malformed quote: the file is not the trainer's
            throw new DataFormatException(file.toString(), "unreadable blend.csv (" + e.getMessage() + ")");
        }
        return rows;
    }
}
