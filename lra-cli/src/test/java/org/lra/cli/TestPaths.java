package org.lra.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locations in the source tree that tests read. */
public final class TestPaths {

    private TestPaths() {
    }

    /** configs/ at the repository root, found from the module directory surefire runs in. */
    public static Path configsDir() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("configs/paper"))) {
                return p.resolve("configs");
            }
        }
        throw new IllegalStateException("configs/ not found above " + Path.of("").toAbsolutePath());
    }
}
