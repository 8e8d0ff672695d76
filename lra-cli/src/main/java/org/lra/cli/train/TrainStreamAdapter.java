package org.lra.cli.train;

import org.lra.data.Batch;
import org.lra.data.SplitData;
import org.lra.data.batch.TrainStream;
import org.lra.model.train.BatchStream;

/** lra-data's shuffled endless stream as the loop's {@link BatchStream}; its state is "seed epoch cursor". */
final class TrainStreamAdapter implements BatchStream {
    private final SplitData data;
    private final int batchSize;
    private final int seqLen;
    private TrainStream stream;

    TrainStreamAdapter(SplitData data, int batchSize, int seqLen, long seed) {
        this.data = data;
        this.batchSize = batchSize;
        this.seqLen = seqLen;
        this.stream = new TrainStream(data, batchSize, seqLen, seed);
    }

    @Override
    public Batch next() {
        return stream.next();
    }

    @Override
    public String state() {
        TrainStream.State s = stream.state();
        return s.seed() + " " + s.epoch() + " " + s.cursor();
    }

    @Override
    public void restore(String state) {
        String[] f = state.trim().split(" ");
        stream = new TrainStream(data, batchSize, seqLen,
                new TrainStream.State(Long.parseLong(f[0]), Long.parseLong(f[1]), Integer.parseInt(f[2])));
    }
}
