package org.lra.data.read;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.lra.data.DataFormatException;
import org.lra.data.Example;
import org.lra.data.Split;

/**
 * Reads the Retrieval task (ACL Anthology Network citation pairs) as released:
 * {@code tsv_data/new_aan_pairs.train.tsv}, {@code .eval.tsv} (validation) and {@code .test.tsv}, from
 * a directory or an archive. The {@code *.only_ids.tsv} files are not read.
 *
 * <p>Format: no header, tab-separated, no quoting, one pair per line:
 * {@code label<TAB>id1<TAB>id2<TAB>text1<TAB>text2}. The label is written as a number ({@code 0},
 * {@code 1}, {@code 0.0}, {@code 1.0}) and must be 0 or 1.
 *
 * <p>Encoding, as LRA's matching pipeline: each text's first 10,000 bytes become ids {@code byte + 1}
 * ({@link ByteTokenizer}), then are truncated to {@code maxLength} (4000), so at most
 * {@code min(10000, maxLength)} ids per document.
 */
public final class AanReader implements TaskReader {
    /** LRA encodes at most this many bytes of each document before truncating to the max length. */
    public static final int PREFIX_BYTES = 10_000;
    private static final Pattern FILE = Pattern.compile("(?:.*/)?new_aan_pairs\\.(train|eval|test)\\.tsv");
    private static final Map<String, Split> SPLITS = Map.of("train", Split.TRAIN, "eval", Split.VAL, "test", Split.TEST);

    private final int maxLength;

    public AanReader(int maxLength) {
        this.maxLength = Math.min(maxLength, PREFIX_BYTES);
    }

    @Override
    public SourceInfo read(Path source, ExampleSink sink) throws IOException {
        return SourceFiles.open(source).scanSplits(FILE, SPLITS, "new_aan_pairs.%s.tsv", "tsv_data/new_aan_pairs.{train,eval,test}.tsv", sink,
                (split, location, in) -> readTsv(new ByteLines(in, location), location, split, sink));
    }

    private void readTsv(ByteLines lines, String location, Split split, ExampleSink sink) throws IOException {
        int[] tabs = new int[4];
        while (lines.next()) {
            byte[] line = lines.bytes();
            int length = lines.length();
            if (length == 0) {
                continue;
            }
            int found = 0;
            for (int i = 0; i < length; i++) {
                if (line[i] == '\t') {
                    if (found == 4) {
                        found++;
                        break;
                    }
                    tabs[found++] = i;
                }
            }
            if (found != 4) {
                throw DataFormatException.atLine(location, lines.lineNumber(),
                        "expected 5 tab-separated columns (label, id1, id2, text1, text2), found " + (found > 4 ? "more than 5" : String.valueOf(found + 1)));
            }
            int label = parseLabel(new String(line, 0, tabs[0], StandardCharsets.US_ASCII), location, lines.lineNumber());
            int[] first = ByteTokenizer.encode(line, tabs[2] + 1, tabs[3] - tabs[2] - 1, maxLength);
            int[] second = ByteTokenizer.encode(line, tabs[3] + 1, length - tabs[3] - 1, maxLength);
            sink.accept(split, Example.pair(first, second, label));
        }
    }

    private static int parseLabel(String text, String location, long lineNumber) {
        double value;
        try {
            value = Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            throw DataFormatException.atLine(location, lineNumber, "label '" + ListOpsReader.abbreviate(text) + "' is not a number");
        }
        if (value != 0.0 && value != 1.0) {
            throw DataFormatException.atLine(location, lineNumber, "label " + text.strip() + " is out of range (expected 0 or 1)");
        }
        return (int) value;
    }
}
