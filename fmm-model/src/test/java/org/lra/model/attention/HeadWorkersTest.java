package org.lra.model.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.lra.model.nn.StepContext;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Precision;

class HeadWorkersTest {

    /** Scratch that remembers which pairs it was handed and on which thread. */
    private static final class Scratch {
        final List<Integer> pairs = Collections.synchronizedList(new ArrayList<>());
        final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    }

    @Test
    void everyPairRunsOnceWithItsThreadsOwnScratch() {
        AttentionShape shape = new AttentionShape(3, 4, 5, 2); // 15 pairs over 4 threads: uneven chunks
        List<Scratch> made = new ArrayList<>();
        HeadWorkers<Scratch> workers = new HeadWorkers<>();
        workers.ensure(4, List.of(shape, Precision.FLOAT32), () -> remember(made, new Scratch()));
        try (Parallel pool = new Parallel(4)) {
            workers.forEachHead(new StepContext(pool, true, 0, 0), shape, (s, bh) -> {
                s.pairs.add(bh);
                s.threads.add(Thread.currentThread());
            });
        }
        assertEquals(4, made.size());
        int[] seen = new int[15];
        for (Scratch s : made) {
            assertEquals(1, s.threads.size(), "each thread's chunk has its scratch, touched by that thread only");
            for (int bh : s.pairs) {
                seen[bh]++;
            }
        }
        int[] once = new int[15];
        Arrays.fill(once, 1);
        assertArrayEquals(once, seen);
    }

    @Test
    void scratchIsRemadeOnlyForOtherSizesOrMoreThreads() {
        AttentionShape shape = new AttentionShape(2, 8, 2, 4);
        List<Object> made = new ArrayList<>();
        Supplier<Object> make = () -> remember(made, new Object());
        HeadWorkers<Object> workers = new HeadWorkers<>();
        workers.ensure(2, List.of(shape, Precision.FLOAT32), make);
        assertEquals(2, made.size());
        workers.ensure(2, List.of(new AttentionShape(2, 8, 2, 4), Precision.FLOAT32), make); // equal by value
        workers.ensure(1, List.of(shape, Precision.FLOAT32), make);                         // fewer threads
        assertEquals(2, made.size(), "kept");
        workers.ensure(3, List.of(shape, Precision.FLOAT32), make);
        assertEquals(5, made.size(), "more threads: made anew");
        workers.ensure(3, List.of(shape, Precision.FLOAT64), make);
        assertEquals(8, made.size(), "another precision: made anew");
    }

    private static <T> T remember(List<? super T> made, T scratch) {
        made.add(scratch);
        return scratch;
    }

    @Test
    void loadHeadPackedScalesMaskedRowsOfOneHead() {
        // [B*T, H*D] = [2*3, 2*2]; head bh = 3 is sequence 1, head 1: columns 2..3 of rows 3..5
        AttentionShape shape = new AttentionShape(2, 3, 2, 2);
        Buf x = Buf.zeros(Precision.FLOAT64, shape.rows() * shape.width());
        for (int i = 0; i < shape.rows() * shape.width(); i++) {
            x.set(i, i);
        }
        double[] dst = new double[6];
        HeadIO.loadHeadPacked(x, shape.headOffset(3), shape.width(), 3, 2, 0.5, new double[] {1, 0, 1}, dst);
        assertArrayEquals(new double[] {7, 7.5, 0, 0, 11, 11.5}, dst);
        HeadIO.loadHeadPacked(x, shape.headOffset(3), shape.width(), 3, 2, 0.5, null, dst);
        assertArrayEquals(new double[] {14, 15, 18, 19, 22, 23}, dst, "no mask: a plain copy");
    }
}
