package org.lra.model.nn;

import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Tile;

/**
 * The official code's CLS pooling ({@code model.pooling: cls}; its {@code append_cls}, docs/reference.md §1.2):
 * every sequence starts with the CLS token, id vocabSize − 1, at position 0, and its tokens move one position
 * right. T stays as it is, so the last position is dropped (padding, unless the sequence fills all T). The
 * CLS token's final state, zeroed where masked as the reference zeroes every padding row, is the sequence's
 * vector. Its key mask is 1 like any non-zero id, so every query can attend to it.
 */
public final class ClsToken {
    private final int id;
    private final int dim;

    /** @param vocab the token table's size; the CLS token is its last id */
    public ClsToken(int vocab, int dim) {
        if (vocab < 2) {
            throw new IllegalArgumentException("cls pooling needs a vocabulary of at least 2 ids (id 0 is padding), got "
                    + vocab);
        }
        if (dim > Tile.SIZE) {
            throw new IllegalArgumentException("pooling width " + dim + " exceeds the tile size " + Tile.SIZE);
        }
        this.id = vocab - 1;
        this.dim = dim;
    }

    /** The CLS token's id: the vocabulary's last. */
    public int id() {
        return id;
    }

    // ids [B*T] -> out [B*T]: row b is [cls, ids[b, 0 .. T-2]]
    public void prepend(int[] ids, int batch, int seqLen, int[] out) {
        for (int b = 0; b < batch; b++) {
            int r = b * seqLen;
            out[r] = id;
            System.arraycopy(ids, r, out, r + 1, seqLen - 1);
        }
    }

    // x [B*T, C], mask [B*T] -> pooled [B, C] = mask[b,0] x[b,0,:]
    public void forward(Parallel pool, Buf x, Buf mask, int batch, int seqLen, Buf pooled) {
        int n = dim;
        pool.forRange(batch, (c, b0, b1) -> {
            double[] row = Tile.local()[0];
            for (int b = b0; b < b1; b++) {
                int r = b * seqLen;
                double m = mask.get(r);
                x.get(r * n, row, 0, n);
                for (int i = 0; i < n; i++) {
                    row[i] *= m;
                }
                pooled.set(b * n, row, 0, n);
            }
        });
    }

    // dPooled [B, C], mask [B*T] -> dx [B*T, C]: row (b, 0) = mask[b,0] dPooled[b,:], every other row 0 (overwritten)
    public void backward(Parallel pool, Buf dPooled, Buf mask, int batch, int seqLen, Buf dx) {
        int n = dim;
        pool.forRange(batch, (c, b0, b1) -> {
            double[] row = Tile.local()[0];
            for (int b = b0; b < b1; b++) {
                int r = b * seqLen;
                double m = mask.get(r);
                dPooled.get(b * n, row, 0, n);
                for (int i = 0; i < n; i++) {
                    row[i] *= m;
                }
                dx.set(r * n, row, 0, n);
                dx.fill((r + 1) * n, (r + seqLen) * n, 0);
            }
        });
    }
}
