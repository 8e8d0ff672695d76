package org.lra.data.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lra.data.DataFormatException;
import org.lra.data.DataSettings;
import org.lra.data.Example;
import org.lra.data.Fixtures;
import org.lra.data.Split;
import org.lra.data.Task;
import org.lra.data.cache.CachedDataset;

class ImporterTest {
    @TempDir
    Path tmp;

    /** A nested release with ListOps, AAN and Pathfinder 32 hard, plus aclImdb and CIFAR archives next to it. */
    Path release() throws Exception {
        Path inner = tmp.resolve("lra_release/lra_release");
        Fixtures.write(inner.resolve("listops-1000/basic_train.tsv"), "Source\tTarget\n( [MAX 2 9 ) ]\t9\n[MIN 4 5 ]\t4\n");
        Fixtures.write(inner.resolve("listops-1000/basic_val.tsv"), "Source\tTarget\n[SM 4 5 ]\t9\n");
        Fixtures.write(inner.resolve("listops-1000/basic_test.tsv"), "Source\tTarget\n[MED 1 2 3 ]\t2\n");
        Fixtures.write(inner.resolve("tsv_data/new_aan_pairs.train.tsv"), "1.0\ta\tb\tHello\tWorld\n");
        Fixtures.write(inner.resolve("tsv_data/new_aan_pairs.eval.tsv"), "0.0\ta\tb\tx\ty\n");
        Fixtures.write(inner.resolve("tsv_data/new_aan_pairs.test.tsv"), "1.0\ta\tb\tp\tq\n");
        Path pf = inner.resolve("pathfinder32/curv_contour_length_14");
        StringBuilder meta = new StringBuilder();
        for (int k = 0; k < 10; k++) {
            Fixtures.write(pf.resolve("imgs/0/sample_" + k + ".png"), Fixtures.png(32, new int[1024]));
            meta.append("imgs/0 sample_").append(k).append(".png ").append(k).append(' ').append(k % 2).append('\n');
        }
        Fixtures.write(pf.resolve("imgs/0/sample_10.png"), new byte[0]);
        meta.append("imgs/0 sample_10.png 10 1\n");
        Fixtures.write(pf.resolve("metadata/0.npy"), meta.toString());

        Path acl = tmp.resolve("acl");
        Fixtures.write(acl.resolve("aclImdb/train/pos/0_9.txt"), "good");
        Fixtures.write(acl.resolve("aclImdb/test/neg/0_1.txt"), "bad");
        Fixtures.tarGz(acl, tmp.resolve("lra_release/aclImdb_v1.tar.gz"));
        return tmp.resolve("lra_release");
    }

    @Test
    void importsAListOpsCacheAndSkipsWhenUpToDate() throws Exception {
        Path root = release();
        Path dataDir = tmp.resolve("data");
        Importer importer = new Importer(dataDir);
        ImportSummary first = importer.importTask(Task.LISTOPS, root, DataSettings.defaults(), false);
        assertFalse(first.upToDate());
        assertEquals(2L, first.counts().get(Split.TRAIN));
        CachedDataset listops = CachedDataset.open(dataDir, "listops", DataSettings.defaults().cacheKey(Task.LISTOPS));
        assertEquals(Example.single(new int[] {12, 3, 10, 15}, 9), listops.split(Split.TRAIN).example(0));
        assertEquals(first.sourceSha256(), listops.manifest().get("source.sha256"));

        assertTrue(importer.importTask(Task.LISTOPS, root, DataSettings.defaults(), false).upToDate());
        assertFalse(importer.importTask(Task.LISTOPS, root, DataSettings.defaults(), true).upToDate(), "--force re-imports");
        DataSettings changed = DataSettings.defaults().withMaxLength(2);
        var refused = assertThrows(DataFormatException.class, () -> importer.importTask(Task.LISTOPS, root, changed, false));
        assertTrue(refused.getMessage().contains("add --force to replace it"), "a stale cache is replaced only with --force");
        ImportSummary shorter = importer.importTask(Task.LISTOPS, root, changed, true);
        assertFalse(shorter.upToDate(), "changed settings invalidate the cache");
        assertEquals(2, CachedDataset.open(dataDir, "listops").split(Split.TRAIN).length(0, 0));
        assertThrows(DataFormatException.class, () -> CachedDataset.open(dataDir, "listops", DataSettings.defaults().cacheKey(Task.LISTOPS)));
    }

    @Test
    void aFailedImportLeavesThePreviousCacheIntact() throws Exception {
        Path root = release();
        Path dataDir = tmp.resolve("data");
        Importer importer = new Importer(dataDir);
        importer.importTask(Task.LISTOPS, root, DataSettings.defaults(), false);
        Fixtures.write(root.resolve("lra_release/listops-1000/basic_test.tsv"), "Source\tTarget\n[MED 1 2 3 ]\ttwo\n");

        var e = assertThrows(DataFormatException.class, () -> importer.importTask(Task.LISTOPS, root, DataSettings.defaults(), true));
        assertTrue(e.getMessage().contains("basic_test.tsv:2"), e.getMessage());
        CachedDataset kept = CachedDataset.open(dataDir, "listops", DataSettings.defaults().cacheKey(Task.LISTOPS));
        assertEquals(1, kept.split(Split.TEST).size());
        assertTrue(kept.verifyChecksums().isEmpty());
        try (Stream<Path> list = Files.list(dataDir)) {
            // the cache, and the name's lock file (kept: see DatasetLock), nothing else
            assertEquals(List.of(".listops.lock", "listops"), list.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void importsEverythingFoundInARelease() throws Exception {
        Path root = release();
        Path dataDir = tmp.resolve("data");
        List<String> missing = new ArrayList<>();
        List<ImportSummary> done = new Importer(dataDir).importAll(root, DataSettings.defaults(), new int[] {32, 128}, false, missing);
        assertEquals(List.of("listops", "text", "retrieval", "pathfinder32-hard"), done.stream().map(ImportSummary::name).toList());
        assertEquals(List.of("image", "pathfinder128-hard"), missing);

        ImportSummary pathfinder = done.get(3);
        assertEquals(1, pathfinder.skipped().size(), "the 0-byte PNG");
        assertEquals(8L + 1 + 1, pathfinder.counts().values().stream().mapToLong(Long::longValue).sum());
        CachedDataset pf = CachedDataset.open(dataDir, "pathfinder32-hard");
        assertEquals("1", pf.manifest().get("skipped.count"));
        assertEquals(1024, pf.split(Split.TRAIN).length(0, 0));

        CachedDataset text = CachedDataset.open(dataDir, "text");
        assertEquals(text.split(Split.TEST).example(0), text.split(Split.VAL).example(0));
        assertEquals("archive", text.manifest().get("source.kind"));
        CachedDataset retrieval = CachedDataset.open(dataDir, "retrieval");
        assertEquals(Example.pair(Fixtures.bytesPlusOne("Hello"), Fixtures.bytesPlusOne("World"), 1), retrieval.split(Split.TRAIN).example(0));
    }
}
