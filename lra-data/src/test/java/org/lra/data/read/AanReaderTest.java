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

class AanReaderTest {
    @TempDir
    Path dir;

    private Path tsvData(String train) throws Exception {
        Path tsv = dir.resolve("tsv_data");
        Fixtures.write(tsv.resolve("new_aan_pairs.train.tsv"), train);
        Fixtures.write(tsv.resolve("new_aan_pairs.eval.tsv"), "0\tp1\tp2\tab\tcd\n");
        Fixtures.write(tsv.resolve("new_aan_pairs.test.tsv"), "1\tp1\tp3\tx\ty\r\n");
        Fixtures.write(tsv.resolve("new_aan_pairs.train.only_ids.tsv"), "not\tread\n");
        return tsv;
    }

    @Test
    void readsPairsWithFloatLabelsAndByteIds() throws Exception {
        Path tsv = tsvData("1.0\tA00-1\tB00-2\tHello\tWorld é\n0.0\tA\tB\t\tonly second\n");
        CollectingSink sink = new CollectingSink();
        new AanReader(4000).read(tsv, sink);
        var train = sink.get(Split.TRAIN);
        assertEquals(2, train.size());
        assertEquals(1, train.get(0).label());
        assertArrayEquals(Fixtures.bytesPlusOne("Hello"), train.get(0).ids());
        assertArrayEquals(Fixtures.bytesPlusOne("World é"), train.get(0).ids2());
        assertEquals(0, train.get(1).label());
        assertEquals(0, train.get(1).ids().length);
        assertEquals(1, sink.get(Split.VAL).size());
        assertArrayEquals(Fixtures.bytesPlusOne("y"), sink.get(Split.TEST).get(0).ids2(), "CRLF line end dropped");
    }

    @Test
    void truncatesEachDocument() throws Exception {
        String longText = "a".repeat(12_000);
        Path tsv = tsvData("1\tA\tB\t" + longText + "\t" + longText + "\n");
        CollectingSink sink = new CollectingSink();
        new AanReader(4000).read(tsv, sink);
        assertEquals(4000, sink.get(Split.TRAIN).get(0).ids().length);
        CollectingSink wide = new CollectingSink();
        new AanReader(20_000).read(tsv, wide);
        assertEquals(AanReader.PREFIX_BYTES, wide.get(Split.TRAIN).get(0).ids2().length, "LRA encodes only the first 10,000 bytes");
    }

    @Test
    void badLinesNameFileAndLine() throws Exception {
        Path tsv = tsvData("1\tA\tB\tx\ty\n1\tA\tB\tx\n");
        var e = assertThrows(DataFormatException.class, () -> new AanReader(4000).read(tsv, new CollectingSink()));
        assertTrue(e.getMessage().contains("new_aan_pairs.train.tsv:2") && e.getMessage().contains("found 4"), e.getMessage());

        tsvData("2\tA\tB\tx\ty\n");
        e = assertThrows(DataFormatException.class, () -> new AanReader(4000).read(tsv, new CollectingSink()));
        assertTrue(e.getMessage().contains("new_aan_pairs.train.tsv:1") && e.getMessage().contains("out of range"), e.getMessage());

        tsvData("yes\tA\tB\tx\ty\n");
        e = assertThrows(DataFormatException.class, () -> new AanReader(4000).read(tsv, new CollectingSink()));
        assertTrue(e.getMessage().contains("new_aan_pairs.train.tsv:1") && e.getMessage().contains("not a number"), e.getMessage());
    }
}
