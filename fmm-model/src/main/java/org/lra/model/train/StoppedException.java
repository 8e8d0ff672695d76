package org.lra.model.train;

import java.nio.file.Path;

/**
 * Training stopped on request (a signal) at a step boundary, after writing the run state of that step to
 * {@code checkpoint}; {@code --resume} from there ends with the numbers of an uninterrupted run.
 */
public class StoppedException extends RuntimeException {
    private final long step;
    private final Path checkpoint;

    public StoppedException(long step, Path checkpoint) {
        super("stopped after step " + step + "; run state saved to " + checkpoint);
        this.step = step;
        this.checkpoint = checkpoint;
    }

    public long step() {
        return step;
    }

    public Path checkpoint() {
        return checkpoint;
    }
}
