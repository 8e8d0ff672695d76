package org.lra.model.nn;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.FloatBuf;
import org.lra.model.tensor.Init;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Param;
import org.lra.model.tensor.Parameters;
import org.lra.model.tensor.Simd;
import org.lra.model.tensor.Tile;

/**
 * LayerNorm over the last dimension, as torch.nn.LayerNorm(C, eps=1e-5): biased variance, gain 1 and bias 0
 * at start. Per-row mean and 1/std are kept for backward. float32 rows whose width is a multiple of the SIMD width
 * ({@link Simd#LANES}; the model's 64 is) run on the buffers directly with the Vector API, row sums reduced
 * across lanes and the statistics finished in double. float64 (and any other width) processes rows a tile at a
 * time (Tile.SIZE / C rows) on heap copies, statistics in double.
 */
public final class LayerNorm {
    public static final double EPS = 1e-5;

    public final int dim;
    public final Param gain;
    public final Param bias;
    private final Parameters params;
    private final int rowsPerTile;
    private final double[] gainValues;
    private final double[] biasValues;
    private final float[] gainFloats;
    private final float[] biasFloats;
    private double[] mean = new double[0];
    private double[] rstd = new double[0];
    /** Gain and bias gradient partial sums, one row per chunk, reduced in chunk order (deterministic). */
    private double[][] dGainPart = new double[0][];
    private double[][] dBiasPart = new double[0][];

    public LayerNorm(Parameters params, String name, int dim) {
        if (dim > Tile.SIZE) {
            throw new IllegalArgumentException("LayerNorm width " + dim + " exceeds the tile size " + Tile.SIZE);
        }
        this.params = params;
        this.dim = dim;
        this.gain = params.register(name + ".weight", Init.constant(1), false, dim);
        this.bias = params.register(name + ".bias", Init.constant(0), false, dim);
        this.rowsPerTile = Tile.SIZE / dim;
        this.gainValues = new double[dim];
        this.biasValues = new double[dim];
        this.gainFloats = new float[dim];
        this.biasFloats = new float[dim];
    }

    private boolean vectorised(Buf x) {
        return x instanceof FloatBuf && dim % Simd.LANES == 0;
    }

    // x [rows, C] -> y [rows, C]; caches mean and rstd [rows]
    public void forward(Parallel pool, Buf x, Buf y, int rows) {
        if (mean.length < rows) {
            mean = new double[rows];
            rstd = new double[rows];
        }
        params.values().get(gain.offset(), gainValues, 0, dim);
        params.values().get(bias.offset(), biasValues, 0, dim);
        double[] g = gainValues;
        double[] b = biasValues;
        int n = dim;
        int tiles = (rows + rowsPerTile - 1) / rowsPerTile;
        if (vectorised(x)) {
            forwardFloat(pool, (FloatBuf) x, (FloatBuf) y, rows);
            return;
        }
        pool.forRange(tiles, (c, t0, t1) -> {
            double[] xs = Tile.local()[0];
            for (int t = t0; t < t1; t++) {
                int r0 = t * rowsPerTile;
                int k = Math.min(rowsPerTile, rows - r0);
                x.get(r0 * n, xs, 0, k * n);
                for (int j = 0; j < k; j++) {
                    int o = j * n;
                    double m = sum(xs, o, n) / n;
                    double rs = 1 / Math.sqrt(sumSquaredDeviation(xs, o, n, m) / n + EPS);
                    mean[r0 + j] = m;
                    rstd[r0 + j] = rs;
                    for (int i = 0; i < n; i++) {
                        xs[o + i] = (xs[o + i] - m) * rs * g[i] + b[i];
                    }
                }
                y.set(r0 * n, xs, 0, k * n);
            }
        });
    }

