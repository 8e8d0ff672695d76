package org.lra.model.nn;

import jdk.incubator.vector.FloatVector;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.FloatBuf;
import org.lra.model.tensor.FastExp;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Precision;
import org.lra.model.tensor.Simd;
import org.lra.model.tensor.Tile;

/**
 * GELU in the exact form of torch.nn.GELU(): gelu(x) = x·Phi(x), Phi the standard normal CDF.
 *
 * <p>Two evaluations of the same function. float64 (gradient checks) uses Cody's erf ({@link Erf}, 1e-16) on
 * double tiles. float32 (training) runs on the buffers directly, {@link Simd#LANES} floats at a time: erf by the
 * rational function Eigen and XLA use for float, evaluated in float with FMA as they do, and exp(-x²/2) by
 * {@link Simd#exp}. The scalar tail of a tile uses the same rational erf in double ({@link #fastCdf}) and
 * {@link #fastPdf}. GeluTest checks float32 against float64.
 *
 * <p>A training forward keeps Phi(x) for backward (one more [rows, F] buffer, owned by the caller): backward then
 * needs one exp and no erf. The evaluation forward passes no buffer and keeps nothing; y is the same either way.
 */
public final class Gelu {
    private static final double INV_SQRT_2PI = 0.3989422804014327;
    private static final double INV_SQRT_2 = 0.7071067811865476;

    // erf(z) ≈ z·P(z²)/Q(z²) on |z| <= 4 (Eigen generic_fast_erf_float / XLA)
    private static final double A1 = -1.60960333262415e-02;
    private static final double A3 = -2.95459980854025e-03;
    private static final double A5 = -7.34990630326855e-04;
    private static final double A7 = -5.69250639462346e-05;
    private static final double A9 = -2.10102402082508e-06;
    private static final double A11 = 2.77068142495902e-08;
    private static final double A13 = -2.72614225801306e-10;
    private static final double B0 = -1.42647390514189e-02;
    private static final double B2 = -7.37332916720468e-03;
    private static final double B4 = -1.68282697438203e-03;
    private static final double B6 = -2.13374055278905e-04;
    private static final double B8 = -1.45660718464996e-05;

    private Gelu() {
    }

    /** Exact value (float64 path). */
    public static double value(double x) {
        return x * Erf.normalCdf(x);
    }

    /** Exact d gelu/dx = Phi(x) + x·phi(x) (float64 path). */
    public static double derivative(double x) {
        return Erf.normalCdf(x) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
    }

    /** Phi(x) by the float-grade rational erf (float32 path, the scalar tail of a tile). */
    static double fastCdf(double x) {
        double z = Math.max(-4.0, Math.min(4.0, x * INV_SQRT_2));
        double z2 = z * z;
        double p = ((((((A13 * z2 + A11) * z2 + A9) * z2 + A7) * z2 + A5) * z2 + A3) * z2 + A1) * z;
        double q = (((B8 * z2 + B6) * z2 + B4) * z2 + B2) * z2 + B0;
        return 0.5 + 0.5 * p / q;
    }

    /** phi(x) = exp(-x²/2)/sqrt(2 pi), |x| clamped to 10 (float32 tail; e^-50 is far below float resolution). */
    static double fastPdf(double x) {
        double xc = Math.min(10.0, Math.abs(x));
        return INV_SQRT_2PI * FastExp.nonPositive(-0.5 * xc * xc);
    }

    // x [n] -> y [n] = gelu(x)  (y may be x), Phi not kept
    public static void forward(Parallel pool, Buf x, Buf y, int n) {
        forward(pool, x, y, null, n);
    }

    // dy [n], x [n] (forward input) -> dx [n] = dy·gelu'(x)  (dx may be dy). Allocates: for tests and benches.
    public static void backward(Parallel pool, Buf dy, Buf x, Buf dx, int n) {
        Buf cdf = Buf.zeros(x.precision(), n);
        forward(pool, x, Buf.zeros(x.precision(), n), cdf, n);
        backward(pool, dy, x, cdf, dx, n);
    }

    /** Phi(x) on float lanes: the same rational erf, in float arithmetic (Eigen evaluates it so for float). */
    private static FloatVector cdf(FloatVector x) {
        FloatVector z = x.mul(V_INV_SQRT_2).max(V_MINUS_4).min(V_4);
        FloatVector z2 = z.mul(z);
        FloatVector p = z2.fma(V_A13, V_A11).fma(z2, V_A9).fma(z2, V_A7).fma(z2, V_A5).fma(z2, V_A3).fma(z2, V_A1)
                .mul(z);
        FloatVector q = z2.fma(V_B8, V_B6).fma(z2, V_B4).fma(z2, V_B2).fma(z2, V_B0);
        return p.div(q).fma(V_HALF, V_HALF);
    }

    /** gelu'(x) = Phi(x) + x·phi(x), phi(x) = exp(-x²/2)/sqrt(2 pi), on float lanes, Phi(x) given. */
    private static FloatVector derivative(FloatVector x, FloatVector cdf) {
        FloatVector pdf = Simd.exp(x.mul(x).mul(V_MINUS_HALF).max(V_MINUS_50)).mul(V_INV_SQRT_2PI);
        return x.fma(pdf, cdf);
    }

