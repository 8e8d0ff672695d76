package org.lra.data.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lra.data.Fixtures;

class ReleaseLocatorTest {
    @TempDir
    Path dir;

    @Test
    void findsTasksInTheNestedReleaseLayout() throws Exception {
        Path outer = dir.resolve("lra_release");
        Path inner = outer.resolve("lra_release");
        Fixtures.write(outer.resolve("listops-1000/basic_train.tsv"), "Source\tTarget\n");
        Fixtures.write(inner.resolve("listops-1000/basic_train.tsv"), "Source\tTarget\n");
        Fixtures.write(inner.resolve("tsv_data/new_aan_pairs.train.tsv"), "");
        Fixtures.write(outer.resolve("pathfinder128/curv_contour_length_14/metadata/0.npy"), "");
        Fixtures.write(inner.resolve("pathfinder32/curv_baseline/metadata/0.npy"), "");
        Fixtures.write(inner.resolve("pathfinder32/curv_contour_length_14/metadata/0.npy"), "");
        Fixtures.write(dir.resolve("cifar-10-binary.tar.gz"), "");

        for (Path root : new Path[] {dir, outer}) {
            ReleaseLocator at = ReleaseLocator.at(root);
            assertEquals(outer.resolve("listops-1000"), at.listops().orElseThrow(), "shallowest copy wins");
            assertEquals(inner.resolve("tsv_data"), at.retrieval().orElseThrow());
            assertEquals(outer.resolve("pathfinder128/curv_contour_length_14"), at.pathfinder(128, Difficulty.HARD).orElseThrow());
            assertEquals(inner.resolve("pathfinder32/curv_baseline"), at.pathfinder(32, Difficulty.EASY).orElseThrow());
            assertTrue(at.pathfinder(32, Difficulty.INTERMEDIATE).isEmpty());
            assertTrue(at.pathfinder(64, Difficulty.HARD).isEmpty());
            assertTrue(at.imdb().isEmpty());
        }
        assertEquals(dir.resolve("cifar-10-binary.tar.gz"), ReleaseLocator.at(dir).cifar().orElseThrow());
        // Pointing straight at a task directory works too.
        assertEquals(inner.resolve("tsv_data"), ReleaseLocator.at(inner.resolve("tsv_data")).retrieval().orElseThrow());
        assertEquals(inner.resolve("pathfinder32/curv_contour_length_14"),
                ReleaseLocator.at(inner.resolve("pathfinder32/curv_contour_length_14")).pathfinder(32, Difficulty.HARD).orElseThrow());
        assertEquals(inner.resolve("pathfinder32/curv_contour_length_14"),
                ReleaseLocator.at(inner.resolve("pathfinder32")).pathfinder(32, Difficulty.HARD).orElseThrow());
    }
}
