package org.lra.data.read;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lra.data.DataFormatException;
import org.lra.data.Fixtures;
import org.lra.data.Fixtures.CollectingSink;
import org.lra.data.Split;

class ImdbReaderTest {
    @TempDir
    Path dir;

    private Path aclImdb() throws Exception {
        Path root = dir.resolve("src");
        Path acl = root.resolve("aclImdb");
        Fixtures.write(acl.resolve("train/pos/1_9.txt"), "Great film é");
        Fixtures.write(acl.resolve("train/neg/0_2.txt"), "Bad");
        Fixtures.write(acl.resolve("train/neg/5_1.txt"), "Worse");
        Fixtures.write(acl.resolve("train/unsup/0_0.txt"), "ignored");
        Fixtures.write(acl.resolve("test/pos/2_8.txt"), "Fine");
        Fixtures.write(acl.resolve("test/neg/3_3.txt"), "Meh");
        Fixtures.write(acl.resolve("imdb.vocab"), "the\n");
        return root;
    }

    @Test
    void readsDirectoryAndArchiveIdentically() throws Exception {
        Path root = aclImdb();
        CollectingSink fromDir = new CollectingSink();
        SourceInfo dirInfo = new ImdbReader(1000, true, 0).read(root.resolve("aclImdb"), fromDir);
        CollectingSink fromArchive = new CollectingSink();
        SourceInfo archiveInfo = new ImdbReader(1000, true, 0).read(Fixtures.tarGz(root, dir.resolve("aclImdb_v1.tar.gz")), fromArchive);

        assertEquals(fromDir.examples, fromArchive.examples);
        assertEquals("directory", dirInfo.kind());
        assertEquals("archive", archiveInfo.kind());
        // Sorted by path: neg/0_2, neg/5_1, pos/1_9.
        assertEquals(3, fromDir.get(Split.TRAIN).size());
        assertEquals(0, fromDir.get(Split.TRAIN).get(0).label());
        assertArrayEquals(Fixtures.bytesPlusOne("Bad"), fromDir.get(Split.TRAIN).get(0).ids());
        assertEquals(1, fromDir.get(Split.TRAIN).get(2).label());
        assertArrayEquals(Fixtures.bytesPlusOne("Great film é"), fromDir.get(Split.TRAIN).get(2).ids(), "UTF-8 bytes + 1");
        assertEquals(fromDir.get(Split.TEST), fromDir.get(Split.VAL), "test doubles as validation");
    }

    @Test
    void truncatesAndCanHoldOutValidationFromTrain() throws Exception {
        Path root = aclImdb();
        for (int i = 0; i < 17; i++) {
            Fixtures.write(root.resolve("aclImdb/train/pos/1" + i + "_7.txt"), "review " + i);
        }
        CollectingSink sink = new CollectingSink();
        new ImdbReader(4, false, 0).read(root, sink);
        assertEquals(20 - 2, sink.get(Split.TRAIN).size());
        assertEquals(2, sink.get(Split.VAL).size());
        assertEquals(2, sink.get(Split.TEST).size());
        assertTrue(sink.get(Split.TRAIN).stream().allMatch(e -> e.ids().length <= 4));
        assertEquals(4, sink.get(Split.TEST).get(1).ids().length, "test sorted: neg/3_3 'Meh', pos/2_8 'Fine'");
    }

    @Test
    void missingSplitIsAnError() throws Exception {
        Path root = dir.resolve("only-train");
        Fixtures.write(root.resolve("aclImdb/train/pos/1_9.txt"), "x");
        var e = assertThrows(DataFormatException.class, () -> new ImdbReader(1000, true, 0).read(root, new CollectingSink()));
        assertTrue(e.getMessage().contains("no test reviews"), e.getMessage());
    }
}
