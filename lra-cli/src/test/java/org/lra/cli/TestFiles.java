package org.lra.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;

/** File-tree operations that tests share (copying a run directory to damage or resume the copy). */
public final class TestFiles {

    private TestFiles() {
    }

    /** Copies {@code from} and everything below it to {@code to}, leaving out files named in {@code skipNames}. */
    public static Path copyTree(Path from, Path to, String... skipNames) throws IOException {
        Set<String> skip = Set.of(skipNames);
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else if (!skip.contains(p.getFileName().toString())) {
                    Files.copy(p, q);
                }
            }
        }
        return to;
    }
}
