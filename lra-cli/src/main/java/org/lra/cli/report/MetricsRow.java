package org.lra.cli.report;

/**
 * One line of the trainer's {@code metrics.csv}
 * ({@code step,lr,loss,train_acc,dev_loss,dev_acc,step_ms}); dev columns are empty except on eval steps.
 */
public record MetricsRow(int step, double lr, double loss, double trainAcc, Double devLoss, Double devAcc,
                         double stepMs) {

    public static final String[] HEADER = {"step", "lr", "loss", "train_acc", "dev_loss", "dev_acc", "step_ms"};

    public boolean hasDev() {
        return devAcc != null;
    }
}
