package org.lra.cli.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigValidatorTest {

    private static final List<String> TWO_KERNEL_FMM = List.of(
            "model.attention.type=fmm",
            "model.attention.kernels=[elu, elu_flip]",
            "model.attention.blend.kernels=[{shape: scalar, init: 1, learnable: true},"
                    + "{shape: scalar, init: 0, learnable: true}]");

    @TempDir
    Path dir;

    private String problem(List<String> base, String... sets) throws IOException {
        Path file = dir.resolve("tiny.yaml");
        Files.writeString(file, ConfigLoaderTest.MINIMAL);
        List<String> all = new java.util.ArrayList<>(base);
        all.addAll(List.of(sets));
        return assertThrows(ConfigException.class, () -> ConfigLoader.load(file, all)).getMessage();
    }

    private void problemFree(String... sets) throws IOException {
        Path file = dir.resolve("tiny.yaml");
        Files.writeString(file, ConfigLoaderTest.MINIMAL);
        assertDoesNotThrow(() -> ConfigLoader.load(file, List.of(sets)));
    }

    private void assertProblem(String expectedStart, String... sets) throws IOException {
        String msg = problem(List.of(), sets);
        assertTrue(msg.startsWith(expectedStart), msg);
    }

    @Test
    void sizesMustBePositive() throws IOException {
        assertProblem("model.layers: must be >= 1, got 0", "model.layers=0");
        assertProblem("training.batchSize: must be >= 1, got -1", "training.batchSize=-1");
        assertProblem("task.maxLength: must be >= 1", "task.maxLength=0");
        assertProblem("threads: must be >= 1", "threads=0");
    }

    @Test
    void headsTimesHeadDimMustEqualDim() throws IOException {
        assertProblem("model.headDim: heads * headDim must equal dim (2 * 16 != 64)", "model.headDim=16");
    }

    @Test
    void warmupMustBeShorterThanTraining() throws IOException {
        assertProblem("training.warmupSteps: must be in [0, steps)", "training.warmupSteps=10");
    }

    @Test
    void taskFactsAreEnforced() throws IOException {
        assertProblem("task.name: must be one of listops|text|retrieval|image|pathfinder, got 'pathx'",
                "task.name=pathx");
        assertProblem("model.numClasses: task listops has 10 classes, got 2", "model.numClasses=2");
        assertProblem("model.dual: only retrieval is dual", "model.dual=true");
        assertProblem("model.vocabSize: task listops produces token ids up to 16", "model.vocabSize=8");
        assertProblem("model.maxLength: must be >= task.maxLength", "task.maxLength=128");
        assertProblem("scale: must be one of paper|cpu", "scale=gpu");
    }

    /** cls takes id vocabSize - 1 for its token (as the official append_cls): it must not be a data id. */
    @Test
    void clsPoolingNeedsAnIdTheDataDoesNotUse() throws IOException {
        assertProblem("model.pooling: cls uses token id vocabSize - 1 = 16 for its token, which task listops uses for "
                + "data; set model.vocabSize >= 18", "model.pooling=cls", "model.vocabSize=17");
        problemFree("model.pooling=cls", "model.vocabSize=18");
        problemFree("model.pooling=mean-tokens", "model.vocabSize=17");
    }

    @Test
    void fmmNeedsKernelsAndAMatchingBlend() throws IOException {
        assertProblem("model.attention.kernels: fmm attention needs at least one kernel", "model.attention.type=fmm");
        String msg = problem(TWO_KERNEL_FMM, "model.attention.blend.kernels=[{shape: scalar, init: 1, learnable: true}]");
        assertTrue(msg.startsWith("model.attention.blend.kernels: needs one weight per attention kernel (2), got 1"), msg);
    }

    /** task.maxLength 64 here: the padded length is 64 too. */
    @Test
    void lraBaselineKnobsMustFitTheModel() throws IOException {
        assertProblem("model.attention.numLandmarks: must divide the padded length 64", "model.attention.type=nystrom",
                "model.attention.numLandmarks=48");
        assertProblem("model.attention.numLandmarks: must divide the padded length 64", "model.attention.type=nystrom",
                "model.attention.numLandmarks=64");
        assertProblem("model.attention.linformerK: must be in [1, task.maxLength] = [1, 64], got 65",
                "model.attention.type=linformer", "model.attention.linformerK=65");
        assertProblem("model.attention.lshChunkLength: must divide the padded length 64", "model.attention.type=reformer",
                "model.attention.lshChunkLength=48");
        assertProblem("model.attention.rpDim: must be >= 1, got 0", "model.attention.type=performer",
                "model.attention.rpDim=0");
        assertProblem("model.attention.numHashes: must be >= 1, got -1", "model.attention.type=reformer",
                "model.attention.numHashes=-1");
        Path file = dir.resolve("tiny.yaml");
        Files.writeString(file, ConfigLoaderTest.MINIMAL);
        assertDoesNotThrow(() -> ConfigLoader.load(file, List.of("model.attention.type=nystrom",
                "model.attention.numLandmarks=32", "model.attention.linformerK=1000")));
        assertDoesNotThrow(() -> ConfigLoader.load(file, List.of("model.attention.type=linformer",
                "model.attention.linformerK=64", "model.attention.numLandmarks=48")));
    }

    @Test
    void complementOnlyForFar() throws IOException {
        String msg = problem(TWO_KERNEL_FMM, "model.attention.blend.near.shape=complement");
        assertTrue(msg.startsWith("model.attention.blend.near.shape: complement (1 - near) is only allowed for blend.far"),
                msg);
        msg = problem(TWO_KERNEL_FMM, "model.attention.blend.kernels[0].shape=complement");
        assertTrue(msg.startsWith("model.attention.blend.kernels[0].shape: complement"), msg);
        msg = problem(TWO_KERNEL_FMM, "model.attention.blend.far={shape: complement, init: 0, learnable: true}");
        assertTrue(msg.startsWith("model.attention.blend.far.learnable: complement is derived"), msg);
    }

    @Test
    void validFmmConfigPasses() throws IOException {
        Path file = dir.resolve("tiny.yaml");
        Files.writeString(file, ConfigLoaderTest.MINIMAL);
        assertDoesNotThrow(() -> ConfigLoader.load(file, TWO_KERNEL_FMM));
    }

    @Test
    void allProblemsAreReportedOnOneLine() throws IOException {
        String msg = problem(List.of(), "model.layers=0", "training.lr=0");
        assertTrue(msg.contains("model.layers") && msg.contains("training.lr") && !msg.contains("\n"), msg);
    }
}
