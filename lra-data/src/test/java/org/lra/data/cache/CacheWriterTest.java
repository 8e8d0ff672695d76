package org.lra.data.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lra.data.DataFormatException;
import org.lra.data.DataSettings;
import org.lra.data.Example;
import org.lra.data.Split;
import org.lra.data.SplitData;
import org.lra.data.Task;

class CacheWriterTest {
    @TempDir
    Path dataDir;

    private static final List<Example> PAIRS = List.of(
            Example.pair(new int[] {1, 256, 3}, new int[] {7}, 1),
            Example.pair(new int[] {}, new int[] {200, 201, 202, 203, 204}, 0),
            Example.pair(new int[] {5, 6}, new int[] {9, 9}, 1));

    private Path writeRetrieval(DataSettings settings, List<Example> train) throws IOException {
        try (CacheWriter writer = CacheWriter.begin(dataDir, "retrieval", Task.RETRIEVAL, settings.cacheKey(Task.RETRIEVAL))) {
            for (Example e : train) {
                writer.add(Split.TRAIN, e);
            }
            writer.add(Split.TEST, PAIRS.get(0));
            return writer.commit(Map.of("source.path", "C:\\data\\tsv_data with = and #"));
        }
    }

    @Test
    void roundTripsExamplesThroughTheMappedCache() throws IOException {
        writeRetrieval(DataSettings.defaults(), PAIRS);
        CachedDataset dataset = CachedDataset.open(dataDir, "retrieval", DataSettings.defaults().cacheKey(Task.RETRIEVAL));
        assertEquals(Task.RETRIEVAL, dataset.task());
        SplitData train = dataset.split(Split.TRAIN);
        assertEquals(3, train.size());
        assertTrue(train.dual());
        for (int i = 0; i < PAIRS.size(); i++) {
            assertEquals(PAIRS.get(i), train.example(i));
        }
        assertEquals(0, dataset.split(Split.VAL).size());
        assertEquals(1, dataset.split(Split.TEST).size());
        assertEquals("2", dataset.manifest().get("tokenWidth"), "byte ids reach 256: two bytes each");
        assertEquals("C:\\data\\tsv_data with = and #", dataset.manifest().get("source.path"));

        int[] padded = new int[6];
        java.util.Arrays.fill(padded, -1);
        train.copyIds(1, 1, padded, 1, 4);
        assertArrayEquals(new int[] {-1, 200, 201, 202, 203, -1}, padded, "truncated to maxLen");
        train.copyIds(0, 0, padded, 0, 5);
        assertArrayEquals(new int[] {1, 256, 3, 0, 0, -1}, padded, "padded with 0 up to maxLen");
        assertTrue(dataset.verifyChecksums().isEmpty());
    }

    @Test
    void pixelTasksUseOneBytePerToken() throws IOException {
        try (CacheWriter writer = CacheWriter.begin(dataDir, "image", Task.IMAGE, DataSettings.defaults().cacheKey(Task.IMAGE))) {
            writer.add(Split.TRAIN, Example.single(new int[] {0, 255, 17}, 9));
            writer.commit(Map.of());
        }
        CachedDataset dataset = CachedDataset.open(dataDir, "image");
        assertEquals(Example.single(new int[] {0, 255, 17}, 9), dataset.split(Split.TRAIN).example(0));
        assertEquals(3, Files.size(dataDir.resolve("image/train.ids0")));
        assertThrows(IllegalArgumentException.class, () -> {
            try (CacheWriter w = CacheWriter.begin(dataDir, "image", Task.IMAGE, DataSettings.defaults().cacheKey(Task.IMAGE))) {
                w.add(Split.TRAIN, Example.single(new int[] {256}, 0));
            }
        });
    }

    @Test
    void changedSettingsMakeTheCacheStale() throws IOException {
        writeRetrieval(DataSettings.defaults(), PAIRS);
        var e = assertThrows(DataFormatException.class,
                () -> CachedDataset.open(dataDir, "retrieval", DataSettings.defaults().withMaxLength(1000).cacheKey(Task.RETRIEVAL)));
        assertTrue(e.getMessage().contains("maxLength: cache has 4000, wanted 1000"), e.getMessage());
    }

    @Test
    void anAbandonedWriteLeavesThePreviousCacheIntact() throws IOException {
        writeRetrieval(DataSettings.defaults(), PAIRS);
        try (CacheWriter writer = CacheWriter.begin(dataDir, "retrieval", Task.RETRIEVAL, DataSettings.defaults().cacheKey(Task.RETRIEVAL))) {
            writer.add(Split.TRAIN, PAIRS.get(1));
            // no commit: as if the reader had thrown
        }
        CachedDataset dataset = CachedDataset.open(dataDir, "retrieval");
        assertEquals(3, dataset.split(Split.TRAIN).size());
        assertTrue(dataset.verifyChecksums().isEmpty());
        try (Stream<Path> list = Files.list(dataDir)) {
            assertEquals(List.of("retrieval"), list.map(p -> p.getFileName().toString()).toList(), "no temporary directories left");
        }
        // Re-import replaces it.
        writeRetrieval(DataSettings.defaults(), PAIRS.subList(0, 1));
        assertEquals(1, CachedDataset.open(dataDir, "retrieval").split(Split.TRAIN).size());
    }

    @Test
    void corruptionIsDetected() throws IOException {
        Path dir = writeRetrieval(DataSettings.defaults(), PAIRS);
        byte[] ids = Files.readAllBytes(dir.resolve("train.ids0"));
        ids[2] ^= 1;
        Files.write(dir.resolve("train.ids0"), ids);
        List<String> problems = CachedDataset.open(dataDir, "retrieval").verifyChecksums();
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).contains("train.ids0"), problems.toString());

        Files.write(dir.resolve("train.labels"), new byte[] {1}, StandardOpenOption.APPEND);
        var e = assertThrows(DataFormatException.class, () -> CachedDataset.open(dataDir, "retrieval"));
        assertTrue(e.getMessage().contains("train.labels") && e.getMessage().contains("corrupt"), e.getMessage());
        assertFalse(Files.exists(dataDir.resolve("nothing")));
    }

    @Test
    void mappedReadsCrossChunkBoundaries() throws IOException {
        Path file = dataDir.resolve("shorts");
        byte[] bytes = new byte[2 * 100];
        for (int i = 0; i < 100; i++) {
            bytes[2 * i] = (byte) (i * 3);
            bytes[2 * i + 1] = (byte) (i % 2);
        }
        Files.write(file, bytes);
        MappedFile mapped = new MappedFile(file, 2, 4); // 16-byte chunks = 8 shorts each
        int[] dst = new int[30];
        mapped.copy(5, 30, dst, 0);
        for (int k = 0; k < 30; k++) {
            int i = 5 + k;
            assertEquals(((i * 3) & 0xFF) | ((i % 2) << 8), dst[k]);
        }
    }
}
