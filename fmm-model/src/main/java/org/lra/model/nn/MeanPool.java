package org.lra.model.nn;

import java.util.Arrays;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Tile;

/**
 * Masked mean pooling of the final LayerNorm output. The reference "MEAN" ({@code model.pooling: mean}) averages
 * over ALL T positions, so padding rows count in the divisor (docs/reference.md §1.2); {@code mean-tokens}
 * divides by the sequence's number of real tokens (the mask's sum, at least 1) instead. Both see the same
 * masked rows: only the divisor of each sequence differs.
 */
public final class MeanPool {
    private final int dim;
    private final int rowsPerTile;
    private final boolean countPadding;
    private double[] divisors = new double[0]; // [B]: each sequence's divisor, from the last forward

    /** The reference pooling: divides by T. */
    public MeanPool(int dim) {
        this(dim, true);
    }

    /** @param countPadding true: divide by T (reference); false: divide by the real tokens of each sequence */
    public MeanPool(int dim, boolean countPadding) {
        if (dim > Tile.SIZE) {
            throw new IllegalArgumentException("pooling width " + dim + " exceeds the tile size " + Tile.SIZE);
        }
        this.dim = dim;
        this.rowsPerTile = Tile.SIZE / dim;
        this.countPadding = countPadding;
    }

    // x [B*T, C], mask [B*T] -> pooled [B, C] = (1/N_b) Σ_t mask[b,t] x[b,t,:], N_b = T or max(1, Σ_t mask[b,t]);
    // threads split the batch
    public void forward(Parallel pool, Buf x, Buf mask, int batch, int seqLen, Buf pooled) {
        int n = dim;
        if (divisors.length < batch) {
            divisors = new double[batch];
        }
        double[] div = divisors;
        pool.forRange(batch, (c, b0, b1) -> {
            double[][] tile = Tile.local();
            double[] xs = tile[0];
            double[] ms = tile[1];
            double[] acc = tile[2];
            for (int b = b0; b < b1; b++) {
                Arrays.fill(acc, 0, n, 0);
                double tokens = 0;
                for (int t = 0; t < seqLen; t += rowsPerTile) {
                    int r0 = b * seqLen + t;
                    int k = Math.min(rowsPerTile, seqLen - t);
                    x.get(r0 * n, xs, 0, k * n);
                    mask.get(r0, ms, 0, k);
                    for (int j = 0; j < k; j++) {
                        double m = ms[j];
                        tokens += m;
                        for (int i = 0; i < n; i++) {
                            acc[i] += m * xs[j * n + i];
                        }
                    }
                }
                double d = countPadding ? seqLen : Math.max(1, tokens);
                div[b] = d;
                for (int i = 0; i < n; i++) {
                    acc[i] /= d;
                }
                pooled.set(b * n, acc, 0, n);
            }
        });
    }

    // dPooled [B, C], mask [B*T] -> dx [B*T, C] = mask[b,t] dPooled[b,:] / N_b  (overwritten; N_b of the last forward)
    public void backward(Parallel pool, Buf dPooled, Buf mask, int batch, int seqLen, Buf dx) {
        int n = dim;
        double[] div = divisors;
        pool.forRange(batch * seqLen, (c, r0, r1) -> {
            double[][] tile = Tile.local();
            double[] row = tile[0];
            double[] out = tile[1];
            double[] ms = tile[2];
            int b = -1;
            for (int r = r0; r < r1; r += rowsPerTile) {
                int k = Math.min(rowsPerTile, r1 - r);
                mask.get(r, ms, 0, k);
                for (int j = 0; j < k; j++) {
                    int rb = (r + j) / seqLen;
                    if (rb != b) {
                        b = rb;
                        dPooled.get(b * n, row, 0, n);
                    }
                    double m = ms[j] / div[b];
                    for (int i = 0; i < n; i++) {
                        out[j * n + i] = m * row[i];
                    }
                }
                dx.set(r * n, out, 0, k * n);
            }
        });
    }
}
