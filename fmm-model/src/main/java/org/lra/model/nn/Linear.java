package org.lra.model.nn;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.FloatBuf;
import org.lra.model.tensor.Gemm;
import org.lra.model.tensor.Init;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Param;
import org.lra.model.tensor.Parameters;
import org.lra.model.tensor.Simd;
import org.lra.model.tensor.Tile;

/**
 * Fully connected layer {@code y = x Wᵀ + b} with PyTorch's layout (weight [out, in]) and default
 * initialisation U(±1/sqrt(in)) for weight and bias.
 *
 * <p>Stateless between calls: the caller owns x and y and keeps x for backward. BLAS is single-threaded;
 * every GEMM is split over rows across the pool; weight and bias gradients are summed per row chunk and
 * reduced in chunk order, so every result is deterministic for a given thread count.
 */
public final class Linear {
    public final int in;
    public final int out;
    public final Param weight;
    public final Param bias;
    private final Parameters params;
    private final int rowsPerTile;
    /** rowsPerTile copies of the bias: forward starts each output tile from it, then GEMM adds x Wᵀ. */
    private final double[] biasRows;
    /** Per-chunk partial bias and weight gradients of one backward (chunk 0 writes dW directly). */
    private double[][] biasPart = new double[0][];
    private Buf[] weightPart = new Buf[0];

    public Linear(Parameters params, String name, int in, int out) {
        this.params = params;
        this.in = in;
        this.out = out;
        double bound = 1 / Math.sqrt(in);
        this.weight = params.register(name + ".weight", Init.uniform(bound), true, out, in);
        this.bias = params.register(name + ".bias", Init.uniform(bound), false, out);
        this.rowsPerTile = Math.max(1, Tile.SIZE / out);
        this.biasRows = new double[rowsPerTile * out];
    }

    // x [rows, in] -> y [rows, out]
    public void forward(Parallel pool, Buf x, Buf y, int rows) {
        Buf w = params.values();
        int wOff = weight.offset();
        w.get(bias.offset(), biasRows, 0, out);
        for (int j = 1; j < rowsPerTile; j++) {
            System.arraycopy(biasRows, 0, biasRows, j * out, out);
        }
        pool.forRange(rows, (c, r0, r1) -> {
            for (int r = r0; r < r1; r += rowsPerTile) {
                int k = Math.min(rowsPerTile, r1 - r);
                y.set(r * out, biasRows, 0, k * out);
            }
            Gemm.gemm(false, true, r1 - r0, out, in, 1.0, x, r0 * in, in, w, wOff, in, 1.0, y, r0 * out, out);
        });
    }

    /**
     * dy [rows, out], x [rows, in] -> dW += dyᵀ x, db += Σ_rows dy, and dx [rows, in] = dy W
     * (dx += dy W when {@code accumulateDx}); dx may be null when the input needs no gradient.
     *
     * <p>One pass over row chunks: each thread reads only its rows of dy and x, computing its rows of dx and a
     * private partial dW and db; the partials are then added in chunk order (deterministic per thread count).
     * With one thread the GEMM accumulates straight into the gradient block.
     */
    public void backward(Parallel pool, Buf dy, Buf x, int rows, Buf dx, boolean accumulateDx) {
        Buf w = params.values();
        Buf g = params.grads();
        int wOff = weight.offset();
        int chunks = pool.chunks(rows);
        if (biasPart.length < chunks) {
            biasPart = new double[chunks][out];
            weightPart = new Buf[chunks];
        }
        for (int c = 1; c < chunks; c++) {
            weightPart[c] = Buf.ensure(weightPart[c], g.precision(), out * in);
        }
        double beta = accumulateDx ? 1.0 : 0.0;
        pool.forRange(rows, (c, r0, r1) -> {
            int k = r1 - r0;
            if (dx != null) {
                Gemm.gemm(false, false, k, in, out, 1.0, dy, r0 * out, out, w, wOff, in, beta, dx, r0 * in, in);
            }
            if (c == 0) {
                Gemm.gemm(true, false, out, in, k, 1.0, dy, r0 * out, out, x, r0 * in, in, 1.0, g, wOff, in);
            } else {
                Gemm.gemm(true, false, out, in, k, 1.0, dy, r0 * out, out, x, r0 * in, in, 0.0, weightPart[c], 0, in);
            }
            sumRows(dy, r0, r1, biasPart[c]);
        });
        double[] tile = Tile.local()[0];
        for (int c = 1; c < chunks; c++) {
            Buf part = weightPart[c];
            for (int s = 0; s < out * in; s += Tile.SIZE) {
                int len = Math.min(Tile.SIZE, out * in - s);
                double[] acc = Tile.local()[1];
                g.get(wOff + s, acc, 0, len);
                part.get(s, tile, 0, len);
                for (int i = 0; i < len; i++) {
                    acc[i] += tile[i];
                }
                g.set(wOff + s, acc, 0, len);
            }
        }
        int bOff = bias.offset();
        for (int c = 0; c < chunks; c++) {
            for (int o = 0; o < out; o++) {
                g.add(bOff + o, biasPart[c][o]);
            }
        }
    }

    /** acc[o] = Σ_{r in [r0, r1)} dy[r, o]. */
    private void sumRows(Buf dy, int r0, int r1, double[] acc) {
        Arrays.fill(acc, 0);
        if (dy instanceof FloatBuf f && out % Simd.LANES == 0 && out <= Tile.SIZE) {
            sumRowsFloat(f, r0, r1, acc);
            return;
        }
        if (out > Tile.SIZE) { // wider than a tile (not in the LRA model): plain loop
            for (int r = r0; r < r1; r++) {
                for (int o = 0; o < out; o++) {
                    acc[o] += dy.get(r * out + o);
                }
            }
            return;
        }
        double[] ys = Tile.local()[0];
        for (int r = r0; r < r1; r += rowsPerTile) {
            int k = Math.min(rowsPerTile, r1 - r);
            dy.get(r * out, ys, 0, k * out);
            for (int j = 0; j < k; j++) {
                for (int o = 0; o < out; o++) {
                    acc[o] += ys[j * out + o];
                }
            }
        }
    }

    /**
     * float32 {@link #sumRows}: each column vector summed in float over blocks of {@link #SUM_BLOCK} rows (the
     * block stays in L1 while the columns are walked), each block's sums then added into acc in double.
     */
    private void sumRowsFloat(FloatBuf dy, int r0, int r1, double[] acc) {
        float[] part = Tile.floats()[0];
        for (int b = r0; b < r1; b += SUM_BLOCK) {
            int end = Math.min(r1, b + SUM_BLOCK);
            for (int o = 0; o < out; o += Simd.LANES) {
                FloatVector s = FloatVector.zero(Simd.F);
                for (int r = b; r < end; r++) {
                    s = s.add(Simd.load(dy, r * out + o));
                }
                s.intoArray(part, o);
            }
            for (int o = 0; o < out; o++) {
                acc[o] += part[o];
            }
        }
    }

    private static final int SUM_BLOCK = 64;
}
