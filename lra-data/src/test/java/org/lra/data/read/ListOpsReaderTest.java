package org.lra.data.read;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lra.data.DataFormatException;
import org.lra.data.Example;
import org.lra.data.Fixtures;
import org.lra.data.Fixtures.CollectingSink;
import org.lra.data.Split;

class ListOpsReaderTest {
    @TempDir
    Path dir;

    private Path release(String train) throws Exception {
        Path listops = dir.resolve("listops-1000");
        Fixtures.write(listops.resolve("basic_train.tsv"), train);
        Fixtures.write(listops.resolve("basic_val.tsv"), "Source\tTarget\n[MAX 3 7 ]\t7\n");
        Fixtures.write(listops.resolve("basic_test.tsv"), "Source\tTarget\n( ( [SM 4 ) 9 ) ]\t3\n");
        return listops;
    }

    @Test
    void tokenisesLikeLraWithTheFixedVocabulary() {
        // "]" -> "X", parentheses dropped: [MIN 8 2 [MED 8 6 X X
        int[] ids = ListOpsReader.tokenize("( ( ( ( [MIN 8 ) 2 ) ( ( ( [MED 8 ) 6 ) ] ) ) ] )", 2000);
        assertArrayEquals(new int[] {11, 9, 3, 13, 9, 7, 15, 15}, ids);
        assertEquals(ListOpsVocabulary.OOV, ListOpsReader.tokenize("[FOO", 10)[0]);
        assertArrayEquals(new int[] {11, 9}, ListOpsReader.tokenize("[MIN 8 2 ]", 2), "truncated to maxLength");
    }

    @Test
    void readsTheThreeSplitFiles() throws Exception {
        Path listops = release("Source\tTarget\n( ( [MIN 8 ) 2 ) ]\t2\n[MAX 0 ]\t0\n");
        CollectingSink sink = new CollectingSink();
        SourceInfo info = new ListOpsReader(2000).read(listops, sink);
        assertEquals(2, sink.get(Split.TRAIN).size());
        assertEquals(Example.single(new int[] {11, 9, 3, 15}, 2), sink.get(Split.TRAIN).get(0));
        assertEquals(Example.single(new int[] {12, 4, 8, 15}, 7), sink.get(Split.VAL).get(0));
        assertEquals(Example.single(new int[] {14, 5, 10, 15}, 3), sink.get(Split.TEST).get(0));
        assertEquals(64, info.sha256().length());
    }

    @Test
    void readsFromAnArchiveWithTheNestedCopySkipped() throws Exception {
        Path listops = release("Source\tTarget\n[MAX 0 ]\t0\n");
        Path tree = dir.resolve("tree");
        for (String prefix : new String[] {"lra_release/listops-1000/", "lra_release/lra_release/listops-1000/"}) {
            for (String f : new String[] {"basic_train.tsv", "basic_val.tsv", "basic_test.tsv"}) {
                Fixtures.write(tree.resolve(prefix + f), java.nio.file.Files.readAllBytes(listops.resolve(f)));
            }
        }
        Path archive = Fixtures.tarGz(tree, dir.resolve("lra_release.gz"));
        CollectingSink sink = new CollectingSink();
        new ListOpsReader(2000).read(archive, sink);
        assertEquals(1, sink.get(Split.TRAIN).size());
        assertEquals(3, sink.skipped.size(), sink.skipped.toString());
    }

    @Test
    void badInputNamesFileAndLine() throws Exception {
        Path listops = release("Source\tTarget\n[MAX 0 ]\t0\n[MAX 1 ]\t11\n");
        var e = assertThrows(DataFormatException.class, () -> new ListOpsReader(2000).read(listops, new CollectingSink()));
        assertTrue(e.getMessage().contains("basic_train.tsv:3") && e.getMessage().contains("out of range"), e.getMessage());

        release("Source\tTarget\n[MAX 0 ]\tzero\n");
        e = assertThrows(DataFormatException.class, () -> new ListOpsReader(2000).read(listops, new CollectingSink()));
        assertTrue(e.getMessage().contains("basic_train.tsv:2") && e.getMessage().contains("not an integer"), e.getMessage());

        release("Source\tTarget\n[MAX 0 ]\t0\textra\n");
        e = assertThrows(DataFormatException.class, () -> new ListOpsReader(2000).read(listops, new CollectingSink()));
        assertTrue(e.getMessage().contains("basic_train.tsv:2") && e.getMessage().contains("found 3"), e.getMessage());

        release("[MAX 0 ]\t0\n");
        e = assertThrows(DataFormatException.class, () -> new ListOpsReader(2000).read(listops, new CollectingSink()));
        assertTrue(e.getMessage().contains("basic_train.tsv:1") && e.getMessage().contains("header"), e.getMessage());

        release("Source\tTarget\n[MAX 0 ]\t0\n");
        java.nio.file.Files.delete(listops.resolve("basic_val.tsv"));
        e = assertThrows(DataFormatException.class, () -> new ListOpsReader(2000).read(listops, new CollectingSink()));
        assertTrue(e.getMessage().contains("missing basic_val.tsv"), e.getMessage());
    }
}
