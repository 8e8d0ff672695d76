package org.lra.model.train;

/**
 * Observes a training run without being part of it (after DJL's training listeners): metrics files,
 * progress bars and logs are listeners; the loop itself stays short.
 */
public interface TrainingListener {

    /**
     * One optimiser step. {@code stepMs} is the wall time of the step alone; {@code loadMs} the time spent
     * fetching its batch, recorded so that "data never makes training wait" is checked on every run.
     */
    record StepRecord(long step, double lr, double loss, double trainAcc, double stepMs, double loadMs) {
    }

    /** A dev evaluation after step {@code step}. */
    record EvalRecord(long step, double devLoss, double devAcc, boolean improved) {
    }

    default void onStart(long firstStep, long totalSteps) {
    }

    default void onStep(StepRecord record) {
    }

    /** A dev evaluation after step {@code step} is about to run (its forward passes follow, then {@link #onEval}). */
    default void onEvalStart(long step) {
    }

    default void onEval(EvalRecord record) {
    }

    /** Called after a checkpoint of the run state at {@code step} was written. */
    default void onCheckpoint(long step) {
    }

    default void onFinish(TrainingResult result) {
    }
}
