package org.lra.data.reference;

import org.lra.data.SplitData;

/** The most frequent label of a split (ties to the smallest label), and the helper that picks it from counts. */
public final class MajorityClass {

    private MajorityClass() {
    }

    /** The most frequent label of {@code split}; ties go to the smallest label. */
    public static int of(SplitData split, int numClasses) {
        if (split.size() == 0) {
            throw new IllegalArgumentException("the train split is empty");
        }
        long[] counts = new long[numClasses];
        for (int i = 0; i < split.size(); i++) {
            counts[split.label(i)]++;
        }
        return argmax(counts);
    }

    /** The index of the largest count; the first (smallest label) among equals. */
    static int argmax(long[] counts) {
        int best = 0;
        for (int c = 1; c < counts.length; c++) {
            if (counts[c] > counts[best]) {
                best = c;
            }
        }
        return best;
    }
}
