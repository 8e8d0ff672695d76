package org.lra.model.testing;

import java.util.function.DoubleSupplier;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Param;
import org.lra.model.tensor.Parameters;
import org.lra.model.tensor.Precision;

/** Finite-difference checks over whole parameter blocks and activation buffers (float64 only). */
public final class GradCheck {
    private GradCheck() {
    }

    /** A float64 buffer of n values uniform in [-scale, scale). */
    public static Buf random(int n, long key, double scale) {
        Buf b = Buf.zeros(Precision.FLOAT64, n);
        FiniteDifference.randomFill(b, n, key, scale);
        return b;
    }

    /** Checks every parameter's analytic gradient (already in params.grads()) against loss(). */
    public static void parameters(Parameters params, DoubleSupplier loss) {
        parameters(params, loss, FiniteDifference.EPS, FiniteDifference.ATOL, FiniteDifference.RTOL);
    }

    /** {@link #parameters(Parameters, DoubleSupplier)} with an explicit step and tolerances. */
    public static void parameters(Parameters params, DoubleSupplier loss, double eps, double atol, double rtol) {
        Buf analytic = copy(params.grads()); // the loss may run backward again
        for (Param p : params.list()) {
            FiniteDifference.check(p.name(), params.values(), analytic, p.offset(), p.size(), loss, eps, atol, rtol);
        }
    }

    /** Checks analytic[0, n) against loss() perturbing x[0, n). */
    public static void input(String what, Buf x, Buf analytic, int n, DoubleSupplier loss) {
        FiniteDifference.check(what, x, analytic, 0, n, loss, FiniteDifference.EPS, FiniteDifference.ATOL,
                FiniteDifference.RTOL);
    }

    private static Buf copy(Buf src) {
        Buf c = Buf.zeros(src.precision(), src.length());
        c.copyFrom(src, 0, 0, src.length());
        return c;
    }
}
