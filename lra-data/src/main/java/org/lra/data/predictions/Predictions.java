package org.lra.data.predictions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.lra.data.DataFormatException;
import org.lra.data.io.AtomicFiles;

/**
 * A model's prediction for every example of a split, in split order, as {@code lra eval --predictions} and
 * {@code lra train} ({@code predictions-test.csv}) write them: the CSV
 * <pre>
 *   index,label,predicted,p_predicted
 *   0,3,3,0.912345
 *   1,7,0,0.402100
 * </pre>
 * with {@code index} the example's index in the split, {@code label} its true class, {@code predicted} the
 * argmax class (ties to the smallest) and {@code p_predicted} the softmax probability of that class.
 *
 * @param labels     true class per example
 * @param predicted  predicted class per example
 * @param pPredicted softmax probability of the predicted class per example
 */
public record Predictions(int[] labels, int[] predicted, double[] pPredicted) {

    public static final String HEADER = "index,label,predicted,p_predicted";

    public Predictions {
        if (labels.length != predicted.length || labels.length != pPredicted.length) {
            throw new IllegalArgumentException("labels, predictions and probabilities differ in length: "
                    + labels.length + ", " + predicted.length + ", " + pPredicted.length);
        }
    }

    public int size() {
        return labels.length;
    }

    /** Fraction of examples predicted right; NaN when there are none. */
    public double accuracy() {
        int correct = 0;
        for (int i = 0; i < size(); i++) {
            correct += labels[i] == predicted[i] ? 1 : 0;
        }
        return size() == 0 ? Double.NaN : correct / (double) size();
    }

    /** counts[label][predicted] over the examples, for {@code numClasses} classes. */
    public long[][] confusion(int numClasses) {
        long[][] counts = new long[numClasses][numClasses];
        for (int i = 0; i < size(); i++) {
            counts[labels[i]][predicted[i]]++;
        }
        return counts;
    }

    /** The largest class index that occurs, plus one (at least 1). */
    public int classesSeen() {
        int max = 0;
        for (int i = 0; i < size(); i++) {
            max = Math.max(max, Math.max(labels[i], predicted[i]));
        }
        return max + 1;
    }

    /** Writes the CSV to {@code file} atomically ({@link AtomicFiles}). */
    public void write(Path file) throws IOException {
        AtomicFiles.write(file, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            w.write(HEADER);
            w.write('\n');
            for (int i = 0; i < size(); i++) {
                w.write(String.format(Locale.ROOT, "%d,%d,%d,%.6f\n", i, labels[i], predicted[i], pPredicted[i]));
            }
            w.flush();
        });
    }

    /**
     * Reads a file {@link #write} wrote. A missing file is {@link NoSuchFileException}; anything else wrong with it
     * (header, a row's columns, an index out of order, a number out of range) is a {@link DataFormatException} that
     * names the file and line.
     */
    public static Predictions read(Path file) throws IOException {
        int[] labels = new int[1024];
        int[] predicted = new int[1024];
        double[] p = new double[1024];
        int n = 0;
        String where = file.toString();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null || !header.strip().equals(HEADER)) {
                throw DataFormatException.atLine(where, 1, "expected the header '" + HEADER + "', found "
                        + (header == null ? "an empty file" : "'" + abbreviate(header) + "'"));
            }
            long line = 1;
            for (String row; (row = in.readLine()) != null; ) {
                line++;
                if (row.isBlank()) {
                    continue;
                }
                String[] f = row.strip().split(",", -1);
                if (f.length != 4) {
                    throw DataFormatException.atLine(where, line, "expected 4 columns (" + HEADER + "), found " + f.length);
                }
                if (n == labels.length) {
                    labels = Arrays.copyOf(labels, 2 * n);
                    predicted = Arrays.copyOf(predicted, 2 * n);
                    p = Arrays.copyOf(p, 2 * n);
                }
                try {
                    int index = Integer.parseInt(f[0]);
                    if (index != n) {
                        throw DataFormatException.atLine(where, line, "index " + index + " where " + n
                                + " comes next (one row per example, in split order)");
                    }
                    labels[n] = nonNegative(Integer.parseInt(f[1]), "label", where, line);
                    predicted[n] = nonNegative(Integer.parseInt(f[2]), "predicted", where, line);
                    p[n] = Double.parseDouble(f[3]);
                } catch (NumberFormatException e) {
                    throw DataFormatException.atLine(where, line, "not a number in '" + abbreviate(row) + "'");
                }
                if (!(p[n] >= 0 && p[n] <= 1)) {
                    throw DataFormatException.atLine(where, line, "p_predicted " + f[3] + " is not a probability");
                }
                n++;
            }
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new DataFormatException(where, "not UTF-8 text");
        }
        return new Predictions(Arrays.copyOf(labels, n), Arrays.copyOf(predicted, n), Arrays.copyOf(p, n));
    }

    private static int nonNegative(int value, String column, String where, long line) {
        if (value < 0) {
            throw DataFormatException.atLine(where, line, column + " " + value + " is negative");
        }
        return value;
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }

    // Records compare arrays by reference; predictions are values.
    @Override
    public boolean equals(Object o) {
        return o instanceof Predictions other && Arrays.equals(labels, other.labels)
                && Arrays.equals(predicted, other.predicted) && Arrays.equals(pPredicted, other.pPredicted);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(labels) + Arrays.hashCode(predicted)) + Arrays.hashCode(pPredicted);
    }

    @Override
    public String toString() {
        return "Predictions[" + size() + " examples]";
    }
}
