package org.lra.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lra.data.read.Difficulty;

class TaskAndDataDirTest {

    @Test
    void tasksCarryTheirLraFacts() {
        assertEquals(17, Task.LISTOPS.vocabSize());
        assertEquals(257, Task.TEXT.vocabSize());
        assertEquals(256, Task.IMAGE.vocabSize());
        assertEquals(10, Task.IMAGE.numClasses());
        assertEquals(4000, Task.RETRIEVAL.defaultMaxLength());
        assertEquals(Task.RETRIEVAL, Task.fromConfigName("Retrieval"));
        assertThrows(IllegalArgumentException.class, () -> Task.fromConfigName("cifar"));
        assertEquals("pathfinder128-hard", DataSettings.defaults().withPathfinder(128, Difficulty.HARD).cacheName(Task.PATHFINDER));
        assertEquals(Difficulty.INTERMEDIATE, Difficulty.parse("curv_contour_length_9"));
    }

    @Test
    void dataDirIsExplicitThenEnvironmentThenHome() {
        assertEquals(Path.of("/x/data"), DataDir.resolve(Path.of("/x/data"), Map.of(DataDir.ENV, "/env"), "/home/u"));
        assertEquals(Path.of("/env"), DataDir.resolve(null, Map.of(DataDir.ENV, "/env"), "/home/u"));
        assertEquals(Path.of("/home/u/.lra/data"), DataDir.resolve(null, Map.of(), "/home/u"));
    }
}
