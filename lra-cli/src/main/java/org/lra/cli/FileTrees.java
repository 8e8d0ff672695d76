package org.lra.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Whole-directory operations the commands share (starting a run over, regenerating demo data). */
public final class FileTrees {
    private FileTrees() {
    }

    /** Deletes {@code dir} and everything below it; nothing happens when it does not exist. */
    public static void deleteRecursively(Path dir) throws IOException {
        deleteBelow(dir, null);
        Files.deleteIfExists(dir);
    }

    /**
     * Deletes everything inside {@code dir} except its direct entry named {@code keep} (a lock file the caller
     * holds), leaving {@code dir} itself; nothing happens when it does not exist.
     */
    public static void deleteContentsExcept(Path dir, String keep) throws IOException {
        deleteBelow(dir, dir.resolve(keep));
    }

    private static void deleteBelow(Path dir, Path keep) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(dir) && !p.equals(keep)) {
                    Files.delete(p);
                }
            }
        }
    }
}
