package org.lra.data.batch;

import org.lra.data.Batch;
import org.lra.data.SplitData;

/**
 * Assembles {@link Batch}es of a fixed sequence length from chosen examples of a split: each sequence
 * is copied, truncated to {@code seqLen} or padded with 0. The arrays are reused from one call to the
 * next while the batch size stays the same, so a returned batch is valid only until the next call.
 */
public final class Batcher {
    private final SplitData data;
    private final int seqLen;
    private Batch reusable;

    public Batcher(SplitData data, int seqLen) {
        if (seqLen <= 0) {
            throw new IllegalArgumentException("seqLen must be positive");
        }
        this.data = data;
        this.seqLen = seqLen;
    }

    /** The batch of examples {@code indices[from, from+count)}, in that order. */
    public Batch assemble(int[] indices, int from, int count) {
        if (reusable == null || reusable.size() != count) {
            reusable = new Batch(count, seqLen, new int[count * seqLen], data.dual() ? new int[count * seqLen] : null, new int[count]);
        }
        Batch batch = reusable;
        for (int b = 0; b < count; b++) {
            int index = indices[from + b];
            data.copyIds(index, 0, batch.ids(), b * seqLen, seqLen);
            if (batch.dual()) {
                data.copyIds(index, 1, batch.ids2(), b * seqLen, seqLen);
            }
            batch.labels()[b] = data.label(index);
        }
        return batch;
    }

    public int seqLen() {
        return seqLen;
    }
}
