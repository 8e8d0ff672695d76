package org.lra.data.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.lra.data.Batch;
import org.lra.data.Example;
import org.lra.data.ExampleList;

class BatchingTest {

    /** Example i: ids [i+1] repeated (i % 5 + 1) times, label i % 2; the second tower holds 100+i. */
    static ExampleList data(int n, boolean dual) {
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int[] ids = new int[i % 5 + 1];
            Arrays.fill(ids, i + 1);
            examples.add(new Example(ids, dual ? new int[] {100 + i} : null, i % 2));
        }
        return new ExampleList(examples);
    }

    private static String snapshot(Batch b) {
        return Arrays.toString(b.ids()) + Arrays.toString(b.ids2()) + Arrays.toString(b.labels());
    }

    @Test
    void padsAndTruncatesToSeqLen() {
        Batcher batcher = new Batcher(data(10, true), 3);
        Batch batch = batcher.assemble(new int[] {0, 4}, 0, 2);
        assertArrayEquals(new int[] {1, 0, 0, 5, 5, 5}, batch.ids());
        assertArrayEquals(new int[] {100, 0, 0, 104, 0, 0}, batch.ids2());
        assertArrayEquals(new int[] {0, 0}, batch.labels());
        assertNull(new Batcher(data(3, false), 3).assemble(new int[] {0}, 0, 1).ids2());
    }

    @Test
    void trainStreamVisitsEveryExampleOncePerEpochAndReshuffles() {
        ExampleList data = data(12, false);
        TrainStream stream = new TrainStream(data, 4, 1, 7);
        List<Integer> epoch0 = new ArrayList<>();
        List<Integer> epoch1 = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            for (int id : stream.next().ids()) {
                epoch0.add(id);
            }
        }
        assertEquals(new TrainStream.State(7, 1, 0), stream.state());
        for (int k = 0; k < 3; k++) {
            for (int id : stream.next().ids()) {
                epoch1.add(id);
            }
        }
        assertEquals(12, new HashSet<>(epoch0).size());
        assertEquals(new HashSet<>(epoch0), new HashSet<>(epoch1));
        assertNotEquals(epoch0, epoch1, "a new order each epoch");
    }

    @Test
    void resumingFromStateReplaysTheIdenticalSequence() {
        ExampleList data = data(10, true);
        TrainStream uninterrupted = new TrainStream(data, 3, 4, 42);
        List<String> expected = new ArrayList<>();
        TrainStream.State saved = null;
        for (int k = 0; k < 20; k++) {
            if (k == 7) {
                saved = uninterrupted.state(); // mid-epoch: 21 examples into a 10-example split
            }
            expected.add(snapshot(uninterrupted.next()));
        }
        TrainStream resumed = new TrainStream(data, 3, 4, saved);
        for (int k = 7; k < 20; k++) {
            assertEquals(expected.get(k), snapshot(resumed.next()), "batch " + k);
        }
        TrainStream sameSeed = new TrainStream(data, 3, 4, 42);
        assertEquals(expected.get(0), snapshot(sameSeed.next()));
        assertNotEquals(expected.get(0) + expected.get(1), snapshot(new TrainStream(data, 3, 4, 43).next()) + snapshot(new TrainStream(data, 3, 4, 43).next()));
    }

    @Test
    void evalPassIsOrderedWithOptionalDropLast() {
        ExampleList data = data(7, false);
        List<Integer> sizes = new ArrayList<>();
        List<Integer> firsts = new ArrayList<>();
        for (Batch b : new EvalPass(data, 3, 2, false)) {
            sizes.add(b.size());
            firsts.add(b.ids()[0]);
        }
        assertEquals(List.of(3, 3, 1), sizes);
        assertEquals(List.of(1, 4, 7), firsts);
        EvalPass dropLast = new EvalPass(data, 3, 2, true);
        assertEquals(2, dropLast.numBatches());
        Set<Integer> seen = new HashSet<>();
        dropLast.forEach(b -> seen.add(b.size()));
        assertTrue(seen.equals(Set.of(3)));
    }
}
