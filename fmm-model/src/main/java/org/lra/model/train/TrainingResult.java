package org.lra.model.train;

import org.lra.data.predictions.Predictions;

/**
 * The outcome of a run under the reference protocol: best dev accuracy, and test accuracy of the
 * best-dev checkpoint, both exact over the whole split and as the reference's mean of per-batch
 * accuracies over full batches only (drop_last); {@code testPredictions} is that test pass per example (null from an
 * engine that gives no per-example output).
 */
public record TrainingResult(
        String status,
        long steps,
        long bestStep,
        double bestDevAcc,
        double testAcc,
        double testAccBatchMean,
        int testExamples,
        double testLoss,
        double medianStepMs,
        double p90StepMs,
        double tokensPerS,
        double peakRssMb,
        double wallSeconds,
        Predictions testPredictions) {
}
