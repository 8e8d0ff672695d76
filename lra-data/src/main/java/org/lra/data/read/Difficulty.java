package org.lra.data.read;

import java.util.Locale;

/**
 * The three Pathfinder difficulties of LRA (docs/reference.md §2.1, §2.4): they differ only in the number of paddles
 * per target snake (contour length 6, 9 or 14), and each has its own directory in {@code lra_release}.
 * Shared by the reader and the generator.
 */
public enum Difficulty {
    EASY(6, "curv_baseline"),
    INTERMEDIATE(9, "curv_contour_length_9"),
    HARD(14, "curv_contour_length_14");

    private final int contourLength;
    private final String directory;

    Difficulty(int contourLength, String directory) {
        this.contourLength = contourLength;
        this.directory = directory;
    }

    /** Paddles per target snake ({@code contour_length}). */
    public int contourLength() {
        return contourLength;
    }

    /** Directory name inside {@code pathfinder<res>/}. */
    public String directory() {
        return directory;
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Accepts {@code easy|intermediate|hard} or the directory name. */
    public static Difficulty parse(String text) {
        for (Difficulty d : values()) {
            if (d.configName().equalsIgnoreCase(text) || d.directory.equalsIgnoreCase(text)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown Pathfinder difficulty '" + text + "'; expected easy, intermediate or hard");
    }
}
