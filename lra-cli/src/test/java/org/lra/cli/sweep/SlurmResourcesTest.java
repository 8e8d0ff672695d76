package org.lra.cli.sweep;

import org.junit.jupiter.api.Test;
import org.lra.cli.TestPaths;
import org.lra.cli.config.ConfigLoader;
import org.lra.cli.config.RunConfig;
import org.lra.cli.report.RunDir;
import org.lra.cli.report.RunDirScanner;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SlurmResourcesTest {

    private static RunConfig config(String cell) {
        return ConfigLoader.load(TestPaths.configsDir().resolve(cell + ".yaml"), List.of());
    }

    /** The committed finished runs below results/DIR, each with its resolved config.yaml. */
    private static List<RunDir> measured(String dir) {
        var scan = RunDirScanner.scan(TestPaths.configsDir().getParent().resolve("results").resolve(dir));
        assertTrue(scan.unreadable().isEmpty(), scan.unreadable().toString());
        // our engine's runs: the official code's (results/paper-listops/official/) write config.json, not config.yaml
        List<RunDir> runs = scan.runs().stream().filter(r -> r.result().finished())
                .filter(r -> java.nio.file.Files.exists(r.dir().resolve("config.yaml"))).toList();
        assertFalse(runs.isEmpty(), dir);
        return runs;
    }

    private static RunConfig resolvedConfig(RunDir run) {
        return ConfigLoader.bindResolved(run.dir().resolve("config.yaml"));
    }

    /** FLOPs per thread-second a run achieved, counted as the estimate counts them. */
    private static double rate(RunDir run) {
        var r = run.result();
        return SlurmResources.flops(resolvedConfig(run), r.testExamples()) / (r.wallSeconds() * r.threads());
    }

    /** The measured runs of each cell (task and model) below results/DIR, by cell. */
    private static Map<String, List<RunDir>> cells(String dir) {
        Map<String, List<RunDir>> cells = new TreeMap<>();
        for (RunDir run : measured(dir)) {
            cells.computeIfAbsent(run.result().task() + "/" + run.result().name(), k -> new ArrayList<>()).add(run);
        }
        return cells;
    }

    private static double median(List<RunDir> runs, ToDoubleFunction<RunDir> f) {
        double[] v = runs.stream().mapToDouble(f).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /**
     * The rate constant is no faster than the slowest cell of the CPU grid, each cell taken at the median of its
     * seeds (one seed slowed by a neighbour's job must not set the limit of every run).
     */
    @Test
    void rateIsNoFasterThanTheSlowestCpuGridCell() {
        double slowest = cells("cpu/runs").values().stream()
                .mapToDouble(runs -> median(runs, SlurmResourcesTest::rate)).min().orElseThrow();
        assertTrue(SlurmResources.FLOPS_PER_THREAD_SECOND <= slowest, "slowest " + slowest);
    }

    /**
     * Every measured cell (CPU grid, paper-protocol ListOps) fits, at the median of its seeds, in the time its
     * script would ask for, without an absurd margin; every run fits in the memory.
     */
    @Test
    void timeAndMemoryCoverTheMeasuredRuns() {
        for (String dir : List.of("cpu/runs", "paper-listops")) {
            cells(dir).forEach((cell, runs) -> {
                RunConfig config = resolvedConfig(runs.get(0));
                int threads = runs.get(0).result().threads();
                double seconds = SlurmResources.seconds(config, threads) - SlurmResources.STARTUP_SECONDS;
                double wall = median(runs, run -> run.result().wallSeconds());
                assertTrue(seconds > wall && seconds < 20 * wall,
                        dir + " " + cell + ": " + seconds + " s for " + wall + " s");
                for (RunDir run : runs) {
                    double mib = SlurmResources.bytes(config, threads) / (1 << 20);
                    assertTrue(mib > run.result().peakRssMb(),
                            run.dir() + ": " + mib + " MiB for " + run.result().peakRssMb());
                }
            });
        }
    }

    /** At paper scale the request follows the model (above the floor) and stays within a small factor of the peak. */
    @Test
    void memoryIsNotAbsurdAtPaperScale() {
        for (RunDir run : measured("paper-listops")) {
            double bytes = SlurmResources.bytes(resolvedConfig(run), run.result().threads());
            assertTrue(bytes > SlurmResources.MIN_MEM_BYTES && bytes < 3 * run.result().peakRssMb() * (1 << 20),
                    run.dir() + ": " + bytes);
        }
    }

    @Test
    void softmaxNeedsMoreTimeAndMemoryThanBandAtPaperScale() {
        RunConfig softmax = config("paper/listops/softmax");
        RunConfig band = config("paper/listops/band5");
        assertTrue(SlurmResources.seconds(softmax, 8) > 2 * SlurmResources.seconds(band, 8));
        assertTrue(SlurmResources.bytes(softmax, 8) > SlurmResources.bytes(band, 8));
        assertTrue(SlurmResources.bytes(band, 8) >= SlurmResources.MIN_MEM_BYTES);
    }

    @Test
    void slurmTimeRoundsUpToTenMinutes() {
        assertEquals("00:10:00", SlurmResources.slurmTime(1));
        assertEquals("01:00:00", SlurmResources.slurmTime(3600));
        assertEquals("01:10:00", SlurmResources.slurmTime(3601));
        assertEquals("1-02:00:00", SlurmResources.slurmTime(26 * 3600));
    }
}
