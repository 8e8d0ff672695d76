package org.lra.data;

import java.util.Arrays;

/**
 * One example as read from the release files, before padding: {@code ids} are the token ids of the
 * (first) document, {@code ids2} those of the second document for Retrieval and {@code null}
 * otherwise, {@code label} the class. Padding happens only when a {@link Batch} is assembled.
 */
public record Example(int[] ids, int[] ids2, int label) {

    public static Example single(int[] ids, int label) {
        return new Example(ids, null, label);
    }

    public static Example pair(int[] ids, int[] ids2, int label) {
        return new Example(ids, ids2, label);
    }

    public boolean dual() {
        return ids2 != null;
    }

    /** Token ids of tower 0 (first document) or tower 1 (second document). */
    public int[] tower(int tower) {
        return tower == 0 ? ids : ids2;
    }

    // Records compare arrays by reference; examples are values, so compare contents.
    @Override
    public boolean equals(Object o) {
        return o instanceof Example e && label == e.label && Arrays.equals(ids, e.ids) && Arrays.equals(ids2, e.ids2);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(ids) + Arrays.hashCode(ids2)) + label;
    }

    @Override
    public String toString() {
        return "Example[label=" + label + ", ids=" + Arrays.toString(ids) + (ids2 == null ? "" : ", ids2=" + Arrays.toString(ids2)) + "]";
    }
}
