package org.lra.data.batch;

import org.lra.data.Batch;
import org.lra.data.SplitData;
import org.lra.data.read.SeededSplit;

/**
 * The endless training stream of the reference harness: walk the split in a shuffled order, batch
 * after batch; at the end of an epoch draw a new order and go on (a batch may span two epochs).
 *
 * <p>Deterministic: epoch {@code e}'s order is {@link SeededSplit#permutation} with a seed derived
 * from ({@code seed}, {@code e}) alone. So the position {@link #state()} = (seed, epoch, cursor) is
 * all a checkpoint needs: a stream rebuilt from it yields exactly the batches the uninterrupted
 * stream would have.
 */
public final class TrainStream {

    /** Where a stream is: the next batch starts at position {@code cursor} of epoch {@code epoch}'s order. */
    public record State(long seed, long epoch, int cursor) {
    }

    private final SplitData data;
    private final int batchSize;
    private final Batcher batcher;
    private final long seed;
    private final int[] picked;
    private long epoch;
    private int cursor;
    private int[] order;

    public TrainStream(SplitData data, int batchSize, int seqLen, long seed) {
        this(data, batchSize, seqLen, new State(seed, 0, 0));
    }

    /** Resumes a stream at a saved {@link #state()}. */
    public TrainStream(SplitData data, int batchSize, int seqLen, State state) {
        if (data.size() == 0) {
            throw new IllegalArgumentException("cannot stream batches from an empty split");
        }
        if (state.cursor() < 0 || state.cursor() >= data.size()) {
            throw new IllegalArgumentException("cursor " + state.cursor() + " outside a split of " + data.size());
        }
        this.data = data;
        this.batchSize = batchSize;
        this.batcher = new Batcher(data, seqLen);
        this.seed = state.seed();
        this.epoch = state.epoch();
        this.cursor = state.cursor();
        this.picked = new int[batchSize];
        this.order = orderOf(epoch);
    }

    /** The next batch; valid until the next call. */
    public Batch next() {
        for (int b = 0; b < batchSize; b++) {
            picked[b] = order[cursor++];
            if (cursor == order.length) {
                epoch++;
                cursor = 0;
                order = orderOf(epoch);
            }
        }
        return batcher.assemble(picked, 0, batchSize);
    }

    public State state() {
        return new State(seed, epoch, cursor);
    }

    private int[] orderOf(long epoch) {
        return SeededSplit.permutation(data.size(), mix(seed, epoch));
    }

    /** SplitMix64 finaliser of (seed, epoch): unrelated seeds for neighbouring epochs. */
    static long mix(long seed, long epoch) {
        long z = seed + 0x9E3779B97F4A7C15L * (epoch + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
