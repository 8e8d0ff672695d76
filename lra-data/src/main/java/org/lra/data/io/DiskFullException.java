package org.lra.data.io;

import java.io.IOException;
import java.nio.file.Path;

/** The device filled up while writing {@code file}; the previous version of the file is intact. */
public class DiskFullException extends IOException {
    private final Path file;

    public DiskFullException(Path file, Throwable cause) {
        super("no space left on device writing " + file, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
