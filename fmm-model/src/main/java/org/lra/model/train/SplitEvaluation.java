package org.lra.model.train;

import java.util.Arrays;
import org.lra.data.Batch;
import org.lra.data.predictions.Predictions;

/**
 * Accuracy over a whole split, both ways: exact over every example (our headline number), and the
 * reference harness's mean of per-batch accuracies over full batches only (drop_last), so a result can
 * stand beside numbers computed either way. {@code predictions} holds every example's prediction in the order the
 * batches gave them (split order for an {@link org.lra.data.batch.EvalPass}); null when the engine gives none.
 */
public record SplitEvaluation(double exact, double batchMean, int examples, double meanLoss, Predictions predictions) {

    public static SplitEvaluation of(TrainingEngine engine, Iterable<Batch> batches) {
        long correct = 0;
        long n = 0;
        double lossSum = 0;
        double batchAccSum = 0;
        int fullBatches = 0;
        int fullSize = -1;
        PerExample perExample = new PerExample();
        for (Batch b : batches) {
            TrainingEngine.EvalResult r = engine.evaluate(b);
            correct += r.correct();
            n += r.examples();
            lossSum += r.lossSum();
            perExample.add(b, r);
            if (fullSize < 0) {
                fullSize = b.size();
            }
            if (b.size() == fullSize) {
                batchAccSum += r.correct() / (double) r.examples();
                fullBatches++;
            }
        }
        return new SplitEvaluation(correct / (double) n, fullBatches == 0 ? Double.NaN : batchAccSum / fullBatches,
                (int) n, lossSum / n, perExample.predictions());
    }

    /** Collects label, prediction and its probability per example, while every batch has them. */
    private static final class PerExample {
        private int[] labels = new int[256];
        private int[] predicted = new int[256];
        private double[] p = new double[256];
        private int n;
        private boolean complete = true;

        void add(Batch b, TrainingEngine.EvalResult r) {
            if (r.predictions() == null || r.pPredicted() == null) {
                complete = false;
                return;
            }
            if (n + b.size() > labels.length) {
                int size = Math.max(2 * labels.length, n + b.size());
                labels = Arrays.copyOf(labels, size);
                predicted = Arrays.copyOf(predicted, size);
                p = Arrays.copyOf(p, size);
            }
            // the batch's arrays are reused by the next batch: copy now
            System.arraycopy(b.labels(), 0, labels, n, b.size());
            System.arraycopy(r.predictions(), 0, predicted, n, b.size());
            System.arraycopy(r.pPredicted(), 0, p, n, b.size());
            n += b.size();
        }

        Predictions predictions() {
            return complete ? new Predictions(Arrays.copyOf(labels, n), Arrays.copyOf(predicted, n), Arrays.copyOf(p, n))
                    : null;
        }
    }
}
