package org.lra.data;

/**
 * Random access to one split of a task, as the trainer sees it: a label and one or two token
 * sequences (towers) per example. Implemented over the memory-mapped cache
 * ({@link org.lra.data.cache.CachedDataset}) and in memory ({@link ExampleList}).
 */
public interface SplitData {

    int size();

    int label(int index);

    /** Stored (unpadded) length of the example's sequence in {@code tower} (0, or 1 for Retrieval's second document). */
    int length(int index, int tower);

    /**
     * Writes exactly {@code maxLen} ids to {@code dst[off, off+maxLen)}: the first {@code maxLen} stored
     * ids, then 0 (padding) up to {@code maxLen} if the sequence is shorter.
     */
    void copyIds(int index, int tower, int[] dst, int off, int maxLen);

    /** True for Retrieval: every example has two towers. */
    boolean dual();

    default int towers() {
        return dual() ? 2 : 1;
    }

    /** The example as an {@link Example} (copies; for inspection and export, not the training hot path). */
    default Example example(int index) {
        int[][] ids = new int[towers()][];
        for (int t = 0; t < towers(); t++) {
            ids[t] = new int[length(index, t)];
            copyIds(index, t, ids[t], 0, ids[t].length);
        }
        return new Example(ids[0], dual() ? ids[1] : null, label(index));
    }

    /** The first {@code n} examples (all when {@code n <= 0} or n >= size): config limits such as {@code trainLimit}. */
    default SplitData firstN(int n) {
        if (n <= 0 || n >= size()) {
            return this;
        }
        SplitData whole = this;
        return new SplitData() {
            @Override
            public int size() {
                return n;
            }

            @Override
            public int label(int index) {
                return whole.label(index);
            }

            @Override
            public int length(int index, int tower) {
                return whole.length(index, tower);
            }

            @Override
            public void copyIds(int index, int tower, int[] dst, int off, int maxLen) {
                whole.copyIds(index, tower, dst, off, maxLen);
            }

            @Override
            public boolean dual() {
                return whole.dual();
            }
        };
    }
}
