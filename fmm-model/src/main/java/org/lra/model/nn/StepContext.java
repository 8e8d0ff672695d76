package org.lra.model.nn;

import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Rng;

/**
 * What every layer needs to know about the step being computed.
 *
 * @param pool     worker threads; layers split their loops over it
 * @param training true: a training forward, dropout active and every layer keeping what its backward reads;
 *                 false: the forward-only evaluation path ({@link #evaluation}): no dropout, nothing kept, so the
 *                 blocks share one set of activation buffers and update the residual stream in place
 * @param seed     the run's seed
 * @param step     optimiser step; with the seed it keys every dropout mask, so masks replay after a resume
 */
public record StepContext(Parallel pool, boolean training, long seed, long step) {

    /**
     * An evaluation forward of the run with {@code seed}: step 0, so that every evaluation (dev during training,
     * test, a later {@code lra eval}) sees the same random features (reformer's rotations are keyed by the step;
     * performer's projection by the seed alone) and gives the same numbers for the same weights.
     */
    public static StepContext evaluation(Parallel pool, long seed) {
        return new StepContext(pool, false, seed, 0);
    }

    /** The dropout stream of one site (layer index, site id) in this step. */
    public long dropoutKey(int layer, int site) {
        return Rng.key(seed, 0xD509, step, layer, site);
    }
}
