package org.lra.model.nn;

import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Rng;

/**
 * What every layer needs to know about the step being computed.
 *
 * @param pool     worker threads; layers split their loops over it
 * @param training dropout active (and caches for backward kept)
 * @param seed     the run's seed
 * @param step     optimiser step; with the seed it keys every dropout mask, so masks replay after a resume
 */
public record StepContext(Parallel pool, boolean training, long seed, long step) {

    /** The dropout stream of one site (layer index, site id) in this step. */
    public long dropoutKey(int layer, int site) {
        return Rng.key(seed, 0xD509, step, layer, site);
    }
}
