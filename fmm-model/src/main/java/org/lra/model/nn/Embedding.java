package org.lra.model.nn;

import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Init;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Param;
import org.lra.model.tensor.Parameters;

/**
 * Token embedding plus learned absolute position embedding (reference §1.2): row (b, t) of the output is
 * {@code tokens[id(b,t)] + positions[t]}. Both tables start N(0, 0.02²). The position table has
 * nextPow2(maxLength) rows, as in the reference.
 */
public final class Embedding {
    public final int vocab;
    public final int positions;
    public final int dim;
    public final Param tokenTable;
    public final Param positionTable;
    private final Parameters params;

    public Embedding(Parameters params, String name, int vocab, int positions, int dim) {
        this.params = params;
        this.vocab = vocab;
        this.positions = positions;
        this.dim = dim;
        this.tokenTable = params.register(name + ".tokens", Init.normal(0.02), true, vocab, dim);
        this.positionTable = params.register(name + ".positions", Init.normal(0.02), true, positions, dim);
    }

    // ids [B*T] -> x [B*T, C]
    public void forward(Parallel pool, int[] ids, int batch, int seqLen, Buf x) {
        if (seqLen > positions) {
            throw new IllegalArgumentException("sequence length " + seqLen + " exceeds the position table (" + positions + ")");
        }
        Buf w = params.values();
        int tokOff = tokenTable.offset();
        int posOff = positionTable.offset();
        int n = dim;
        pool.forRange(batch * seqLen, (c, r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int id = ids[r];
                if (id < 0 || id >= vocab) {
                    throw new IllegalArgumentException("token id " + id + " outside [0, " + vocab + ")");
                }
                int tok = tokOff + id * n;
                int pos = posOff + (r % seqLen) * n;
                int base = r * n;
                for (int i = 0; i < n; i++) {
                    x.set(base + i, w.get(tok + i) + w.get(pos + i));
                }
            }
        });
    }

    /**
     * dx [B*T, C] -> token and position table gradients (scatter-add). Threads split the C columns, so a
     * token id that repeats is summed by one thread in row order: no races, deterministic.
     */
    public void backward(Parallel pool, int[] ids, int batch, int seqLen, Buf dx) {
        Buf g = params.grads();
        int tokOff = tokenTable.offset();
        int posOff = positionTable.offset();
        int n = dim;
        int rows = batch * seqLen;
        pool.forRange(n, (c, i0, i1) -> {
            for (int r = 0; r < rows; r++) {
                int tok = tokOff + ids[r] * n;
                int pos = posOff + (r % seqLen) * n;
                int base = r * n;
                for (int i = i0; i < i1; i++) {
                    double d = dx.get(base + i);
                    g.add(tok + i, d);
                    g.add(pos + i, d);
                }
            }
        });
    }
}
