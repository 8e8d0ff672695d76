package org.lra.model.train;

import org.lra.data.Batch;

/**
 * An endless, shuffled stream of batches whose position can be saved and restored, so a resumed run
 * sees exactly the batches an uninterrupted one would.
 */
public interface BatchStream {
    Batch next();

    /** The position, as a single line of text (stored in checkpoints). */
    String state();

    void restore(String state);
}
