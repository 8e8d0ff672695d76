package org.lra.data.inspect;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import org.lra.data.Batch;
import org.lra.data.SplitData;

/**
 * {@code lra data export}: one line per example, {@code label<TAB>ids} with the ids space-separated
 * (unpadded), and for Retrieval {@code label<TAB>ids0<TAB>ids1}. Lets anyone diff our preprocessing
 * against another harness's. {@link #batch} reads single-tower lines back, for scripts that feed exported rows
 * straight to the engine.
 */
public final class DataExport {
    private DataExport() {
    }

    /** Writes the first {@code limit} examples (all if {@code limit < 0}); returns how many were written. */
    public static long export(SplitData data, Writer out, long limit) throws IOException {
        long n = limit < 0 ? data.size() : Math.min(limit, data.size());
        int[] ids = new int[0];
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < n; i++) {
            line.setLength(0);
            line.append(data.label(i));
            for (int t = 0; t < data.towers(); t++) {
                int length = data.length(i, t);
                if (ids.length < length) {
                    ids = new int[length];
                }
                data.copyIds(i, t, ids, 0, length);
                line.append('\t');
                for (int k = 0; k < length; k++) {
                    if (k > 0) {
                        line.append(' ');
                    }
                    line.append(ids[k]);
                }
            }
            out.append(line).append('\n');
        }
        out.flush();
        return n;
    }

    /**
     * Exported single-tower lines as one batch: ids padded with 0 to {@code seqLen}, or cut to it, as the training
     * batches are. Columns after the first tower are ignored.
     */
    public static Batch batch(List<String> lines, int seqLen) {
        int size = lines.size();
        int[] ids = new int[size * seqLen];
        int[] labels = new int[size];
        for (int r = 0; r < size; r++) {
            String[] cols = lines.get(r).split("\t");
            labels[r] = Integer.parseInt(cols[0]);
            String[] tokens = cols[1].trim().split(" ");
            for (int t = 0; t < Math.min(seqLen, tokens.length); t++) {
                ids[r * seqLen + t] = Integer.parseInt(tokens[t]);
            }
        }
        return new Batch(size, seqLen, ids, null, labels);
    }
}
