package org.lra.model.nn;

import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Init;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Param;
import org.lra.model.tensor.Parameters;
import org.lra.model.tensor.Tile;

/**
 * Token embedding plus learned absolute position embedding (docs/reference.md §1.2): row (b, t) of the output is
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
    /** Heap copies of the token table and of the first T position rows (forward), reused as gradient tables (backward). */
    private double[] tokens;
    private double[] positionRows;

    public Embedding(Parameters params, String name, int vocab, int positions, int dim) {
        if (dim > Tile.SIZE) {
            throw new IllegalArgumentException("embedding width " + dim + " exceeds the tile size " + Tile.SIZE);
        }
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
        for (int r = 0; r < batch * seqLen; r++) {
            if (ids[r] < 0 || ids[r] >= vocab) {
                throw new IllegalArgumentException("token id " + ids[r] + " outside [0, " + vocab + ")");
            }
        }
        int n = dim;
        ensureTables(seqLen);
        // heap copies of the two tables, so each output row is a plain gather (the tables are small)
        params.values().get(tokenTable.offset(), tokens, 0, vocab * n);
        params.values().get(positionTable.offset(), positionRows, 0, seqLen * n);
        double[] tok = tokens;
        double[] pos = positionRows;
        int rows = batch * seqLen;
        int rowsPerTile = Tile.SIZE / n;
        int tiles = (rows + rowsPerTile - 1) / rowsPerTile;
        pool.forRange(tiles, (c, t0, t1) -> {
            double[] out = Tile.local()[0];
            for (int t = t0; t < t1; t++) {
                int r0 = t * rowsPerTile;
                int k = Math.min(rowsPerTile, rows - r0);
                for (int j = 0; j < k; j++) {
                    int r = r0 + j;
                    int to = ids[r] * n;
                    int po = (r % seqLen) * n;
                    for (int i = 0; i < n; i++) {
                        out[j * n + i] = tok[to + i] + pos[po + i];
                    }
                }
                x.set(r0 * n, out, 0, k * n);
            }
        });
    }

    /**
     * dx [B*T, C] -> token and position table gradients (scatter-add into heap tables, then added to the
     * gradient block). Threads split the C columns, so a token id that repeats is summed by one thread in row
     * order: no races, deterministic.
     */
    public void backward(Parallel pool, int[] ids, int batch, int seqLen, Buf dx) {
        int n = dim;
        int rows = batch * seqLen;
        ensureTables(seqLen);
        double[] tok = tokens;
        double[] pos = positionRows;
        java.util.Arrays.fill(tok, 0, vocab * n, 0);
        java.util.Arrays.fill(pos, 0, seqLen * n, 0);
        int rowsPerTile = Tile.SIZE / n;
        pool.forRange(n, (c, i0, i1) -> {
            double[] d = Tile.local()[0];
            for (int r0 = 0; r0 < rows; r0 += rowsPerTile) {
                int k = Math.min(rowsPerTile, rows - r0);
                dx.get(r0 * n, d, 0, k * n);
                for (int j = 0; j < k; j++) {
                    int r = r0 + j;
                    int to = ids[r] * n;
                    int po = (r % seqLen) * n;
                    for (int i = i0; i < i1; i++) {
                        tok[to + i] += d[j * n + i];
                        pos[po + i] += d[j * n + i];
                    }
                }
            }
        });
        addInto(params.grads(), tokenTable.offset(), tok, vocab * n);
        addInto(params.grads(), positionTable.offset(), pos, seqLen * n);
    }

    private static void addInto(Buf g, int off, double[] v, int count) {
        double[] cur = Tile.local()[1];
        for (int s = 0; s < count; s += Tile.SIZE) {
            int len = Math.min(Tile.SIZE, count - s);
            g.get(off + s, cur, 0, len);
            for (int i = 0; i < len; i++) {
                cur[i] += v[s + i];
            }
            g.set(off + s, cur, 0, len);
        }
    }

    private void ensureTables(int seqLen) {
        if (tokens == null) {
            tokens = new double[vocab * dim];
        }
        if (positionRows == null || positionRows.length < seqLen * dim) {
            positionRows = new double[seqLen * dim];
        }
    }
}
