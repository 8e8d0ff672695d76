package org.lra.data.batch;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.lra.data.Batch;
import org.lra.data.SplitData;

/**
 * One ordered pass over a split for evaluation: examples 0, 1, 2, ... in batches of {@code batchSize}.
 * With {@code dropLast} the final partial batch is left out (the reference harness's test loader);
 * otherwise it comes out smaller. Each batch is valid until the next one is taken.
 */
public final class EvalPass implements Iterable<Batch> {
    private final SplitData data;
    private final int batchSize;
    private final int seqLen;
    private final boolean dropLast;

    public EvalPass(SplitData data, int batchSize, int seqLen, boolean dropLast) {
        this.data = data;
        this.batchSize = batchSize;
        this.seqLen = seqLen;
        this.dropLast = dropLast;
    }

    public int numBatches() {
        return dropLast ? data.size() / batchSize : (data.size() + batchSize - 1) / batchSize;
    }

    @Override
    public Iterator<Batch> iterator() {
        Batcher batcher = new Batcher(data, seqLen);
        int[] indices = new int[batchSize];
        return new Iterator<>() {
            int batch;

            @Override
            public boolean hasNext() {
                return batch < numBatches();
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int first = batch * batchSize;
                int count = Math.min(batchSize, data.size() - first);
                for (int b = 0; b < count; b++) {
                    indices[b] = first + b;
                }
                batch++;
                return batcher.assemble(indices, 0, count);
            }
        };
    }
}
