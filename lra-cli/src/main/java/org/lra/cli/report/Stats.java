package org.lra.cli.report;

import java.util.List;

/**
 * Mean and sample standard deviation of one table cell over seeds.
 *
 * @param std NaN when n = 1 (one seed says nothing about spread)
 */
public record Stats(double mean, double std, int n) {

    public static Stats of(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values");
        }
        int n = values.size();
        double mean = values.stream().mapToDouble(Double::doubleValue).sum() / n;
        if (n == 1) {
            return new Stats(mean, Double.NaN, 1);
        }
        double ss = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
        return new Stats(mean, Math.sqrt(ss / (n - 1)), n);
    }
}
