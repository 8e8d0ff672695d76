package org.lra.data.predictions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lra.data.DataFormatException;

class PredictionsTest {

    @TempDir
    Path tmp;

    @Test
    void writesOneRowPerExampleInOrderAndReadsItBack() throws IOException {
        Predictions p = new Predictions(new int[] {3, 7, 0}, new int[] {3, 0, 0}, new double[] {0.9123456, 0.4021, 1.0});
        Path file = tmp.resolve("sub/predictions-test.csv");
        p.write(file);
        assertEquals("index,label,predicted,p_predicted\n0,3,3,0.912346\n1,7,0,0.402100\n2,0,0,1.000000\n",
                Files.readString(file));
        Predictions back = Predictions.read(file);
        assertArrayEquals(p.labels(), back.labels());
        assertArrayEquals(p.predicted(), back.predicted());
        assertArrayEquals(new double[] {0.912346, 0.4021, 1.0}, back.pPredicted(), 1e-12);
        assertEquals(2 / 3.0, back.accuracy(), 1e-12);
        long[][] confusion = back.confusion(10);
        assertEquals(1, confusion[3][3]);
        assertEquals(1, confusion[7][0]);
        assertEquals(1, confusion[0][0]);
        assertEquals(8, back.classesSeen());
    }

    @Test
    void damagedFilesNameFileAndLine() throws IOException {
        assertThrows(NoSuchFileException.class, () -> Predictions.read(tmp.resolve("absent.csv")));
        assertDamaged("", ":1: expected the header");
        assertDamaged("index,label\n", ":1: expected the header");
        assertDamaged("index,label,predicted,p_predicted\n0,1,1,0.5\n2,1,1,0.5\n", ":3: index 2 where 1 comes next");
        assertDamaged("index,label,predicted,p_predicted\n0,1,1\n", ":2: expected 4 columns");
        assertDamaged("index,label,predicted,p_predicted\n0,1,x,0.5\n", ":2: not a number");
        assertDamaged("index,label,predicted,p_predicted\n0,1,1,1.5\n", ":2: p_predicted 1.5 is not a probability");
        assertDamaged("index,label,predicted,p_predicted\n0,-1,1,0.5\n", ":2: label -1 is negative");
    }

    private void assertDamaged(String content, String says) throws IOException {
        Path file = Files.writeString(tmp.resolve("damaged.csv"), content);
        DataFormatException e = assertThrows(DataFormatException.class, () -> Predictions.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains(says), e.getMessage());
    }
}