    // The float kernels' constants as vectors made once: see Simd's note on C2's inlining cutoff.
    private static final FloatVector V_INV_SQRT_2 = Simd.constant(INV_SQRT_2);
    private static final FloatVector V_INV_SQRT_2PI = Simd.constant(INV_SQRT_2PI);
    private static final FloatVector V_4 = Simd.constant(4);
    private static final FloatVector V_MINUS_4 = Simd.constant(-4);
    private static final FloatVector V_HALF = Simd.constant(0.5);
    private static final FloatVector V_MINUS_HALF = Simd.constant(-0.5);
    private static final FloatVector V_MINUS_50 = Simd.constant(-50);
    private static final FloatVector V_A1 = Simd.constant(A1);
    private static final FloatVector V_A3 = Simd.constant(A3);
    private static final FloatVector V_A5 = Simd.constant(A5);
    private static final FloatVector V_A7 = Simd.constant(A7);
    private static final FloatVector V_A9 = Simd.constant(A9);
    private static final FloatVector V_A11 = Simd.constant(A11);
    private static final FloatVector V_A13 = Simd.constant(A13);
    private static final FloatVector V_B0 = Simd.constant(B0);
    private static final FloatVector V_B2 = Simd.constant(B2);
    private static final FloatVector V_B4 = Simd.constant(B4);
    private static final FloatVector V_B6 = Simd.constant(B6);
    private static final FloatVector V_B8 = Simd.constant(B8);

    // x [n] -> y [n] = gelu(x), cdf [n] = Phi(x) kept for backward, or not kept when cdf is null  (y may be x)
    public static void forward(Parallel pool, Buf x, Buf y, Buf cdf, int n) {
        int tiles = (n + Tile.SIZE - 1) / Tile.SIZE;
        if (x.precision() == Precision.FLOAT32) {
            FloatBuf fx = (FloatBuf) x;
            FloatBuf fy = (FloatBuf) y;
            FloatBuf fc = (FloatBuf) cdf;
            pool.forRange(tiles, (c, t0, t1) -> {
                int end = Math.min(n, t1 * Tile.SIZE);
                int i = t0 * Tile.SIZE;
                for (int vend = Simd.vectorEnd(i, end); i < vend; i += Simd.LANES) {
                    FloatVector xv = Simd.load(fx, i);
                    FloatVector phi = cdf(xv);
                    if (fc != null) {
                        Simd.store(phi, fc, i);
                    }
                    Simd.store(xv.mul(phi), fy, i);
                }
                for (; i < end; i++) {
                    double xi = fx.nio().get(i);
                    float phi = (float) fastCdf(xi);
                    if (fc != null) {
                        fc.nio().put(i, phi);
                    }
                    fy.nio().put(i, (float) (xi * phi));
                }
            });
            return;
        }
        pool.forRange(tiles, (c, t0, t1) -> {
            double[][] tile = Tile.local();
            double[] xs = tile[0];
            double[] phis = tile[1];
            for (int t = t0; t < t1; t++) {
                int start = t * Tile.SIZE;
                int len = Math.min(Tile.SIZE, n - start);
                x.get(start, xs, 0, len);
                for (int i = 0; i < len; i++) {
                    phis[i] = Erf.normalCdf(xs[i]);
                    xs[i] *= phis[i];
                }
                if (cdf != null) {
                    cdf.set(start, phis, 0, len);
                }
                y.set(start, xs, 0, len);
            }
        });
    }

    /*
     * dy [n], x [n] (GELU input), cdf [n] (Phi(x) from forward) -> dx [n] = dy·gelu'(x)  (dx may be dy)
     * Reading Phi back instead of recomputing it is also what keeps this kernel small enough for C2 to compile
     * whole (see Simd): exp and the rational erf in one loop did not fit, and boxed every vector.
     */
    public static void backward(Parallel pool, Buf dy, Buf x, Buf cdf, Buf dx, int n) {
        int tiles = (n + Tile.SIZE - 1) / Tile.SIZE;
        if (x.precision() == Precision.FLOAT32) {
            FloatBuf fx = (FloatBuf) x;
            FloatBuf fdy = (FloatBuf) dy;
            FloatBuf fdx = (FloatBuf) dx;
            FloatBuf fc = (FloatBuf) cdf;
            pool.forRange(tiles, (c, t0, t1) -> {
                int end = Math.min(n, t1 * Tile.SIZE);
                int i = t0 * Tile.SIZE;
                for (int vend = Simd.vectorEnd(i, end); i < vend; i += Simd.LANES) {
                    FloatVector d = derivative(Simd.load(fx, i), Simd.load(fc, i));
                    Simd.store(Simd.load(fdy, i).mul(d), fdx, i);
                }
                for (; i < end; i++) {
                    double xi = fx.nio().get(i);
                    double d = fc.nio().get(i) + xi * fastPdf(xi);
                    fdx.nio().put(i, (float) (fdy.nio().get(i) * d));
                }
            });
            return;
        }
        pool.forRange(tiles, (c, t0, t1) -> {
            double[][] tile = Tile.local();
            double[] xs = tile[0];
            double[] g = tile[1];
            double[] phis = tile[2];
            for (int t = t0; t < t1; t++) {
                int start = t * Tile.SIZE;
                int len = Math.min(Tile.SIZE, n - start);
                x.get(start, xs, 0, len);
                dy.get(start, g, 0, len);
                cdf.get(start, phis, 0, len);
                for (int i = 0; i < len; i++) {
                    g[i] *= phis[i] + xs[i] * INV_SQRT_2PI * Math.exp(-0.5 * xs[i] * xs[i]);
                }
                dx.set(start, g, 0, len);
            }
        });
    }
}
