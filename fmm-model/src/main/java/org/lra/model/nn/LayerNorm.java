package org.lra.model.nn;

import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Init;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Param;
import org.lra.model.tensor.Parameters;

/**
 * LayerNorm over the last dimension, as torch.nn.LayerNorm(C, eps=1e-5): biased variance, gain 1 and bias 0
 * at start. Statistics are computed in double; per-row mean and 1/std are kept for backward.
 */
public final class LayerNorm {
    public static final double EPS = 1e-5;

    public final int dim;
    public final Param gain;
    public final Param bias;
    private final Parameters params;
    private double[] mean = new double[0];
    private double[] rstd = new double[0];
    /** Gain and bias gradient partial sums, one row per chunk, reduced in chunk order (deterministic). */
    private double[][] dGainPart = new double[0][];
    private double[][] dBiasPart = new double[0][];

    public LayerNorm(Parameters params, String name, int dim) {
        this.params = params;
        this.dim = dim;
        this.gain = params.register(name + ".weight", Init.constant(1), false, dim);
        this.bias = params.register(name + ".bias", Init.constant(0), false, dim);
    }

    // x [rows, C] -> y [rows, C]; caches mean and rstd [rows]
    public void forward(Parallel pool, Buf x, Buf y, int rows) {
        if (mean.length < rows) {
            mean = new double[rows];
            rstd = new double[rows];
        }
        Buf w = params.values();
        int gOff = gain.offset();
        int bOff = bias.offset();
        int n = dim;
        pool.forRange(rows, (c, r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int base = r * n;
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += x.get(base + i);
                }
                double m = s / n;
                double v = 0;
                for (int i = 0; i < n; i++) {
                    double d = x.get(base + i) - m;
                    v += d * d;
                }
                double rs = 1 / Math.sqrt(v / n + EPS);
                mean[r] = m;
                rstd[r] = rs;
                for (int i = 0; i < n; i++) {
                    y.set(base + i, (x.get(base + i) - m) * rs * w.get(gOff + i) + w.get(bOff + i));
                }
            }
        });
    }

    /**
     * dy [rows, C], x [rows, C] (the forward input) -> dx [rows, C] (overwritten, or added to when
     * {@code accumulate}: that is how the residual stream's gradient picks up this branch);
     * gain and bias gradients accumulated.
     */
    public void backward(Parallel pool, Buf dy, Buf x, int rows, Buf dx, boolean accumulate) {
        int chunks = pool.chunks(rows);
        if (dGainPart.length < chunks) {
            dGainPart = new double[chunks][dim];
            dBiasPart = new double[chunks][dim];
        }
        Buf w = params.values();
        int gOff = gain.offset();
        int n = dim;
        pool.forRange(rows, (c, r0, r1) -> {
            double[] dg = dGainPart[c];
            double[] db = dBiasPart[c];
            java.util.Arrays.fill(dg, 0);
            java.util.Arrays.fill(db, 0);
            for (int r = r0; r < r1; r++) {
                int base = r * n;
                double m = mean[r];
                double rs = rstd[r];
                // dx = rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat)), dxhat = dy * gain
                double sumD = 0;
                double sumDX = 0;
                for (int i = 0; i < n; i++) {
                    double xhat = (x.get(base + i) - m) * rs;
                    double g = dy.get(base + i);
                    dg[i] += g * xhat;
                    db[i] += g;
                    double dxhat = g * w.get(gOff + i);
                    sumD += dxhat;
                    sumDX += dxhat * xhat;
                }
                double meanD = sumD / n;
                double meanDX = sumDX / n;
                for (int i = 0; i < n; i++) {
                    double xhat = (x.get(base + i) - m) * rs;
                    double dxhat = dy.get(base + i) * w.get(gOff + i);
                    double v = rs * (dxhat - meanD - xhat * meanDX);
                    dx.set(base + i, accumulate ? dx.get(base + i) + v : v);
                }
            }
        });
        Buf g = params.grads();
        for (int c = 0; c < chunks; c++) {
            for (int i = 0; i < n; i++) {
                g.add(gOff + i, dGainPart[c][i]);
                g.add(bias.offset() + i, dBiasPart[c][i]);
            }
        }
    }
}
