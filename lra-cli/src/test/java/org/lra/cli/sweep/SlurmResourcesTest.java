package org.lra.cli.sweep;

import org.junit.jupiter.api.Test;
import org.lra.cli.TestPaths;
import org.lra.cli.config.ConfigLoader;
import org.lra.cli.config.RunConfig;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SlurmResourcesTest {

    private static RunConfig config(String cell) {
        return ConfigLoader.load(TestPaths.configsDir().resolve(cell + ".yaml"), List.of());
    }

    /** The estimate must cover what the CPU grid measured (results/cpu, 2 threads) without being absurd. */
    @Test
    void timeCoversTheMeasuredCpuRunsWithMargin() {
        String[] cells = {"cpu/listops/band5", "cpu/listops/softmax", "cpu/pathfinder/softmax"};
        double[] measuredSeconds = {82, 226, 563}; // wallSeconds in results/cpu/runs/*/result.json
        for (int i = 0; i < cells.length; i++) {
            double estimate = SlurmResources.seconds(config(cells[i]), 2) - SlurmResources.STARTUP_SECONDS;
            assertTrue(estimate > measuredSeconds[i] && estimate < 10 * measuredSeconds[i], cells[i] + ": " + estimate);
        }
    }

    @Test
    void softmaxNeedsMoreTimeAndMemoryThanBandAtPaperScale() {
        RunConfig softmax = config("paper/listops/softmax");
        RunConfig band = config("paper/listops/band5");
        assertTrue(SlurmResources.seconds(softmax, 8) > 2 * SlurmResources.seconds(band, 8));
        assertTrue(SlurmResources.bytes(softmax) > SlurmResources.bytes(band));
        assertTrue(SlurmResources.bytes(band) >= 1.5 * (1L << 30));
    }

    @Test
    void slurmTimeRoundsUpToTenMinutes() {
        assertEquals("00:10:00", SlurmResources.slurmTime(1));
        assertEquals("01:00:00", SlurmResources.slurmTime(3600));
        assertEquals("01:10:00", SlurmResources.slurmTime(3601));
        assertEquals("1-02:00:00", SlurmResources.slurmTime(26 * 3600));
    }
}
