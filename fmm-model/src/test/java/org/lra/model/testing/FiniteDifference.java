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
 */
public final class FiniteDifference {
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
     * Fails with the worst entry when |analytic - numeric| > tol * max(1, |numeric|).
     */
    public static void check(String what, Buf x, Buf analytic, int offset, int n, DoubleSupplier loss,
                             double eps, double tol) {
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
            double err = Math.abs(a - numeric) / Math.max(1.0, Math.abs(numeric));
            if (err > worst) {
                worst = err;
                worstMsg = what + "[" + i + "]: analytic " + a + " vs numeric " + numeric;
            }
        }
        if (worst > tol) {
            fail("gradient check failed (rel err " + worst + " > " + tol + ") at " + worstMsg);
        }
    }

    /** {@link #check} over the whole buffer. */
    public static void check(String what, Buf x, Buf analytic, DoubleSupplier loss) {
        check(what, x, analytic, 0, x.length(), loss, 1e-6, 1e-6);
    }
}
