package org.lra.model.nn;

import org.lra.model.tensor.Buf;
import org.lra.model.tensor.FastExp;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Precision;
import org.lra.model.tensor.Tile;

/**
 * GELU in the exact form of torch.nn.GELU(): gelu(x) = x·Phi(x), Phi the standard normal CDF, fused with the
 * dropout that follows it in the MLP.
 *
 * <p>Two evaluations of the same function. float64 (gradient checks) uses Cody's erf ({@link Erf}, 1e-16).
 * float32 (training) uses formulas the JIT vectorises: erf by the rational function Eigen and XLA use for float
 * (|error| < 7e-8 in double arithmetic, below float32 resolution) and exp(-x²/2) by {@link FastExp#nonPositive}
 * (a degree-7 Taylor polynomial at x/1024, squared ten times; relative error < 4e-11).
 * GeluTest checks float32 against float64.
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

    /** Phi(x) by the float-grade rational erf (float32 path). */
    static double fastCdf(double x) {
        double z = Math.max(-4.0, Math.min(4.0, x * INV_SQRT_2));
        double z2 = z * z;
        double p = ((((((A13 * z2 + A11) * z2 + A9) * z2 + A7) * z2 + A5) * z2 + A3) * z2 + A1) * z;
        double q = (((B8 * z2 + B6) * z2 + B4) * z2 + B2) * z2 + B0;
        return 0.5 + 0.5 * p / q;
    }

    /** phi(x) = exp(-x²/2)/sqrt(2 pi), |x| clamped to 10 (float32 path; e^-50 is far below float resolution). */
    static double fastPdf(double x) {
        double xc = Math.min(10.0, Math.abs(x));
        return INV_SQRT_2PI * FastExp.nonPositive(-0.5 * xc * xc);
    }

    // x [n] -> y [n] = gelu(x)  (y may be x)
    public static void forward(Parallel pool, Buf x, Buf y, int n) {
        forward(new StepContext(pool, false, 0, 0), null, x, y, n);
    }

    // dy [n], x [n] (forward input) -> dx [n] = dy·gelu'(x)  (dx may be dy)
    public static void backward(Parallel pool, Buf dy, Buf x, Buf dx, int n) {
        backward(new StepContext(pool, false, 0, 0), null, dy, x, dx, n);
    }

    // x [n] -> y [n] = Dropout(gelu(x))  (y may be x; drop may be null)
    public static void forward(StepContext ctx, Dropout drop, Buf x, Buf y, int n) {
        boolean fast = x.precision() == Precision.FLOAT32;
        long key = drop == null ? 0 : drop.key(ctx);
        boolean record = drop != null && drop.record(ctx, n);
        int tiles = (n + Tile.SIZE - 1) / Tile.SIZE;
        ctx.pool().forRange(tiles, (c, t0, t1) -> {
            double[][] tile = Tile.local();
            double[] xs = tile[0];
            double[] f = tile[1];
            for (int t = t0; t < t1; t++) {
                int start = t * Tile.SIZE;
                int len = Math.min(Tile.SIZE, n - start);
                x.get(start, xs, 0, len);
                if (fast) {
                    for (int i = 0; i < len; i++) {
                        xs[i] = xs[i] * fastCdf(xs[i]);
                    }
                } else {
                    for (int i = 0; i < len; i++) {
                        xs[i] = value(xs[i]);
                    }
                }
                if (drop != null) {
                    drop.factors(ctx, key, start, len, f, record);
                    for (int i = 0; i < len; i++) {
                        xs[i] *= f[i];
                    }
                }
                y.set(start, xs, 0, len);
            }
        });
    }

    // dy [n] (gradient at the dropout output), x [n] (GELU input) -> dx [n] = Dropout'(dy)·gelu'(x)  (dx may be dy)
    public static void backward(StepContext ctx, Dropout drop, Buf dy, Buf x, Buf dx, int n) {
        boolean fast = x.precision() == Precision.FLOAT32;
        long key = drop == null ? 0 : drop.key(ctx);
        int tiles = (n + Tile.SIZE - 1) / Tile.SIZE;
        ctx.pool().forRange(tiles, (c, t0, t1) -> {
            double[][] tile = Tile.local();
            double[] xs = tile[0];
            double[] g = tile[1];
            double[] f = tile[2];
            double[] cdf = tile[3];
            for (int t = t0; t < t1; t++) {
                int start = t * Tile.SIZE;
                int len = Math.min(Tile.SIZE, n - start);
                x.get(start, xs, 0, len);
                dy.get(start, g, 0, len);
                if (fast) {
                    // two loops: each vectorises, one loop with both formulas is too large for the JIT to
                    for (int i = 0; i < len; i++) {
                        cdf[i] = fastCdf(xs[i]);
                    }
                    for (int i = 0; i < len; i++) {
                        g[i] *= cdf[i] + xs[i] * fastPdf(xs[i]);
                    }
                } else {
                    for (int i = 0; i < len; i++) {
                        g[i] *= derivative(xs[i]);
                    }
                }
                if (drop != null) {
                    drop.factors(ctx, key, start, len, f, false);
                    for (int i = 0; i < len; i++) {
                        g[i] *= f[i];
                    }
                }
                dx.set(start, g, 0, len);
            }
        });
    }
}
