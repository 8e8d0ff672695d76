package org.lra.data.read;

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

class CifarReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsGrayPixelsAndSplitsTrainNinetyTen() throws Exception {
        Path bin = ReleaseFixtures.cifarBatches(dir.resolve("src"), 4);
        CollectingSink sink = new CollectingSink();
        new CifarReader().read(bin, sink);
        assertEquals(18, sink.get(Split.TRAIN).size(), "90% of 20");
        assertEquals(2, sink.get(Split.VAL).size());
        assertEquals(3, sink.get(Split.TEST).size());
        var first = sink.get(Split.TRAIN).get(0);
        assertEquals(1024, first.ids().length);
        assertEquals(76, first.ids()[0]);
        assertEquals(93, first.ids()[1]);
        assertEquals(0, first.ids()[2], "black stays 0: pixels are raw values");
        var third = sink.get(Split.TRAIN).get(2);
        assertEquals(2, third.label());
        assertEquals(RgbToGray.gray(2, 2, 2), third.ids()[1023]);
        // val = the last records of data_batch_5 in file order: its records 2 and 3.
        assertEquals(3, sink.get(Split.VAL).get(1).label());
    }

    @Test
    void readsTheArchiveLikeTheDirectory() throws Exception {
        Path src = dir.resolve("src");
        Path bin = ReleaseFixtures.cifarBatches(src, 2);
        CollectingSink fromDir = new CollectingSink();
        new CifarReader().read(bin, fromDir);
        CollectingSink fromArchive = new CollectingSink();
        new CifarReader().read(Fixtures.tarGz(src, dir.resolve("cifar-10-binary.tar.gz")), fromArchive);
        assertEquals(fromDir.examples, fromArchive.examples);
    }

    @Test
    void truncatedFileAndBadLabelAreNamed() throws Exception {
        Path bin = ReleaseFixtures.cifarBatches(dir.resolve("src"), 2);
        Fixtures.write(bin.resolve("data_batch_3.bin"), java.util.Arrays.copyOf(ReleaseFixtures.cifarRecords(2), 5000));
        var e = assertThrows(DataFormatException.class, () -> new CifarReader().read(bin, new CollectingSink()));
        assertTrue(e.getMessage().contains("data_batch_3.bin") && e.getMessage().contains("truncated"), e.getMessage());

        byte[] bad = ReleaseFixtures.cifarRecords(2);
        bad[CifarReader.RECORD_BYTES] = 12;
        Fixtures.write(bin.resolve("data_batch_3.bin"), bad);
        e = assertThrows(DataFormatException.class, () -> new CifarReader().read(bin, new CollectingSink()));
        assertTrue(e.getMessage().contains("data_batch_3.bin") && e.getMessage().contains("record 1") && e.getMessage().contains("label 12"), e.getMessage());

        Fixtures.write(bin.resolve("data_batch_3.bin"), ReleaseFixtures.cifarRecords(2));
        java.nio.file.Files.delete(bin.resolve("test_batch.bin"));
        e = assertThrows(DataFormatException.class, () -> new CifarReader().read(bin, new CollectingSink()));
        assertTrue(e.getMessage().contains("missing test_batch.bin"), e.getMessage());
    }
}
