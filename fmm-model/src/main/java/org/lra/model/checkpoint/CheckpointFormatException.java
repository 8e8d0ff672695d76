package org.lra.model.checkpoint;

import java.nio.file.Path;

/**
 * A checkpoint file that cannot be used: not a checkpoint, truncated, corrupt (checksum), another format
 * version, or made for another model. An input problem, not a bug: the message starts with the file.
 */
public class CheckpointFormatException extends IllegalArgumentException {
    private final Path file;

    public CheckpointFormatException(Path file, String problem, Throwable cause) {
        super(problem.startsWith(file.toString()) ? problem : file + ": " + problem, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
