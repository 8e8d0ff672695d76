package org.lra.model.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.function.DoubleSupplier;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Rng;

/**
 * Central finite differences in float64, the yardstick for every backward pass.
 *
 * <p>Typical use: fill an upstream gradient R with {@link #randomFill}, define the loss as
 * {@code sum(out * R)} so that dLoss/dout = R, run backward once to get the analytic gradient of an
 * input or parameter buffer, then {@link #check} perturbs each entry of that buffer by ±eps and
 * re-evaluates the loss.
 *
 * <p>An entry passes when {@code |analytic - numeric| <= atol + rtol * |numeric|}, the test of
 * {@code torch.autograd.gradcheck}. The absolute part only absorbs the difference's own noise (rounding of the
 * loss divided by eps, truncation of order eps²), so a 1% error on a small gradient still fails; a relative
 * test floored at 1 (the earlier {@code max(1, |numeric|)}) let such errors through.
 */
public final class FiniteDifference {
    /** Step and tolerances for smooth float64 losses of order 1 (noise ~1e-16 / eps ≈ 1e-10). */
    public static final double EPS = 1e-6;
    public static final double ATOL = 1e-8;
    public static final double RTOL = 1e-6;

    private FiniteDifference() {
    }

    /** Fills buf[0, n) with values uniform in [-scale, scale), reproducible from key. */
    public static void randomFill(Buf buf, int n, long key, double scale) {
        for (int i = 0; i < n; i++) {
            buf.set(i, scale * (2 * Rng.uniform(key, i) - 1));
        }
    }

    /** sum_i a[i] * b[i] over [0, n). */
    public static double dot(Buf a, Buf b, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += a.get(i) * b.get(i);
        }
        return s;
    }

    /**
     * Compares analytic[offset + i] with the central difference of loss() w.r.t. x[offset + i] for i in [0, n).
     * Fails naming the worst entry (largest error relative to its allowance) when any
     * |analytic - numeric| > atol + rtol * |numeric|.
     */
    public static void check(String what, Buf x, Buf analytic, int offset, int n, DoubleSupplier loss,
                             double eps, double atol, double rtol) {
        double worst = 0;
        String worstMsg = null;
        for (int i = offset; i < offset + n; i++) {
            double orig = x.get(i);
            x.set(i, orig + eps);
            double up = loss.getAsDouble();
            x.set(i, orig - eps);
            double down = loss.getAsDouble();
            x.set(i, orig);
            double numeric = (up - down) / (2 * eps);
            double a = analytic.get(i);
            double allowed = atol + rtol * Math.abs(numeric);
            double ratio = Math.abs(a - numeric) / allowed;
            if (!(ratio <= worst)) { // NaN counts as worst
                worst = ratio;
                worstMsg = what + "[" + (i - offset) + "]: analytic " + a + " vs numeric " + numeric
                        + " (|diff| " + Math.abs(a - numeric) + ", allowed " + allowed + ")";
            }
        }
        if (!(worst <= 1)) {
            fail("gradient check failed (atol " + atol + ", rtol " + rtol + ") at " + worstMsg);
        }
    }

    /** {@link #check} over the whole buffer with the default step and tolerances. */
    public static void check(String what, Buf x, Buf analytic, DoubleSupplier loss) {
        check(what, x, analytic, 0, x.length(), loss, EPS, ATOL, RTOL);
    }
}
