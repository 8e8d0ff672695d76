package org.lra.model.train;

import java.util.Arrays;

/**
 * Wall-clock durations of training steps, for the median/p90 columns of every timing table.
 * Warm-up steps are simply not recorded by the caller. p90 is linearly interpolated, as in the PyTorch twin.
 * {@link #state()} and {@link #restore} carry the durations through a checkpoint, so that a run resumed in a later
 * process reports the median of all its timed steps, not only those of its last process.
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

    /** The durations so far, in recording order, as text: milliseconds to the microsecond, space-separated. */
    public String state() {
        StringBuilder text = new StringBuilder(count * 8);
        for (int i = 0; i < count; i++) {
            text.append(i == 0 ? "" : " ").append(String.format(java.util.Locale.ROOT, "%.3f", millis[i]));
        }
        return text.toString();
    }

    /** The durations saved by {@link #state()}; empty for {@code null} (a checkpoint written before they were kept). */
    public static StepTimes restore(String state) {
        StepTimes times = new StepTimes();
        if (state != null && !state.isBlank()) {
            for (String ms : state.trim().split(" ")) {
                times.add(Double.parseDouble(ms));
            }
        }
        return times;
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
