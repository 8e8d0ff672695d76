package org.lra.cli.config;

import org.junit.jupiter.api.Test;
import org.lra.cli.TestPaths;
import org.lra.model.config.AttentionConfig;
import org.lra.model.config.AttentionType;
import org.lra.model.config.BlendConfig;
import org.lra.model.config.KernelType;
import org.lra.model.config.WeightShape;
import org.lra.model.config.WeightSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The shipped configs/ tree: every file loads, and the paper cells say what docs/reference.md says. */
class ConfigFilesTest {

    static final List<String> MODELS =
            List.of("softmax", "linear", "band5", "fmm-1kernel-band5", "fmm-2kernel-band5");

    static Path configsDir() {
        return TestPaths.configsDir();
    }

    private static RunConfig cell(String scale, String task, String model) {
        return ConfigLoader.load(configsDir().resolve(scale).resolve(task).resolve(model + ".yaml"));
    }

    private static WeightSpec w(WeightShape shape, double init, boolean learnable) {
        return new WeightSpec(shape, init, learnable);
    }

    @Test
    void everyFileUnderConfigsLoadsAndEveryBaseIsUsed() throws IOException {
        Set<Path> bases = new HashSet<>();
        Set<Path> used = new HashSet<>();
        int cells = 0;
        try (Stream<Path> files = Files.walk(configsDir())) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml"))
                    .filter(f -> !f.startsWith(configsDir().resolve("sweeps"))) // grid files, see SweepPlannerTest
                    .toList()) {
                if (file.getFileName().toString().startsWith("_")) {
                    bases.add(file.toAbsolutePath().normalize());
                    continue;
                }
                try {
                    LoadedConfig loaded = ConfigLoader.resolve(file, List.of());
                    used.addAll(loaded.files());
                    cells++;
                } catch (ConfigException e) {
                    fail(file + ": " + e.getMessage());
                }
            }
        }
        assertEquals(90, cells, "45 paper cells + 45 cpu cells (FMMformer Table 1: 25, the Nyströmformer paper's baselines: 20)");
        assertEquals(10, bases.size());
        assertTrue(used.containsAll(bases), "every _task.yaml is extended by some cell");
    }

    @Test
    void everyCellIsNamedAfterItsFileAndFolder() {
        for (String scale : List.of("paper", "cpu")) {
            for (String task : TaskConfig.TASKS) {
                for (String model : MODELS) {
                    RunConfig c = cell(scale, task, model);
                    assertEquals(model, c.name(), scale + "/" + task + "/" + model);
                    assertEquals(task, c.task().name());
                    assertEquals(scale, c.scale());
                }
            }
        }
    }

    @Test
    void paperCellsUseTheReferenceProtocol() {
        // task: batch, steps, warmup, evalEvery, evalSteps, maxLength, vocab, classes (docs/reference.md §3.1)
        int[][] expected = {
                {32, 5000, 1000, 50, 62, 2000, 32, 10},
                {32, 20000, 8000, 500, 781, 1000, 512, 2},
                {32, 30000, 800, 300, 565, 4000, 512, 2},
                {256, 35000, 175, 175, 20, 1024, 512, 10},
                {256, 62400, 312, 312, 312, 1024, 512, 2},
        };
        for (int t = 0; t < 5; t++) {
            String task = TaskConfig.TASKS.get(t);
            for (String model : MODELS) {
                RunConfig c = cell("paper", task, model);
                int[] e = expected[t];
                var tr = c.training();
                assertEquals(List.of(e[0], e[1], e[2], e[3], e[4]),
                        List.of(tr.batchSize(), tr.steps(), tr.warmupSteps(), tr.evalEvery(), tr.evalSteps()), task);
                assertEquals(e[5], c.task().maxLength(), task);
                assertEquals(e[6], c.model().vocabSize(), task);
                assertEquals(e[7], c.model().numClasses(), task);
                assertEquals(task.equals("retrieval"), c.model().dual());
                assertEquals(1e-4, tr.lr());
                assertEquals(0, c.task().trainLimit());
            }
        }
        assertEquals("pathfinder32-hard", cell("paper", "pathfinder", "softmax").task().dataset());
    }

    @Test
    void baselineAttentionsAreTheSameOnEveryTask() {
        for (String task : TaskConfig.TASKS) {
            assertEquals(AttentionType.softmax, cell("paper", task, "softmax").model().attention().type());
            AttentionConfig linear = cell("paper", task, "linear").model().attention();
            assertEquals(AttentionType.linear, linear.type());
            assertEquals(List.of(KernelType.elu), linear.kernels());
            AttentionConfig band = cell("paper", task, "band5").model().attention();
            assertEquals(AttentionType.band, band.type());
            assertEquals(5, band.bandwidth());
        }
    }

    @Test
    void listOpsTwoKernelBlendMatchesTable() {
        AttentionConfig a = cell("paper", "listops", "fmm-2kernel-band5").model().attention();
        assertEquals(AttentionType.fmm, a.type());
        assertEquals(5, a.bandwidth());
        assertEquals(List.of(KernelType.elu, KernelType.elu_flip), a.kernels());
        assertEquals(new BlendConfig(w(WeightShape.per_head, 1, true), w(WeightShape.per_head, 0, true),
                List.of(w(WeightShape.scalar, 1, true), w(WeightShape.scalar, 0, true))), a.blend());
    }

    @Test
    void textTwoKernelBlendMatchesTable() {
        AttentionConfig a = cell("paper", "text", "fmm-2kernel-band5").model().attention();
        assertEquals(new BlendConfig(WeightSpec.fixed(1), w(WeightShape.per_head_dim, 0, true),
                List.of(WeightSpec.fixed(0.5), WeightSpec.fixed(0.5))), a.blend());
    }

    @Test
    void retrievalOneKernelBlendMatchesTable() {
        AttentionConfig a = cell("paper", "retrieval", "fmm-1kernel-band5").model().attention();
        assertEquals(List.of(KernelType.elu), a.kernels());
        assertEquals(new BlendConfig(w(WeightShape.per_head, 0, true), WeightSpec.fixed(1),
                List.of(WeightSpec.fixed(1))), a.blend());
    }

    @Test
    void imageTwoKernelBlendMatchesTable() {
        AttentionConfig a = cell("paper", "image", "fmm-2kernel-band5").model().attention();
        assertEquals(new BlendConfig(WeightSpec.fixed(1), w(WeightShape.per_head_dim, 0, true),
                List.of(WeightSpec.fixed(1), w(WeightShape.scalar, 0, true))), a.blend());
    }

    @Test
    void pathfinderBlendsUseTheComplement() {
        BlendConfig one = cell("paper", "pathfinder", "fmm-1kernel-band5").model().attention().blend();
        assertEquals(new BlendConfig(w(WeightShape.scalar, 0.5, true), WeightSpec.complement(),
                List.of(WeightSpec.fixed(1))), one);
        BlendConfig two = cell("paper", "pathfinder", "fmm-2kernel-band5").model().attention().blend();
        assertEquals(new BlendConfig(w(WeightShape.scalar, 0.5, true), WeightSpec.complement(),
                List.of(WeightSpec.fixed(1), w(WeightShape.scalar, 0, true))), two);
    }

    @Test
    void cpuCellsKeepThePaperModelAndShrinkTheRun() {
        for (String task : TaskConfig.TASKS) {
            for (String model : MODELS) {
                RunConfig paper = cell("paper", task, model);
                RunConfig cpu = cell("cpu", task, model);
                assertEquals(paper.model().attention(), cpu.model().attention(), task + "/" + model);
                assertTrue(cpu.training().steps() <= 1000 && cpu.training().steps() < paper.training().steps(), task);
                assertTrue(cpu.task().maxLength() <= paper.task().maxLength(), task);
            }
        }
        RunConfig listops = cell("cpu", "listops", "softmax");
        assertEquals("listops-cpu", listops.task().dataset());
        assertEquals(256, listops.task().maxLength());
        assertEquals(32, listops.training().batchSize());
        assertEquals(5.0e-4, listops.training().lr()); // softmax's, picked by configs/sweeps/cpu-listops-lr.yaml
        assertEquals(8, cell("cpu", "retrieval", "band5").training().batchSize());
    }

    @Test
    void cellsCarryTheirHeaderComments() throws IOException {
        for (String task : TaskConfig.TASKS) {
            for (String model : MODELS) {
                String paper = Files.readString(configsDir().resolve("paper").resolve(task).resolve(model + ".yaml"));
                assertTrue(paper.startsWith("# FMMformer paper (arXiv 2108.02347) Table 1"), task + "/" + model);
                assertTrue(paper.contains("reported "));
                String cpu = Files.readString(configsDir().resolve("cpu").resolve(task).resolve(model + ".yaml"));
                assertTrue(cpu.contains("NOT comparable to the paper"), task + "/" + model);
            }
        }
    }
}
