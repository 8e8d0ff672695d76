package org.lra.cli.sweep;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lra.cli.InputException;
import org.lra.cli.TestPaths;
import org.lra.cli.config.ConfigException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SweepPlannerTest {

    @TempDir
    Path dir;

    SweepGrid grid(String yaml) throws IOException {
        Path file = dir.resolve("grid.yaml");
        Files.writeString(file, yaml);
        return SweepGridLoader.load(file);
    }

    @Test
    void expandsInGridOrderWithSeedsInnermost() throws IOException {
        SweepGrid g = grid("""
                tasks: [text, listops]
                models: [softmax, band5]
                seeds: [0, 1]
                configs: "configs/cpu/{task}/{model}.yaml"
                out: runs/cpu
                """);
        List<PlannedRun> runs = SweepPlanner.expand(g);
        assertEquals(List.of("text__softmax__s0", "text__softmax__s1", "text__band5__s0", "text__band5__s1",
                "listops__softmax__s0", "listops__softmax__s1", "listops__band5__s0", "listops__band5__s1"),
                runs.stream().map(PlannedRun::id).toList());
        PlannedRun first = runs.get(0);
        assertEquals(Path.of("configs/cpu/text/softmax.yaml"), first.config());
        assertEquals(Path.of("runs/cpu/text__softmax__s0"), first.runDir());
        assertEquals(List.of(), first.sets());
        assertEquals(1, g.parallel(), "default");
        assertEquals(1, g.threads(), "default");
    }

    @Test
    void overridesAreExtraAxesWithStableSuffixes() throws IOException {
        String yaml = """
                tasks: [listops]
                models: [fmm-2kernel-band5]
                seeds: [0]
                configs: "configs/cpu/{task}/{model}.yaml"
                overrides:
                  training.lr: [1e-4, 3e-4]
                  model.attention.kernels: [[elu], [elu, elu_flip]]
                """;
        List<PlannedRun> runs = SweepPlanner.expand(grid(yaml));
        assertEquals(4, runs.size());
        assertEquals(List.of("training.lr=1.0E-4", "model.attention.kernels=[\"elu\"]"), runs.get(0).sets());
        assertEquals(List.of("training.lr=3.0E-4", "model.attention.kernels=[\"elu\",\"elu_flip\"]"), runs.get(3).sets());
        for (PlannedRun r : runs) {
            assertTrue(r.id().matches("listops__fmm-2kernel-band5__s0__[0-9a-f]{8}"), r.id());
        }
        assertEquals(4, runs.stream().map(PlannedRun::id).distinct().count());
        assertEquals(runs, SweepPlanner.expand(grid(yaml)), "deterministic");
        assertNotEquals(runs.get(0).id(), runs.get(1).id());
    }

    @Test
    void duplicatesAndBadGridsAreInputErrors() throws IOException {
        assertThrows(InputException.class, () -> SweepPlanner.expand(grid(
                "tasks: [text]\nmodels: [softmax]\nseeds: [0, 0]\nconfigs: c/{task}.yaml\n")));
        String msg = assertThrows(InputException.class, () -> grid(
                "tasks: [text]\nmodels: [softmax]\nseeds: [0]\nconfigs: x\nparalel: 2\n")).getMessage();
        assertTrue(msg.startsWith("paralel: unknown key"), msg);
        msg = assertThrows(InputException.class, () -> grid("models: [softmax]\nseeds: [0]\nconfigs: x\n")).getMessage();
        assertTrue(msg.startsWith("tasks: required"), msg);
        msg = assertThrows(InputException.class, () -> grid(
                "tasks: [text]\nmodels: [softmax]\nseeds: [0]\nconfigs: x\nthreads: 0\n")).getMessage();
        assertTrue(msg.startsWith("threads: must be >= 1"), msg);
        msg = assertThrows(InputException.class, () -> grid(
                "tasks: [text]\nmodels: [softmax]\nseeds: [zero]\nconfigs: x\n")).getMessage();
        assertTrue(msg.startsWith("seeds[0]: wrong type"), msg);
    }

    @Test
    void shippedGridsExpandToTable1AndPointAtRealConfigs() {
        for (String name : List.of("cpu-table1.yaml", "paper-table1.yaml")) {
            SweepGrid g = SweepGridLoader.load(TestPaths.configsDir().resolve("sweeps").resolve(name));
            List<PlannedRun> runs = SweepPlanner.expand(g);
            assertEquals(135, runs.size(), name); // (25 FMMformer cells + 20 baseline cells) x 3 seeds
            // the template is relative to the repository root; resolve it there for the check
            Path root = TestPaths.configsDir().getParent();
            SweepPlanner.checkConfigs(runs.stream().map(r -> new PlannedRun(r.id(), r.task(), r.model(), r.seed(),
                    root.resolve(r.config()), r.sets(), r.runDir())).toList());
        }
    }

    @Test
    void configsAreCheckedBeforeAnythingRuns() throws IOException {
        String template = TestPaths.configsDir() + "/cpu/{task}/{model}.yaml";
        List<PlannedRun> ok = SweepPlanner.expand(grid("tasks: [listops, text]\nmodels: [softmax, fmm-2kernel-band5]\n"
                + "seeds: [0]\nconfigs: \"" + template + "\"\n"));
        SweepPlanner.checkConfigs(ok);

        List<PlannedRun> badSet = SweepPlanner.expand(grid("tasks: [listops]\nmodels: [softmax]\nseeds: [0]\n"
                + "configs: \"" + template + "\"\noverrides: {training.stepz: [10]}\n"));
        String msg = assertThrows(ConfigException.class, () -> SweepPlanner.checkConfigs(badSet)).getMessage();
        assertTrue(msg.startsWith("training.stepz: unknown key"), msg);

        List<PlannedRun> missing = SweepPlanner.expand(grid("tasks: [listops]\nmodels: [nope]\nseeds: [0]\n"
                + "configs: \"" + template + "\"\n"));
        assertTrue(assertThrows(InputException.class, () -> SweepPlanner.checkConfigs(missing)).getMessage()
                .contains("no such file"));
    }
}
