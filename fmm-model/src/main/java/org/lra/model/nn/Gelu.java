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
 * GELU in the exact form of torch.nn.GELU(): gelu(x) = x·Phi(x), Phi the standard normal CDF, fused with the
 * dropout that follows it in the MLP.
 *
 * <p>Two evaluations of the same function. float64 (gradient checks) uses Cody's erf ({@link Erf}, 1e-16) on
 * double tiles. float32 (training) runs on the buffers directly, {@link Simd#LANES} floats at a time: erf by the
 * rational function Eigen and XLA use for float, evaluated in float with FMA as they do, and exp(-x²/2) by the
 * Vector API's EXP. The scalar tail of a tile uses the same rational erf in double ({@link #fastCdf}) and
 * {@link #fastPdf}. GeluTest checks float32 against float64.
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

    // x [n] -> y [n] = gelu(x)  (y may be x)
    public static void forward(Parallel pool, Buf x, Buf y, int n) {
        forward(new StepContext(pool, false, 0, 0), null, x, y, n);
    }

    // dy [n], x [n] (forward input) -> dx [n] = dy·gelu'(x)  (dx may be dy)
    public static void backward(Parallel pool, Buf dy, Buf x, Buf dx, int n) {
        backward(new StepContext(pool, false, 0, 0), null, dy, x, dx, n);
    }

    /** Phi(x) on float lanes: the same rational erf, in float arithmetic (Eigen evaluates it so for float). */
    private static FloatVector cdf(FloatVector x) {
        FloatVector z = x.mul((float) INV_SQRT_2).max(-4f).min(4f);
        FloatVector z2 = z.mul(z);
        FloatVector p = z2.fma((float) A13, (float) A11).fma(z2, broadcast(A9)).fma(z2, broadcast(A7))
                .fma(z2, broadcast(A5)).fma(z2, broadcast(A3)).fma(z2, broadcast(A1)).mul(z);
        FloatVector q = z2.fma((float) B8, (float) B6).fma(z2, broadcast(B4)).fma(z2, broadcast(B2))
                .fma(z2, broadcast(B0));
        return p.div(q).fma(0.5f, 0.5f);
    }

    private static FloatVector broadcast(double c) {
        return FloatVector.broadcast(Simd.F, (float) c);
    }

    // x [n] -> y [n] = Dropout(gelu(x))  (y may be x; drop may be null)
    public static void forward(StepContext ctx, Dropout drop, Buf x, Buf y, int n) {
        boolean fast = x.precision() == Precision.FLOAT32;
        long key = drop == null ? 0 : drop.key(ctx);
        boolean record = drop != null && drop.record(ctx, n);
        int tiles = (n + Tile.SIZE - 1) / Tile.SIZE;
        if (fast) {
            FloatBuf fx = (FloatBuf) x;
            FloatBuf fy = (FloatBuf) y;
            ctx.pool().forRange(tiles, (c, t0, t1) -> {
                float[] f = Tile.floats()[0];
                for (int t = t0; t < t1; t++) {
                    int start = t * Tile.SIZE;
                    int len = Math.min(Tile.SIZE, n - start);
                    if (drop != null) {
                        drop.factors(ctx, key, start, len, f, record);
                    }
                    int i = 0;
                    for (int end = Simd.vectorEnd(0, len); i < end; i += Simd.LANES) {
                        FloatVector xv = Simd.load(fx, start + i);
                        FloatVector v = xv.mul(cdf(xv));
                        Simd.store(drop == null ? v : v.mul(FloatVector.fromArray(Simd.F, f, i)), fy, start + i);
                    }
                    for (; i < len; i++) {
                        double xi = fx.nio().get(start + i);
                        fy.nio().put(start + i, (float) (xi * fastCdf(xi) * (drop == null ? 1 : f[i])));
                    }
                }
            });
            return;
        }
        ctx.pool().forRange(tiles, (c, t0, t1) -> {
            double[][] tile = Tile.local();
            double[] xs = tile[0];
            double[] f = tile[1];
            for (int t = t0; t < t1; t++) {
                int start = t * Tile.SIZE;
                int len = Math.min(Tile.SIZE, n - start);
                x.get(start, xs, 0, len);
                for (int i = 0; i < len; i++) {
                    xs[i] = value(xs[i]);
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
        if (fast) {
            FloatBuf fx = (FloatBuf) x;
            FloatBuf fdy = (FloatBuf) dy;
            FloatBuf fdx = (FloatBuf) dx;
            ctx.pool().forRange(tiles, (c, t0, t1) -> {
                float[] f = Tile.floats()[0];
                for (int t = t0; t < t1; t++) {
                    int start = t * Tile.SIZE;
                    int len = Math.min(Tile.SIZE, n - start);
                    if (drop != null) {
                        drop.factors(ctx, key, start, len, f, false);
                    }
                    int i = 0;
                    for (int end = Simd.vectorEnd(0, len); i < end; i += Simd.LANES) {
                        FloatVector xv = Simd.load(fx, start + i);
                        // gelu'(x) = Phi(x) + x·phi(x), phi(x) = exp(-x²/2)/sqrt(2 pi)
                        FloatVector pdf = Simd.exp(xv.mul(xv).mul(-0.5f).max(-50f))
                                .mul((float) INV_SQRT_2PI);
                        FloatVector g = Simd.load(fdy, start + i).mul(xv.fma(pdf, cdf(xv)));
                        Simd.store(drop == null ? g : g.mul(FloatVector.fromArray(Simd.F, f, i)), fdx, start + i);
                    }
                    for (; i < len; i++) {
                        double xi = fx.nio().get(start + i);
                        double d = fastCdf(xi) + xi * fastPdf(xi);
                        fdx.nio().put(start + i, (float) (fdy.nio().get(start + i) * d * (drop == null ? 1 : f[i])));
                    }
                }
            });
            return;
        }
        ctx.pool().forRange(tiles, (c, t0, t1) -> {
            double[][] tile = Tile.local();
            double[] xs = tile[0];
            double[] g = tile[1];
            double[] f = tile[2];
            for (int t = t0; t < t1; t++) {
                int start = t * Tile.SIZE;
                int len = Math.min(Tile.SIZE, n - start);
                x.get(start, xs, 0, len);
                dy.get(start, g, 0, len);
                for (int i = 0; i < len; i++) {
                    g[i] *= derivative(xs[i]);
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
