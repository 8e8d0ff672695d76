package org.lra.model;

import org.lra.data.Batch;
import org.lra.model.config.ModelConfig;
import org.lra.model.nn.StepContext;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Parameters;

/**
 * A trainable LRA classifier: {@link Classifier} for single-sequence tasks, {@link DualClassifier} for
 * Retrieval. All weights live in {@link #parameters()}; the optimiser and checkpoints work on that block.
 */
public interface Model {

    /**
     * Loss and accuracy numbers of one batch, and per example the predicted class and its softmax probability
     * ({@code pPredicted}).
     */
    record Result(double loss, int correct, int size, int[] predictions, double[] pPredicted) {
        public double accuracy() {
            return size == 0 ? 0 : (double) correct / size;
        }
    }

    ModelConfig config();

    Parameters parameters();

    /**
     * Forward and backward of one training batch (dropout per {@code ctx}); parameter gradients are
     * ACCUMULATED into {@code parameters().grads()}, so the caller zeroes them first (see {@link StepRunner}).
     */
    Result forwardBackward(StepContext ctx, Batch batch);

    /**
     * The forward-only evaluation path (dev, test, {@code lra eval}): the training forward's arithmetic with dropout
     * off, keeping nothing for a backward ({@link StepContext#evaluation}); its logits are bit-identical to a
     * training forward's without dropout at step 0 of the run with this {@code seed}, the seed the attention variants
     * draw their random features from (performer's projection, reformer's rotations). Loss, #correct and the
     * predicted class of each example.
     */
    Result evaluate(Parallel pool, long seed, Batch batch);

    /** The logits [B, classes] of the last forward (either path); the next forward overwrites them. */
    Buf logits();
}