    /**
     * dy [rows, C], x [rows, C] (the forward input) -> dx [rows, C] (overwritten, or added to when
     * {@code accumulate}: that is how the residual stream's gradient picks up this branch);
     * gain and bias gradients accumulated.
     */
    public void backward(Parallel pool, Buf dy, Buf x, int rows, Buf dx, boolean accumulate) {
        int tiles = (rows + rowsPerTile - 1) / rowsPerTile;
        int chunks = pool.chunks(tiles);
        if (dGainPart.length < chunks) {
            dGainPart = new double[chunks][dim];
            dBiasPart = new double[chunks][dim];
        }
        params.values().get(gain.offset(), gainValues, 0, dim);
        if (vectorised(x)) {
            backwardFloat(pool, (FloatBuf) dy, (FloatBuf) x, rows, (FloatBuf) dx, accumulate, tiles);
        } else {
            backwardTiles(pool, dy, x, rows, dx, accumulate, tiles);
        }
        Buf grads = params.grads();
        for (int c = 0; c < chunks; c++) {
            for (int i = 0; i < dim; i++) {
                grads.add(gain.offset() + i, dGainPart[c][i]);
                grads.add(bias.offset() + i, dBiasPart[c][i]);
            }
        }
    }

    // x [rows, C] -> y [rows, C] on float lanes; mean and rstd [rows] in double
    private void forwardFloat(Parallel pool, FloatBuf x, FloatBuf y, int rows) {
        int n = dim;
        for (int i = 0; i < n; i++) {
            gainFloats[i] = (float) gainValues[i];
            biasFloats[i] = (float) biasValues[i];
        }
        pool.forRange(rows, (c, r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int o = r * n;
                FloatVector acc = FloatVector.zero(Simd.F);
                for (int i = 0; i < n; i += Simd.LANES) {
                    acc = acc.add(Simd.load(x, o + i));
                }
                float m = (float) ((double) Simd.sum(acc) / n);
                FloatVector sq = FloatVector.zero(Simd.F);
                for (int i = 0; i < n; i += Simd.LANES) {
                    FloatVector d = Simd.load(x, o + i).sub(m);
                    sq = d.fma(d, sq);
                }
                double rsd = 1 / Math.sqrt((double) Simd.sum(sq) / n + EPS);
                mean[r] = m;
                rstd[r] = rsd;
                float rs = (float) rsd;
                for (int i = 0; i < n; i += Simd.LANES) {
                    FloatVector xhat = Simd.load(x, o + i).sub(m).mul(rs);
                    Simd.store(xhat.fma(FloatVector.fromArray(Simd.F, gainFloats, i),
                            FloatVector.fromArray(Simd.F, biasFloats, i)), y, o + i);
                }
            }
        });
    }

    /** {@link #backward} on float lanes: dx = rstd·(dxhat − mean(dxhat) − xhat·mean(dxhat·xhat)), dxhat = dy·gain. */
    private void backwardFloat(Parallel pool, FloatBuf dy, FloatBuf x, int rows, FloatBuf dx, boolean accumulate,
                               int tiles) {
        int n = dim;
        for (int i = 0; i < n; i++) {
            gainFloats[i] = (float) gainValues[i];
        }
        pool.forRange(tiles, (c, t0, t1) -> {
            double[] dg = dGainPart[c];
            double[] db = dBiasPart[c];
            Arrays.fill(dg, 0);
            Arrays.fill(db, 0);
            float[][] tile = Tile.floats();
            float[] dgTile = tile[0];
            float[] dbTile = tile[1];
            for (int t = t0; t < t1; t++) {
                int rEnd = Math.min(rows, (t + 1) * rowsPerTile);
                Arrays.fill(dgTile, 0, n, 0f);
                Arrays.fill(dbTile, 0, n, 0f);
                for (int r = t * rowsPerTile; r < rEnd; r++) {
                    int o = r * n;
                    float m = (float) mean[r];
                    float rs = (float) rstd[r];
                    FloatVector sumD = FloatVector.zero(Simd.F);
                    FloatVector sumDX = FloatVector.zero(Simd.F);
                    for (int i = 0; i < n; i += Simd.LANES) {
                        FloatVector xhat = Simd.load(x, o + i).sub(m).mul(rs);
                        FloatVector g = Simd.load(dy, o + i);
                        g.fma(xhat, FloatVector.fromArray(Simd.F, dgTile, i)).intoArray(dgTile, i);
                        g.add(FloatVector.fromArray(Simd.F, dbTile, i)).intoArray(dbTile, i);
                        FloatVector dxhat = g.mul(FloatVector.fromArray(Simd.F, gainFloats, i));
                        sumD = sumD.add(dxhat);
                        sumDX = dxhat.fma(xhat, sumDX);
                    }
                    float meanD = (float) ((double) Simd.sum(sumD) / n);
                    float meanDX = (float) ((double) Simd.sum(sumDX) / n);
                    for (int i = 0; i < n; i += Simd.LANES) {
                        FloatVector xhat = Simd.load(x, o + i).sub(m).mul(rs);
                        FloatVector dxhat = Simd.load(dy, o + i).mul(FloatVector.fromArray(Simd.F, gainFloats, i));
                        FloatVector v = dxhat.sub(meanD).sub(xhat.mul(meanDX)).mul(rs);
                        Simd.store(accumulate ? v.add(Simd.load(dx, o + i)) : v, dx, o + i);
                    }
                }
                for (int i = 0; i < n; i++) {
                    dg[i] += dgTile[i];
                    db[i] += dbTile[i];
                }
            }
        });
    }

    /** {@link #backward} on double tiles (float64, or widths the vector path does not take). */
    private void backwardTiles(Parallel pool, Buf dy, Buf x, int rows, Buf dx, boolean accumulate, int tiles) {
        double[] w = gainValues;
        int n = dim;
        pool.forRange(tiles, (c, t0, t1) -> {
            double[][] tile = Tile.local();
            double[] xs = tile[0];
            double[] gs = tile[1];
            double[] out = tile[2];
            double[] dg = dGainPart[c];
            double[] db = dBiasPart[c];
            Arrays.fill(dg, 0);
            Arrays.fill(db, 0);
            for (int t = t0; t < t1; t++) {
                int r0 = t * rowsPerTile;
                int k = Math.min(rowsPerTile, rows - r0);
                x.get(r0 * n, xs, 0, k * n);
                dy.get(r0 * n, gs, 0, k * n);
                if (accumulate) {
                    dx.get(r0 * n, out, 0, k * n);
                } else {
                    Arrays.fill(out, 0, k * n, 0);
                }
                for (int j = 0; j < k; j++) {
                    int o = j * n;
                    double m = mean[r0 + j];
                    double rs = rstd[r0 + j];
                    // dx = rstd·(dxhat − mean(dxhat) − xhat·mean(dxhat·xhat)), dxhat = dy·gain
                    for (int i = 0; i < n; i++) {
                        double xhat = (xs[o + i] - m) * rs;
                        double gi = gs[o + i];
                        dg[i] += gi * xhat;
                        db[i] += gi;
                        xs[o + i] = xhat;
                        gs[o + i] = gi * w[i]; // now dxhat
                    }
                    double meanD = sum(gs, o, n) / n;
                    double meanDX = dot(gs, xs, o, n) / n;
                    for (int i = 0; i < n; i++) {
                        out[o + i] += rs * (gs[o + i] - meanD - xs[o + i] * meanDX);
                    }
                }
                dx.set(r0 * n, out, 0, k * n);
            }
        });
    }

    // Row reductions with four independent partial sums: a single running sum is one long chain of dependent
    // additions (latency-bound); four chains run in parallel. The order is fixed, so results are deterministic.

    static double sum(double[] a, int off, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[off + i];
            s1 += a[off + i + 1];
            s2 += a[off + i + 2];
            s3 += a[off + i + 3];
        }
        for (; i < n; i++) {
            s0 += a[off + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    static double sumSquaredDeviation(double[] a, int off, int n, double m) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            double d0 = a[off + i] - m;
            double d1 = a[off + i + 1] - m;
            double d2 = a[off + i + 2] - m;
            double d3 = a[off + i + 3] - m;
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
        }
        for (; i < n; i++) {
            double d = a[off + i] - m;
            s0 += d * d;
        }
        return (s0 + s1) + (s2 + s3);
    }

    static double dot(double[] a, double[] b, int off, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[off + i] * b[off + i];
            s1 += a[off + i + 1] * b[off + i + 1];
            s2 += a[off + i + 2] * b[off + i + 2];
            s3 += a[off + i + 3] * b[off + i + 3];
        }
        for (; i < n; i++) {
            s0 += a[off + i] * b[off + i];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
