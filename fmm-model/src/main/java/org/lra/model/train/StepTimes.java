package org.lra.model.train;

import java.util.Arrays;

/**
 * Wall-clock durations of training steps, for the median/p90 columns of every timing table.
 * Warm-up steps are simply not recorded by the caller. p90 is linearly interpolated, as in the PyTorch twin.
 */
public final class StepTimes {
    private double[] millis = new double[64];
    private int count;

    public void add(double ms) {
        if (count == millis.length) {
            millis = Arrays.copyOf(millis, count * 2);
        }
        millis[count++] = ms;
    }

    public int count() {
        return count;
    }

    public double median() {
        return quantile(0.5);
    }

    public double p90() {
        return quantile(0.9);
    }

    /** Linearly interpolated quantile (numpy's default); NaN when empty. */
    public double quantile(double q) {
        if (count == 0) {
            return Double.NaN;
        }
        double[] sorted = Arrays.copyOf(millis, count);
        Arrays.sort(sorted);
        double pos = q * (count - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, count - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
