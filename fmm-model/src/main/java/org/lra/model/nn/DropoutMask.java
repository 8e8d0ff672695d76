package org.lra.model.nn;

import org.lra.model.tensor.Rng;

/**
 * Which elements dropout keeps, as a pure function of (key, index): the mask does not depend on threads, a
 * resumed run replays it, and a layer may keep what forward drew (Dropout keeps one byte per element, softmax
 * attention the sign of its stored probabilities) or draw it again; both give the same mask.
 *
 * <p>One 64-bit mix yields four 16-bit draws (elements 4g..4g+3 share group g), so the drop
 * probability is quantised to 1/65536: p = 0.1 drops with probability 6554/65536 = 0.100006.
 */
public final class DropoutMask {
    private DropoutMask() {
    }

    /** Drop threshold for probability p: element kept iff its 16-bit draw >= threshold. */
    public static int threshold(double p) {
        return (int) Math.round(p * 65536.0);
    }

    /** Survivors are scaled by this so the expectation is unchanged. */
    public static double scale(double p) {
        return p == 0 ? 1.0 : 1.0 / (1.0 - p);
    }

    /** The four 16-bit draws of group g, lowest bits = element 4g. */
    public static long group(long key, long g) {
        return Rng.mix(key + g * 0x9e3779b97f4a7c15L);
    }

    /** Whether element {@code index} survives, for a threshold from {@link #threshold}. */
    public static boolean keep(long key, long index, int threshold) {
        if (threshold == 0) {
            return true;
        }
        int bits = (int) (group(key, index >>> 2) >>> ((index & 3) << 4)) & 0xFFFF;
        return bits >= threshold;
    }
}
