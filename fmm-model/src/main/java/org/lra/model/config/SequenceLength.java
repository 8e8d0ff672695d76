package org.lra.model.config;

/**
 * The one rule for how long the sequences a model computes on are: inputs of up to {@code maxLength} tokens are
 * padded to the next power of two, as the reference pickles are (ListOps 2000 -> 2048, Text 1000 -> 1024), and
 * the learned position table has that many rows.
 */
public final class SequenceLength {
    private SequenceLength() {
    }

    /** The next power of two at or above {@code maxLength} (1 for 1). */
    public static int padded(int maxLength) {
        int n = 1;
        while (n < maxLength) {
            n <<= 1;
        }
        return n;
    }
}
