package org.lra.model.train;

import org.lra.data.Batch;

/**
 * Accuracy over a whole split, both ways: exact over every example (our headline number), and the
 * reference harness's mean of per-batch accuracies over full batches only (drop_last), so a result can
 * stand beside numbers computed either way.
 */
public record SplitEvaluation(double exact, double batchMean, int examples, double meanLoss) {

    public static SplitEvaluation of(TrainingEngine engine, Iterable<Batch> batches) {
        long correct = 0;
        long n = 0;
        double lossSum = 0;
        double batchAccSum = 0;
        int fullBatches = 0;
        int fullSize = -1;
        for (Batch b : batches) {
            TrainingEngine.EvalResult r = engine.evaluate(b);
            correct += r.correct();
            n += r.examples();
            lossSum += r.lossSum();
            if (fullSize < 0) {
                fullSize = b.size();
            }
            if (b.size() == fullSize) {
                batchAccSum += r.correct() / (double) r.examples();
                fullBatches++;
            }
        }
        return new SplitEvaluation(correct / (double) n, fullBatches == 0 ? Double.NaN : batchAccSum / fullBatches,
                (int) n, lossSum / n);
    }
}
