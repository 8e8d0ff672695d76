package org.lra.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DatasetNamesTest {

    @Test
    void oneSegmentOfSafeCharactersNotStartingWithADot() {
        for (String ok : List.of("listops", "listops-cpu", "pathfinder32-hard", "a.b_c-1", "X")) {
            assertEquals(Optional.empty(), DatasetNames.datasetProblem(ok), ok);
        }
        for (String bad : List.of("", ".", "..", "../x", "a/b", "/abs", ".hidden", "a b", "a\\b", "é", "a:b")) {
            assertTrue(DatasetNames.segmentProblem(bad).isPresent(), bad);
        }
    }

    @Test
    void theDataDirsOwnFoldersAreReservedForDatasetsOnly() {
        for (String reserved : List.of("generated", "downloads")) {
            assertTrue(DatasetNames.datasetProblem(reserved).orElseThrow().contains("reserved"), reserved);
            assertEquals(Optional.empty(), DatasetNames.segmentProblem(reserved), "a model may be called " + reserved);
        }
    }
}
