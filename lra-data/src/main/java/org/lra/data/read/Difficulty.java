package org.lra.data.read;

import java.util.Locale;

/** Pathfinder difficulty and the release directory holding it (contour length 6, 9 or 14). */
public enum Difficulty {
    EASY("curv_baseline"),
    INTERMEDIATE("curv_contour_length_9"),
    HARD("curv_contour_length_14");

    private final String directory;

    Difficulty(String directory) {
        this.directory = directory;
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
