package org.lra.model.attention;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.lra.model.nn.StepContext;

/**
 * The per-thread scratch of an attention that works one (batch, head) pair at a time, and the loop that splits
 * the B·H pairs over the engine's pool and hands each pair its thread's scratch.
 *
 * <p>Why the two go together: a pair's scratch (features, score tiles, gathered rows) is large, so it is made
 * once per thread and per shape, not per pair or per call; and it is safe only because a thread only ever
 * touches its own. The pool's chunks are fixed ranges of pairs, so which thread computes a pair never changes
 * a number.
 *
 * @param <W> one thread's scratch
 */
final class HeadWorkers<W> {
    /** One (batch, head) pair's work: bh = b·H + h, with the calling thread's scratch. */
    @FunctionalInterface
    interface HeadBody<W> {
        void run(W scratch, int bh);
    }

    private final List<W> perThread = new ArrayList<>();
    private Object sizes;

    /**
     * Makes one scratch per thread with {@code make}, unless scratch for at least {@code threads} threads made
     * for equal {@code sizes} (what the scratch's lengths depend on, and the precision) is already here.
     */
    void ensure(int threads, Object sizes, Supplier<W> make) {
        if (perThread.size() >= threads && sizes.equals(this.sizes)) {
            return;
        }
        perThread.clear();
        for (int t = 0; t < threads; t++) {
            perThread.add(make.get());
        }
        this.sizes = sizes;
    }

    /** body(scratch of this thread, bh) for every bh in [0, B·H), split over the pool. */
    void forEachHead(StepContext ctx, AttentionShape shape, HeadBody<W> body) {
        ctx.pool().forRange(shape.batch() * shape.heads(), (chunk, from, to) -> {
            W scratch = perThread.get(chunk);
            for (int bh = from; bh < to; bh++) {
                body.run(scratch, bh);
            }
        });
    }
}
