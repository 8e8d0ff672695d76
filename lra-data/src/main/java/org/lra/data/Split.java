package org.lra.data;

import java.util.Locale;

/** The three splits every task is cached as. The release files name validation differently per task. */
public enum Split {
    TRAIN, VAL, TEST;

    /** The name used in cache file names ({@code train}, {@code val}, {@code test}). */
    public String fileName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
