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

    /** {@code n} records; record i has label i%10, pixel 0 = (r,g,b) = (255,0,0), pixel 1 = (0,122,186), the rest (i,i,i). */
    static byte[] records(int n) {
        byte[] bytes = new byte[n * CifarReader.RECORD_BYTES];
        for (int i = 0; i < n; i++) {
            int base = i * CifarReader.RECORD_BYTES;
            bytes[base] = (byte) (i % 10);
            for (int p = 0; p < CifarReader.PIXELS; p++) {
                for (int c = 0; c < 3; c++) {
                    bytes[base + 1 + c * CifarReader.PIXELS + p] = (byte) i;
                }
            }
            bytes[base + 1] = (byte) 255;
            bytes[base + 1 + CifarReader.PIXELS] = 0;
            bytes[base + 1 + 2 * CifarReader.PIXELS] = 0;
            bytes[base + 2] = 0;
            bytes[base + 2 + CifarReader.PIXELS] = (byte) 122;
            bytes[base + 2 + 2 * CifarReader.PIXELS] = (byte) 186;
        }
        return bytes;
    }

    static Path batches(Path root, int perFile) throws Exception {
        Path bin = root.resolve("cifar-10-batches-bin");
        for (int f = 1; f <= 5; f++) {
            Fixtures.write(bin.resolve("data_batch_" + f + ".bin"), records(perFile));
        }
        Fixtures.write(bin.resolve("test_batch.bin"), records(3));
        Fixtures.write(bin.resolve("batches.meta.txt"), "airplane\n");
        return bin;
    }

    @Test
    void readsGrayPixelsAndSplitsTrainNinetyTen() throws Exception {
        Path bin = batches(dir.resolve("src"), 4);
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
        Path bin = batches(src, 2);
        CollectingSink fromDir = new CollectingSink();
        new CifarReader().read(bin, fromDir);
        CollectingSink fromArchive = new CollectingSink();
        new CifarReader().read(Fixtures.tarGz(src, dir.resolve("cifar-10-binary.tar.gz")), fromArchive);
        assertEquals(fromDir.examples, fromArchive.examples);
    }

    @Test
    void truncatedFileAndBadLabelAreNamed() throws Exception {
        Path bin = batches(dir.resolve("src"), 2);
        Fixtures.write(bin.resolve("data_batch_3.bin"), java.util.Arrays.copyOf(records(2), 5000));
        var e = assertThrows(DataFormatException.class, () -> new CifarReader().read(bin, new CollectingSink()));
        assertTrue(e.getMessage().contains("data_batch_3.bin") && e.getMessage().contains("truncated"), e.getMessage());

        byte[] bad = records(2);
        bad[CifarReader.RECORD_BYTES] = 12;
        Fixtures.write(bin.resolve("data_batch_3.bin"), bad);
        e = assertThrows(DataFormatException.class, () -> new CifarReader().read(bin, new CollectingSink()));
        assertTrue(e.getMessage().contains("data_batch_3.bin") && e.getMessage().contains("record 1") && e.getMessage().contains("label 12"), e.getMessage());

        Fixtures.write(bin.resolve("data_batch_3.bin"), records(2));
        java.nio.file.Files.delete(bin.resolve("test_batch.bin"));
        e = assertThrows(DataFormatException.class, () -> new CifarReader().read(bin, new CollectingSink()));
        assertTrue(e.getMessage().contains("missing test_batch.bin"), e.getMessage());
    }
}
