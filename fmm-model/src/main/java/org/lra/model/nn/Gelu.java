package org.lra.model.nn;

import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Parallel;

/** GELU in the exact form of torch.nn.GELU(): gelu(x) = x * Phi(x), Phi the standard normal CDF. */
public final class Gelu {
    private static final double INV_SQRT_2PI = 0.3989422804014327;

    private Gelu() {
    }

    public static double value(double x) {
        return x * Erf.normalCdf(x);
    }

    /** d gelu / dx = Phi(x) + x * phi(x). */
    public static double derivative(double x) {
        return Erf.normalCdf(x) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
    }

    // x [n] -> y [n] (y may be x)
    public static void forward(Parallel pool, Buf x, Buf y, int n) {
        pool.forRange(n, (c, from, to) -> {
            for (int i = from; i < to; i++) {
                y.set(i, value(x.get(i)));
            }
        });
    }

    // dy [n], x [n] (forward input) -> dx [n] (dx may be dy)
    public static void backward(Parallel pool, Buf dy, Buf x, Buf dx, int n) {
        pool.forRange(n, (c, from, to) -> {
            for (int i = from; i < to; i++) {
                dx.set(i, dy.get(i) * derivative(x.get(i)));
            }
        });
    }
}
