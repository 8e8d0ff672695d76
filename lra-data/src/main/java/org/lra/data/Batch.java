package org.lra.data;

/**
 * One padded batch, the only thing the model reads from the data layer.
 *
 * <p>{@code ids} is {@code [size * seqLen]} row-major: example {@code b}'s token {@code t} is at
 * {@code b * seqLen + t}. Token id 0 is padding. {@code ids2} holds the second document of each
 * pair for the two-tower Retrieval task (same layout) and is {@code null} for the other tasks.
 * {@code labels} is {@code [size]}, each in {@code [0, numClasses)}.
 */
public record Batch(int size, int seqLen, int[] ids, int[] ids2, int[] labels) {
    public Batch {
        if (ids.length != size * seqLen) {
            throw new IllegalArgumentException("ids has " + ids.length + " entries, expected " + size + "*" + seqLen);
        }
        if (ids2 != null && ids2.length != ids.length) {
            throw new IllegalArgumentException("ids2 must have the same shape as ids");
        }
        if (labels.length != size) {
            throw new IllegalArgumentException("labels has " + labels.length + " entries, expected " + size);
        }
    }

    public boolean dual() {
        return ids2 != null;
    }
}
