package org.lra.data.generate;

import java.util.Locale;

/**
 * The three Pathfinder difficulties of LRA (reference §2.1 notes, §2.4): they differ only in
 * the number of paddles per target snake, and each has its own directory in {@code lra_release}.
 */
public enum PathfinderDifficulty {
    EASY(6, "curv_baseline"),
    INTERMEDIATE(9, "curv_contour_length_9"),
    HARD(14, "curv_contour_length_14");

    private final int contourLength;
    private final String releaseDirectory;

    PathfinderDifficulty(int contourLength, String releaseDirectory) {
        this.contourLength = contourLength;
        this.releaseDirectory = releaseDirectory;
    }

    /** Paddles per target snake ({@code contour_length}). */
    public int contourLength() {
        return contourLength;
    }

    /** Directory name under {@code lra_release/pathfinder<res>/}, e.g. {@code curv_baseline}. */
    public String releaseDirectory() {
        return releaseDirectory;
    }

    /** Parses {@code easy}, {@code intermediate} or {@code hard} (any case). */
    public static PathfinderDifficulty parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("difficulty must be easy, intermediate or hard, got '" + name + "'");
        }
    }
}
