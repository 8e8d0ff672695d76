package org.lra.model.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.lra.data.Batch;

/**
 * What the training loop needs from a model + optimiser pair. Keeping the loop on this narrow seam lets
 * it be tested with a tiny engine and keeps the numerics (model, AdamW, schedule) in their own classes.
 */
public interface TrainingEngine {

    /** Result of one optimiser step on one batch. */
    record StepResult(double loss, int correct, int examples, double lr) {
    }

    /**
     * Summed loss and correct predictions of one evaluation batch (no dropout), and per example the predicted class
     * and its softmax probability; those two are null from an engine that does not give them.
     */
    record EvalResult(double lossSum, int correct, int examples, int[] predictions, double[] pPredicted) {
        public EvalResult(double lossSum, int correct, int examples) {
            this(lossSum, correct, examples, null, null);
        }
    }

    /** One optimiser step (forward, backward, clip, schedule, update) as step number {@code step} (0-based). */
    StepResult step(Batch batch, long step);

    /** Loss and accuracy on one batch in inference mode. */
    EvalResult evaluate(Batch batch);

    /** Writes weights, optimiser state and {@code extra} (the loop's own state) atomically to {@code file}. */
    void save(Path file, long step, Map<String, String> extra) throws IOException;

    /** Restores what {@link #save} wrote; returns the step and the extra map. */
    Restored load(Path file) throws IOException;

    record Restored(long step, Map<String, String> extra) {
    }
}
