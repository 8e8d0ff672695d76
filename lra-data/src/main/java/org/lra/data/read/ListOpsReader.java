package org.lra.data.read;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.lra.data.DataFormatException;
import org.lra.data.Example;
import org.lra.data.Split;

/**
 * Reads ListOps as released: {@code listops-1000/basic_train.tsv}, {@code basic_val.tsv},
 * {@code basic_test.tsv} (a directory containing them, possibly nested, or an archive).
 *
 * <p>Format: UTF-8 text, header line {@code Source<TAB>Target}, then one example per line: the
 * bracketed expression, e.g. {@code ( ( [MIN 8 ) 2 ) ]}, a tab, and its value 0-9.
 *
 * <p>Tokenisation is LRA's: {@code ]} becomes {@code X}, {@code (} and {@code )} are deleted, and the
 * rest is split on whitespace, giving e.g. {@code [MIN 8 2 X}. Tokens map to ids through the fixed
 * {@link ListOpsVocabulary}; sequences are truncated to {@code maxLength} tokens (2000 in LRA).
 * If the same file appears twice (the release's nested {@code lra_release/lra_release/} copy), the
 * first one in path order is read and the other reported as skipped.
 */
public final class ListOpsReader implements TaskReader {
    private static final Pattern FILE = Pattern.compile("(?:.*/)?basic_(train|val|test)\\.tsv");
    private static final Map<String, Split> SPLITS = Map.of("train", Split.TRAIN, "val", Split.VAL, "test", Split.TEST);
    private static final String HEADER = "Source\tTarget";

    private final int maxLength;

    public ListOpsReader(int maxLength) {
        this.maxLength = maxLength;
    }

    @Override
    public SourceInfo read(Path source, ExampleSink sink) throws IOException {
        return SourceFiles.open(source).scanSplits(FILE, SPLITS, "basic_%s.tsv", "listops-1000/basic_{train,val,test}.tsv", sink,
                (split, location, in) -> readTsv(new ByteLines(in, location), location, split, sink));
    }

    private void readTsv(ByteLines lines, String location, Split split, ExampleSink sink) throws IOException {
        String header = lines.next() ? lines.text() : null;
        if (header == null || !header.strip().replace("\uFEFF", "").equals(HEADER)) {
            throw DataFormatException.atLine(location, 1, "expected the header 'Source<TAB>Target', found '" + abbreviate(header) + "'");
        }
        while (lines.next()) {
            String line = lines.text();
            long lineNumber = lines.lineNumber();
            if (line.isBlank()) {
                continue;
            }
            String[] columns = line.split("\t", -1);
            if (columns.length != 2) {
                throw DataFormatException.atLine(location, lineNumber, "expected 2 tab-separated columns (Source, Target), found " + columns.length);
            }
            int label = parseLabel(columns[1].strip(), location, lineNumber);
            sink.accept(split, Example.single(tokenize(columns[0], maxLength), label));
        }
    }

    private static int parseLabel(String text, String location, long lineNumber) {
        int label;
        try {
            label = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw DataFormatException.atLine(location, lineNumber, "Target '" + abbreviate(text) + "' is not an integer");
        }
        if (label < 0 || label > 9) {
            throw DataFormatException.atLine(location, lineNumber, "Target " + label + " is out of range 0-9");
        }
        return label;
    }

    /** LRA's ListOps tokenisation followed by the fixed vocabulary; at most {@code maxLength} ids. */
    public static int[] tokenize(String expression, int maxLength) {
        String text = expression.replace(']', 'X').replace("(", "").replace(")", "");
        List<String> tokens = new ArrayList<>();
        for (String token : text.strip().split("\\s+")) {
            if (!token.isEmpty()) {
                tokens.add(token);
            }
        }
        int n = Math.min(tokens.size(), maxLength);
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = ListOpsVocabulary.id(tokens.get(i));
        }
        return ids;
    }

    static String abbreviate(String text) {
        if (text == null) {
            return "<end of file>";
        }
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
