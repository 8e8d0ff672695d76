package org.lra.data.read;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lra.data.DataFormatException;
import org.lra.data.Example;
import org.lra.data.Fixtures;
import org.lra.data.Fixtures.CollectingSink;
import org.lra.data.Split;

class PathfinderReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsPixelsLabelsAndSplitsEightyTenTen() throws Exception {
        Path d = ReleaseFixtures.pathfinder(dir, 32, 10);
        CollectingSink sink = new CollectingSink();
        new PathfinderReader(0, 32).read(d, sink);
        assertEquals(16, sink.get(Split.TRAIN).size());
        assertEquals(2, sink.get(Split.VAL).size());
        assertEquals(2, sink.get(Split.TEST).size());
        List<Example> all = new ArrayList<>();
        sink.examples.values().forEach(all::addAll);
        for (Example e : all) {
            assertEquals(1024, e.ids().length);
            assertEquals(e.ids()[0] % 2, e.label(), "label from field 3 of the metadata line");
        }
        assertTrue(all.stream().anyMatch(e -> e.ids()[0] == 0), "pixel value 0 is kept raw");

        CollectingSink again = new CollectingSink();
        new PathfinderReader(0, 32).read(d, again);
        assertEquals(sink.examples, again.examples, "same seed, same split");
        CollectingSink otherSeed = new CollectingSink();
        new PathfinderReader(1, 32).read(d, otherSeed);
        assertNotEquals(sink.get(Split.TEST), otherSeed.get(Split.TEST));
    }

    @Test
    void readsPathXResolution() throws Exception {
        Path d = ReleaseFixtures.pathfinder(dir, 128, 1);
        CollectingSink sink = new CollectingSink();
        new PathfinderReader(0, 0).read(d, sink);
        Example e = sink.get(Split.TEST).isEmpty() ? sink.get(Split.TRAIN).get(0) : sink.get(Split.TEST).get(0);
        assertEquals(16384, e.ids().length);
    }

    @Test
    void skipsEmptyPngsAndRejectsBadOnes() throws Exception {
        Path d = ReleaseFixtures.pathfinder(dir, 32, 5);
        Fixtures.write(d.resolve("imgs/0/sample_2.png"), new byte[0]);
        CollectingSink sink = new CollectingSink();
        new PathfinderReader(0, 32).read(d, sink);
        assertEquals(1, sink.skipped.size());
        assertTrue(sink.skipped.get(0).contains("sample_2.png"));
        assertEquals(9, sink.examples.values().stream().mapToInt(List::size).sum());

        Fixtures.write(d.resolve("imgs/1/sample_3.png"), "GIF89a not a png");
        var e = assertThrows(DataFormatException.class, () -> new PathfinderReader(0, 32).read(d, new CollectingSink()));
        assertTrue(e.getMessage().contains("sample_3.png") && e.getMessage().contains("not a PNG"), e.getMessage());

        byte[] truncated = java.util.Arrays.copyOf(Fixtures.png(32, new int[1024]), 30);
        Fixtures.write(d.resolve("imgs/1/sample_3.png"), truncated);
        e = assertThrows(DataFormatException.class, () -> new PathfinderReader(0, 32).read(d, new CollectingSink()));
        assertTrue(e.getMessage().contains("sample_3.png") && e.getMessage().contains("corrupt PNG"), e.getMessage());

        Fixtures.write(d.resolve("imgs/1/sample_3.png"), Fixtures.png(16, new int[256]));
        e = assertThrows(DataFormatException.class, () -> new PathfinderReader(0, 32).read(d, new CollectingSink()));
        assertTrue(e.getMessage().contains("sample_3.png") && e.getMessage().contains("expected 32x32"), e.getMessage());
    }

    @Test
    void badMetadataNamesFileAndLine() throws Exception {
        Path d = ReleaseFixtures.pathfinder(dir, 32, 2);
        Fixtures.write(d.resolve("metadata/1.npy"), "imgs/1 sample_0.png 0 1\nimgs/1 sample_1.png 1 x\n");
        var e = assertThrows(DataFormatException.class, () -> new PathfinderReader(0, 32).read(d, new CollectingSink()));
        assertTrue(e.getMessage().contains("1.npy:2") && e.getMessage().contains("not a number"), e.getMessage());

        Fixtures.write(d.resolve("metadata/1.npy"), "imgs/1 sample_9.png 0 1\n");
        e = assertThrows(DataFormatException.class, () -> new PathfinderReader(0, 32).read(d, new CollectingSink()));
        assertTrue(e.getMessage().contains("sample_9.png") && e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void seededSplitIsExactlyEightyTenTen() {
        int[] part = SeededSplit.eightyTenTen(200_000, 0);
        int[] counts = new int[3];
        for (int p : part) {
            counts[p]++;
        }
        assertArrayEquals(new int[] {160_000, 20_000, 20_000}, counts);
    }
}
