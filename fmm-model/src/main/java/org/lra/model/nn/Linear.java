package org.lra.model.nn;

import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Gemm;
import org.lra.model.tensor.Init;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Param;
import org.lra.model.tensor.Parameters;

/**
 * Fully connected layer {@code y = x Wᵀ + b} with PyTorch's layout (weight [out, in]) and default
 * initialisation U(±1/sqrt(in)) for weight and bias.
 *
 * <p>Stateless between calls: the caller owns x and y and keeps x for backward. BLAS is single-threaded;
 * the row GEMMs are split over rows across the pool, the weight gradient over output features
 * (each thread owns whole rows of dW, so the sum over tokens has one fixed order per thread count).
 */
public final class Linear {
    public final int in;
    public final int out;
    public final Param weight;
    public final Param bias;
    private final Parameters params;
    /** Per-output-feature bias-gradient sums of one backward; chunks own disjoint ranges. */
    private final double[] biasSums;

    public Linear(Parameters params, String name, int in, int out) {
        this.params = params;
        this.in = in;
        this.out = out;
        double bound = 1 / Math.sqrt(in);
        this.weight = params.register(name + ".weight", Init.uniform(bound), true, out, in);
        this.bias = params.register(name + ".bias", Init.uniform(bound), false, out);
        this.biasSums = new double[out];
    }

    // x [rows, in] -> y [rows, out]
    public void forward(Parallel pool, Buf x, Buf y, int rows) {
        Buf w = params.values();
        int wOff = weight.offset();
        int bOff = bias.offset();
        pool.forRange(rows, (c, r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                y.copyFrom(w, bOff, r * out, out); // y = b, then y += x Wᵀ
            }
            Gemm.gemm(false, true, r1 - r0, out, in, 1.0, x, r0 * in, in, w, wOff, in, 1.0, y, r0 * out, out);
        });
    }

    /**
     * dy [rows, out], x [rows, in] -> dW += dyᵀ x, db += Σ_rows dy, and dx [rows, in] = dy W
     * (dx += dy W when {@code accumulateDx}); dx may be null when the input needs no gradient.
     */
    public void backward(Parallel pool, Buf dy, Buf x, int rows, Buf dx, boolean accumulateDx) {
        Buf w = params.values();
        Buf g = params.grads();
        int wOff = weight.offset();
        int bOff = bias.offset();
        pool.forRange(out, (c, o0, o1) -> {
            Gemm.gemm(true, false, o1 - o0, in, rows, 1.0, dy, o0, out, x, 0, in, 1.0, g, wOff + o0 * in, in);
            for (int o = o0; o < o1; o++) {
                biasSums[o] = 0;
            }
            for (int r = 0; r < rows; r++) {
                int base = r * out;
                for (int o = o0; o < o1; o++) {
                    biasSums[o] += dy.get(base + o);
                }
            }
            for (int o = o0; o < o1; o++) {
                g.add(bOff + o, biasSums[o]);
            }
        });
        if (dx != null) {
            double beta = accumulateDx ? 1.0 : 0.0;
            pool.forRange(rows, (c, r0, r1) ->
                    Gemm.gemm(false, false, r1 - r0, in, out, 1.0, dy, r0 * out, out, w, wOff, in, beta, dx, r0 * in, in));
        }
    }
}
