package org.lra.cli.rundir;

/**
 * One line of the trainer's {@code metrics.csv}, whose columns {@link MetricsCsv#HEADER} defines; the
 * report reads these seven of them (not {@code load_ms}). Dev columns are empty except on eval steps.
 */
public record MetricsRow(int step, double lr, double loss, double trainAcc, Double devLoss, Double devAcc,
                         double stepMs) {

    public boolean hasDev() {
        return devAcc != null;
    }
}
