package org.lra.model.optim;

import org.lra.model.config.TrainingConfig;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Param;
import org.lra.model.tensor.Parameters;
import org.lra.model.tensor.Tile;

/**
 * AdamW with PyTorch's semantics ({@code torch.optim.AdamW}, amsgrad off), one loop over the flat blocks:
 * <pre>
 *   w -= lr·wd·w                        (decoupled decay, only parameters registered with decay=true)
 *   m  = β1·m + (1−β1)·g ;  v = β2·v + (1−β2)·g²
 *   w -= lr/(1−β1^t) · m / (sqrt(v)/sqrt(1−β2^t) + eps)
 * </pre>
 * t counts updates from 1. β1 and lr are passed per step because the one-cycle schedule moves both; like
 * PyTorch, the bias correction uses the current β1. Moments are kept in the model's precision.
 */
public final class AdamW {
    private final Parameters params;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final Buf m;
    private final Buf v;
    private long steps;
    private double[] partial = new double[0];

    public AdamW(Parameters params, double beta2, double eps, double weightDecay) {
        this.params = params;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.m = Buf.zeros(params.precision(), params.size());
        this.v = Buf.zeros(params.precision(), params.size());
    }

    public static AdamW from(Parameters params, TrainingConfig cfg) {
        return new AdamW(params, cfg.beta2(), cfg.eps(), cfg.weightDecay());
    }

    /** Applies one update from the gradients in {@code params.grads()}; then {@link #steps()} is one larger. */
    public void update(Parallel pool, double lr, double beta1) {
        steps++;
        double bc1 = 1 - Math.pow(beta1, steps);
        double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, steps));
        double stepSize = lr / bc1;
        Buf w = params.values();
        Buf g = params.grads();
        double decayed = 1 - lr * weightDecay;
        pool.forRange(params.size(), (c, from, to) -> {
            double[][] tile = Tile.local();
            double[] ws = tile[0];
            double[] gs = tile[1];
            double[] ms = tile[2];
            double[] vs = tile[3];
            for (Param p : params.list()) {
                int lo = Math.max(from, p.offset());
                int hi = Math.min(to, p.offset() + p.size());
                double keep = p.decay() ? decayed : 1;
                for (int start = lo; start < hi; start += Tile.SIZE) {
                    int len = Math.min(Tile.SIZE, hi - start);
                    w.get(start, ws, 0, len);
                    g.get(start, gs, 0, len);
                    m.get(start, ms, 0, len);
                    v.get(start, vs, 0, len);
                    for (int i = 0; i < len; i++) {
                        double gi = gs[i];
                        double mi = beta1 * ms[i] + (1 - beta1) * gi;
                        double vi = beta2 * vs[i] + (1 - beta2) * gi * gi;
                        ms[i] = mi;
                        vs[i] = vi;
                        ws[i] = ws[i] * keep - stepSize * mi / (Math.sqrt(vi) / bc2Sqrt + eps);
                    }
                    w.set(start, ws, 0, len);
                    m.set(start, ms, 0, len);
                    v.set(start, vs, 0, len);
                }
            }
        });
    }

    /**
     * Scales the gradients so that their global L2 norm is at most {@code maxNorm}, as
     * {@code torch.nn.utils.clip_grad_norm_} (factor maxNorm / (norm + 1e-6), applied only when below 1).
     * Returns the norm before clipping. The sum is split in fixed chunks and reduced in order (deterministic).
     */
    public static double clipGradNorm(Parallel pool, Parameters params, double maxNorm) {
        Buf g = params.grads();
        int n = params.size();
        double[] sums = new double[pool.chunks(n)];
        pool.forRange(n, (c, from, to) -> {
            double s = 0;
            for (int i = from; i < to; i++) {
                double x = g.get(i);
                s += x * x;
            }
            sums[c] = s;
        });
        double total = 0;
        for (double s : sums) {
            total += s;
        }
        double norm = Math.sqrt(total);
        double coef = maxNorm / (norm + 1e-6);
        if (maxNorm > 0 && coef < 1) {
            pool.forRange(n, (c, from, to) -> {
                for (int i = from; i < to; i++) {
                    g.set(i, g.get(i) * coef);
                }
            });
        }
        return norm;
    }

    /** Updates applied so far (PyTorch's per-parameter {@code state['step']}). */
    public long steps() {
        return steps;
    }

    public Buf firstMoment() {
        return m;
    }

    public Buf secondMoment() {
        return v;
    }

    public double beta2() {
        return beta2;
    }

    public double eps() {
        return eps;
    }

    public double weightDecay() {
        return weightDecay;
    }

    public Parameters parameters() {
        return params;
    }

    /** For checkpoint restore: the moments are loaded in place, the step count set here. */
    public void restoreSteps(long steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("negative step count " + steps);
        }
        this.steps = steps;
    }
}
