package org.lra.model.nn;

import java.util.Arrays;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Tile;

/**
 * Reference "MEAN" pooling: the final LayerNorm output times the token mask, averaged over ALL T positions,
 * so padding rows count in the divisor (docs/reference.md §1.2).
 */
public final class MeanPool {
    private final int dim;
    private final int rowsPerTile;

    public MeanPool(int dim) {
        if (dim > Tile.SIZE) {
            throw new IllegalArgumentException("pooling width " + dim + " exceeds the tile size " + Tile.SIZE);
        }
        this.dim = dim;
        this.rowsPerTile = Tile.SIZE / dim;
    }

    // x [B*T, C], mask [B*T] -> pooled [B, C] = (1/T) Σ_t mask[b,t] x[b,t,:]; threads split the batch
    public void forward(Parallel pool, Buf x, Buf mask, int batch, int seqLen, Buf pooled) {
        int n = dim;
        pool.forRange(batch, (c, b0, b1) -> {
            double[][] tile = Tile.local();
            double[] xs = tile[0];
            double[] ms = tile[1];
            double[] acc = tile[2];
            for (int b = b0; b < b1; b++) {
                Arrays.fill(acc, 0, n, 0);
                for (int t = 0; t < seqLen; t += rowsPerTile) {
                    int r0 = b * seqLen + t;
                    int k = Math.min(rowsPerTile, seqLen - t);
                    x.get(r0 * n, xs, 0, k * n);
                    mask.get(r0, ms, 0, k);
                    for (int j = 0; j < k; j++) {
                        double m = ms[j];
                        for (int i = 0; i < n; i++) {
                            acc[i] += m * xs[j * n + i];
                        }
                    }
                }
                for (int i = 0; i < n; i++) {
                    acc[i] /= seqLen;
                }
                pooled.set(b * n, acc, 0, n);
            }
        });
    }

    // dPooled [B, C], mask [B*T] -> dx [B*T, C] = mask[b,t] dPooled[b,:] / T  (overwritten)
    public void backward(Parallel pool, Buf dPooled, Buf mask, int batch, int seqLen, Buf dx) {
        int n = dim;
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
                    double m = ms[j] / seqLen;
                    for (int i = 0; i < n; i++) {
                        out[j * n + i] = m * row[i];
                    }
                }
                dx.set(r * n, out, 0, k * n);
            }
        });
    }
}
