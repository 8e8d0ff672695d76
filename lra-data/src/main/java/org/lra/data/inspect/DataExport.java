package org.lra.data.inspect;

import java.io.IOException;
import java.io.Writer;
import org.lra.data.SplitData;

/**
 * {@code lra data export}: one line per example, {@code label<TAB>ids} with the ids space-separated
 * (unpadded), and for Retrieval {@code label<TAB>ids0<TAB>ids1}. Lets anyone diff our preprocessing
 * against another harness's.
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
}
