package org.lra.data.inspect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lra.data.Batch;
import org.lra.data.DataSettings;
import org.lra.data.Example;
import org.lra.data.Split;
import org.lra.data.Task;
import org.lra.data.cache.CacheWriter;
import org.lra.data.cache.CachedDataset;
import org.lra.data.inspect.DataVerify.Status;

class InspectTest {
    @TempDir
    Path dataDir;

    private void importRetrieval() throws Exception {
        try (CacheWriter w = CacheWriter.begin(dataDir, "retrieval", Task.RETRIEVAL, DataSettings.defaults().cacheKey(Task.RETRIEVAL))) {
            w.add(Split.TRAIN, Example.pair(new int[] {1, 2, 3}, new int[] {4}, 1));
            w.add(Split.TRAIN, Example.pair(new int[] {5}, new int[] {6, 7}, 0));
            w.add(Split.TEST, Example.pair(new int[] {9}, new int[] {}, 1));
            w.commit(Map.of("source.path", "/x/tsv_data", "source.sha256", "ab\"c"));
        }
    }

    @Test
    void infoSummarisesEachSplit() throws Exception {
        importRetrieval();
        DataInfo info = DataInfo.of(CachedDataset.open(dataDir, "retrieval"));
        DataInfo.SplitInfo train = info.splits().get(0);
        assertEquals(2, train.count());
        assertEquals(1, train.labelCounts()[0]);
        assertEquals(new DataInfo.LengthStats(1, 2.0, 3), train.lengths().get(0));
        assertEquals(new DataInfo.LengthStats(1, 1.5, 2), train.lengths().get(1));
        assertTrue(info.toText().contains("train       2 examples"), info.toText());
        String json = info.toJson();
        assertTrue(json.contains("\"sourceSha256\":\"ab\\\"c\"") && json.contains("\"lengths\":[{\"min\":1,\"mean\":2.000,\"max\":3}"), json);
    }

    @Test
    void exportWritesOneLinePerExample() throws Exception {
        importRetrieval();
        StringWriter out = new StringWriter();
        long n = DataExport.export(CachedDataset.open(dataDir, "retrieval").split(Split.TRAIN), out, 5);
        assertEquals(2, n);
        assertEquals("1\t1 2 3\t4\n0\t5\t6 7\n", out.toString());
        StringWriter one = new StringWriter();
        DataExport.export(CachedDataset.open(dataDir, "retrieval").split(Split.TEST), one, 1);
        assertEquals("1\t9\t\n", one.toString());
    }

    @Test
    void exportedLinesReadBackAsAPaddedBatch() {
        Batch b = DataExport.batch(List.of("3\t1 2 3", "7\t4 5 6 7 8"), 4);
        assertEquals(2, b.size());
        assertArrayEquals(new int[] {3, 7}, b.labels());
        assertArrayEquals(new int[] {1, 2, 3, 0, 4, 5, 6, 7}, b.ids(), "padded with 0, cut to seqLen");
    }

    @Test
    void verifySaysWhatIsMissingStaleOrCorruptAndHowToFixIt() throws Exception {
        importRetrieval();
        List<DataVerify.Check> checks = DataVerify.verify(dataDir, DataSettings.defaults(), true);
        assertEquals(List.of("listops", "text", "retrieval", "image", "pathfinder32-hard", "pathfinder128-hard"),
                checks.stream().map(DataVerify.Check::name).toList());
        DataVerify.Check retrieval = checks.get(2);
        assertEquals(Status.PRESENT, retrieval.status(), retrieval.detail());
        DataVerify.Check listops = checks.get(0);
        assertEquals(Status.MISSING, listops.status());
        assertTrue(listops.fix().contains("lra data generate listops --data-dir " + dataDir), listops.fix().toString());
        assertTrue(checks.get(4).fix().get(0).contains("lra data import pathfinder --from " + dataDir.resolve("downloads/lra_release")
                + " --resolution 32 --difficulty hard --seed 0"), checks.get(4).fix().toString());

        DataVerify.Check stale = DataVerify.check(dataDir, Task.RETRIEVAL, DataSettings.defaults().withMaxLength(1000), false);
        assertEquals(Status.STALE, stale.status());
        assertTrue(stale.fix().get(0).contains("lra data import retrieval --from") && stale.fix().get(0).contains("--max-length 1000"), stale.fix().toString());

        Path ids = dataDir.resolve("retrieval/train.ids0");
        byte[] bytes = Files.readAllBytes(ids);
        bytes[0] ^= 1;
        Files.write(ids, bytes);
        assertEquals(Status.PRESENT, DataVerify.check(dataDir, Task.RETRIEVAL, DataSettings.defaults(), false).status(), "sizes alone still match");
        DataVerify.Check corrupt = DataVerify.check(dataDir, Task.RETRIEVAL, DataSettings.defaults(), true);
        assertEquals(Status.CORRUPT, corrupt.status());
        assertTrue(corrupt.detail().contains("train.ids0"), corrupt.detail());
        Files.delete(dataDir.resolve("retrieval/manifest.properties"));
        assertEquals(Status.CORRUPT, DataVerify.check(dataDir, Task.RETRIEVAL, DataSettings.defaults(), false).status());
    }

    /** A custom dataset (any --name) is verified too, a flipped bit found with --deep; leftovers are listed. */
    @Test
    void everyCacheInTheDataDirIsVerifiedAndLeftoversListed() throws Exception {
        Path tsv = dataDir.resolveSibling(dataDir.getFileName() + "-tsv");
        new org.lra.data.generate.ListOpsGenerator().generate(tsv, org.lra.data.generate.ListOpsGenerator.Options
                .defaults().withSplits(30, 5, 5).withLengths(5, 32).withThreads(1));
        new org.lra.data.ingest.Importer(dataDir).importTask(Task.LISTOPS, tsv,
                DataSettings.defaults().withMaxLength(32).withName("listops-mine"), true);
        Files.createDirectories(dataDir.resolve(".listops-mine.importing-42"));

        List<DataVerify.Check> all = DataVerify.verify(dataDir, DataSettings.defaults(), true);
        assertEquals(List.of("listops", "text", "retrieval", "image", "pathfinder32-hard", "pathfinder128-hard",
                "listops-mine", ".listops-mine.importing-42"), all.stream().map(DataVerify.Check::name).toList());
        assertEquals(Status.PRESENT, all.get(6).status(), all.get(6).detail());
        assertEquals(Status.LEFTOVER, all.get(7).status());
        assertTrue(all.get(7).detail().contains("import of 'listops-mine'"), all.get(7).detail());

        Path ids = dataDir.resolve("listops-mine/train.ids0");
        byte[] bytes = Files.readAllBytes(ids);
        bytes[bytes.length / 2] ^= 1;
        Files.write(ids, bytes);
        List<DataVerify.Check> named = DataVerify.verifyNamed(dataDir, DataSettings.defaults(),
                List.of("listops-mine", "nope"), true);
        assertEquals(Status.CORRUPT, named.get(0).status());
        assertTrue(named.get(0).detail().contains("train.ids0"), named.get(0).detail());
        assertEquals("lra data import listops --from " + tsv.toAbsolutePath() + " --name listops-mine --max-length 32"
                + " --data-dir " + dataDir + " --force", named.get(0).fix().get(0));
        assertEquals(Status.MISSING, named.get(1).status());
    }
}
