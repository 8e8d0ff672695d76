package org.lra.model.nn;

import java.util.Arrays;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Parallel;

/**
 * Reference "MEAN" pooling: the final LayerNorm output times the token mask, averaged over ALL T positions,
 * so padding rows count in the divisor (reference §1.2). Threads split the batch.
 */
public final class MeanPool {
    private final int dim;
    private double[][] sums = new double[0][];

    public MeanPool(int dim) {
        this.dim = dim;
    }

    // x [B*T, C], mask [B*T] -> pooled [B, C] = (1/T) Σ_t mask[b,t] x[b,t,:]
    public void forward(Parallel pool, Buf x, Buf mask, int batch, int seqLen, Buf pooled) {
        int chunks = pool.chunks(batch);
        if (sums.length < chunks) {
            sums = new double[chunks][dim];
        }
        pool.forRange(batch, (c, b0, b1) -> {
            double[] acc = sums[c];
            for (int b = b0; b < b1; b++) {
                Arrays.fill(acc, 0);
                for (int r = b * seqLen; r < (b + 1) * seqLen; r++) {
                    double m = mask.get(r);
                    if (m == 0) {
                        continue;
                    }
                    for (int i = 0; i < dim; i++) {
                        acc[i] += m * x.get(r * dim + i);
                    }
                }
                for (int i = 0; i < dim; i++) {
                    pooled.set(b * dim + i, acc[i] / seqLen);
                }
            }
        });
    }

    // dPooled [B, C], mask [B*T] -> dx [B*T, C] = mask[b,t] dPooled[b,:] / T  (overwritten)
    public void backward(Parallel pool, Buf dPooled, Buf mask, int batch, int seqLen, Buf dx) {
        pool.forRange(batch * seqLen, (c, r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int b = r / seqLen;
                double m = mask.get(r) / seqLen;
                for (int i = 0; i < dim; i++) {
                    dx.set(r * dim + i, m * dPooled.get(b * dim + i));
                }
            }
        });
    }
}
