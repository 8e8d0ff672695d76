package org.lra.cli.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lra.model.config.AttentionType;
import org.lra.model.config.KernelType;
import org.lra.model.config.Pooling;
import org.lra.model.config.WeightShape;
import org.lra.model.config.WeightSpec;
import org.lra.cli.TestPaths;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {

    /** The smallest complete config: only the keys defaults.yaml deliberately leaves out. */
    static final String MINIMAL = """
            name: tiny
            task: {name: listops, dataset: listops, maxLength: 64}
            model:
              vocabSize: 32
              maxLength: 64
              numClasses: 10
              attention: {type: softmax}
            training: {batchSize: 4, steps: 10, warmupSteps: 1, evalEvery: 5, evalSteps: 2}
            """;

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    /** The error message, with the temp directory stripped so file names read as the user would see them. */
    private Message failure(Path file, String... sets) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, List.of(sets)));
        return new Message(e.getMessage().replace(dir.toString() + "/", ""));
    }

    private record Message(String getMessage) {
    }

    @Test
    void minimalConfigGetsReferenceDefaults() throws IOException {
        RunConfig c = ConfigLoader.load(write("tiny.yaml", MINIMAL));
        assertEquals("tiny", c.name());
        assertEquals("paper", c.scale());
        assertEquals(64, c.model().dim());
        assertEquals(2, c.model().heads());
        assertEquals(32, c.model().headDim());
        assertEquals(1e-4, c.training().lr());
        assertEquals(1e4, c.training().finalDivFactor());
        assertEquals(1e-6, c.training().eps());
        assertEquals("onecycle", c.training().schedule());
        assertTrue(c.training().cycleMomentum());
        assertTrue(c.model().zeroIsPadding());
        assertTrue(c.task().textValFromTest());
        assertEquals(2, c.threads());
    }

    @Test
    void jsonFilesUseTheSameSchema() throws IOException {
        Path base = write("base.yaml", MINIMAL);
        Path json = write("child.json", "{\"extends\": \"base.yaml\", \"seed\": 7, \"model\": {\"heads\": 1, \"headDim\": 64}}");
        RunConfig c = ConfigLoader.load(json);
        assertEquals(7, c.seed());
        assertEquals(1, c.model().heads());
        assertEquals(10, c.model().numClasses(), "base values survive the deep merge");
        assertTrue(Files.exists(base));
    }

    @Test
    void extendsChainsMergeMapsAndReplaceLists() throws IOException {
        write("a.yaml", MINIMAL.replace("attention: {type: softmax}", "attention: {type: linear, kernels: [elu, tanh]}"));
        write("sub/b.yaml", "extends: ../a.yaml\nmodel: {attention: {kernels: [elu_flip]}}\n");
        Path c = write("sub/c.yaml", "extends: b.yaml\ntraining: {steps: 20}\n");
        LoadedConfig loaded = ConfigLoader.resolve(c, List.of());
        assertEquals(AttentionType.linear, loaded.config().model().attention().type(), "maps merge");
        assertEquals(List.of(KernelType.elu_flip), loaded.config().model().attention().kernels(), "lists replace");
        assertEquals(20, loaded.config().training().steps());
        assertEquals(4, loaded.config().training().batchSize());
        assertEquals(3, loaded.files().size());
        assertTrue(loaded.files().get(0).endsWith("a.yaml"), "bases first");
    }

    @Test
    void extendsMayBeAListAppliedInOrder() throws IOException {
        write("base.yaml", MINIMAL);
        write("fast.yaml", "training: {steps: 50, warmupSteps: 5}\n");
        write("slow.yaml", "training: {steps: 500}\n");
        Path c = write("cell.yaml", "extends: [base.yaml, fast.yaml, slow.yaml]\n");
        RunConfig config = ConfigLoader.load(c);
        assertEquals(500, config.training().steps());
        assertEquals(5, config.training().warmupSteps());
    }

    @Test
    void setOverridesScalarsListsAndListElements() throws IOException {
        Path file = write("tiny.yaml", MINIMAL);
        RunConfig c = ConfigLoader.load(file, List.of(
                "model.attention.type=fmm",
                "model.attention.kernels=[elu,elu_flip]",
                "model.attention.blend.kernels=[{shape: scalar, init: 1, learnable: true},"
                        + "{shape: scalar, init: 0, learnable: true}]",
                "model.attention.blend.kernels[1].init=0.25",
                "training.lr=3e-4",
                "note=hello world"));
        assertEquals(AttentionType.fmm, c.model().attention().type());
        assertEquals(List.of(KernelType.elu, KernelType.elu_flip), c.model().attention().kernels());
        assertEquals(0.25, c.model().attention().blend().kernels().get(1).init());
        assertEquals(3e-4, c.training().lr());
        assertEquals("hello world", c.note());
    }

    @Test
    void setOfAMappingMergesKeyByKeyLikeEveryLayer() throws IOException {
        Path fmm = TestPaths.configsDir().resolve("paper/listops/fmm-2kernel-band5.yaml"); // far: per_head, learnable
        WeightSpec far = ConfigLoader.load(fmm, List.of("model.attention.blend.far={init: 0.5}"))
                .model().attention().blend().far();
        assertEquals(new WeightSpec(WeightShape.per_head, 0.5, true), far, "only init changes");

        // the README's "far: {shape: complement}" over a learnable far: the kept learnable is named, with its source
        String msg = failure(fmm, "model.attention.blend.far={shape: complement}").getMessage();
        assertTrue(msg.startsWith("model.attention.blend.far.learnable: complement is derived from near"), msg);
        assertTrue(msg.contains("set it to false (") && msg.endsWith("fmm-2kernel-band5.yaml)"), msg);
        far = ConfigLoader.load(fmm, List.of("model.attention.blend.far={shape: complement, learnable: false}"))
                .model().attention().blend().far();
        assertEquals(WeightShape.complement, far.shape());
        assertFalse(far.learnable());

        // a list element merges alike
        WeightSpec kernel = ConfigLoader.load(fmm, List.of("model.attention.blend.kernels[1]={learnable: false}"))
                .model().attention().blend().kernels().get(1);
        assertEquals(new WeightSpec(WeightShape.scalar, 0.0, false), kernel);

        // what the merge keeps is still the file's: a problem in it names the file, not --set
        Path cell = write("cell.yaml", "extends: " + fmm + "\nmodel: {attention: {blend: {kernels: ["
                + "{shape: scalar, init: 1.0, learnable: true}, {shape: complement, init: 0.0, learnable: true}]}}}\n");
        msg = failure(cell, "model.attention.blend.kernels[1]={learnable: false}").getMessage();
        assertEquals("model.attention.blend.kernels[1].shape: complement (1 - near) is only allowed for blend.far "
                + "(cell.yaml)", msg);
    }

    @Test
    void unknownKeyNamesKeyPathAndFile() throws IOException {
        Path file = write("typo.yaml", MINIMAL + "extra: 1\n");
        String msg = failure(file).getMessage();
        assertTrue(msg.startsWith("extra: unknown key"), msg);
        assertTrue(msg.contains("typo.yaml"), msg);

        Path nested = write("nested.yaml", "extends: tiny2.yaml\nmodel: {attention: {bandwith: 3}}\n");
        write("tiny2.yaml", MINIMAL);
        msg = failure(nested).getMessage();
        assertTrue(msg.startsWith("model.attention.bandwith: unknown key (did you mean 'bandwidth'?)"), msg);
        assertTrue(msg.endsWith("(nested.yaml)") || msg.contains("nested.yaml)"), msg);
        assertFalse(msg.contains("\n"), "one line");
    }

    @Test
    void unknownKeyFromSetSaysSet() throws IOException {
        String msg = failure(write("tiny.yaml", MINIMAL), "training.stepz=3").getMessage();
        assertTrue(msg.startsWith("training.stepz: unknown key"), msg);
        assertTrue(msg.endsWith("(--set)"), msg);
    }

    @Test
    void wrongTypesNameKeyAndFile() throws IOException {
        Path base = write("base.yaml", MINIMAL);
        Path child = write("child.yaml", "extends: base.yaml\ntraining: {steps: 1.5}\n");
        assertEquals("training.steps: expected an integer, got 1.5 (child.yaml)", failure(child).getMessage());

        Path quoted = write("quoted.yaml", "extends: base.yaml\ntraining: {lr: \"0.1\"}\n");
        assertEquals("training.lr: expected a number, got '0.1' (quoted.yaml)", failure(quoted).getMessage());

        Path enumTypo = write("enum.yaml", "extends: base.yaml\nmodel: {attention: {type: sofmax}}\n");
        assertEquals("model.attention.type: must be one of softmax|linear|band|fmm|nystrom|linformer|performer|reformer, got 'sofmax' (enum.yaml)",
                failure(enumTypo).getMessage());

        Path notList = write("notlist.yaml", "extends: base.yaml\nmodel: {attention: {kernels: elu}}\n");
        assertEquals("model.attention.kernels: expected a list, got 'elu' (notlist.yaml)",
                failure(notList).getMessage());

        assertEquals("seed: expected an integer, got true (--set)", failure(base, "seed=true").getMessage());
    }

    @Test
    void poolingIsAModelKnobSpeltAsTheIssueSpellsIt() throws IOException {
        Path base = write("base.yaml", MINIMAL);
        assertEquals(Pooling.MEAN, ConfigLoader.load(base).model().pooling(), "the reference is the default");
        assertEquals(Pooling.MEAN_TOKENS, ConfigLoader.load(base, List.of("model.pooling=mean-tokens")).model().pooling());
        Path cls = write("cls.yaml", "extends: base.yaml\nmodel: {pooling: cls}\n");
        assertEquals(Pooling.CLS, ConfigLoader.load(cls).model().pooling());
        assertTrue(ConfigJson.toYaml(ConfigLoader.load(cls)).contains("  pooling: cls\n"), "written back as read");

        Path typo = write("typo.yaml", "extends: base.yaml\nmodel: {pooling: max}\n");
        assertEquals("model.pooling: must be one of mean|mean-tokens|cls, got 'max' (typo.yaml)",
                failure(typo).getMessage());
        assertEquals("model.pooling: must be one of mean|mean-tokens|cls, got 'MEAN_TOKENS' (--set)",
                failure(base, "model.pooling=MEAN_TOKENS").getMessage(), "the Java name is not a config name");
    }

    @Test
    void missingRequiredValueNamesKey() throws IOException {
        Path file = write("noname.yaml", MINIMAL.replace("name: tiny\n", ""));
        assertEquals("name: required value missing (noname.yaml)", failure(file).getMessage());
        Path noSteps = write("nosteps.yaml", MINIMAL.replace("steps: 10, ", ""));
        assertEquals("training.steps: required value missing (nosteps.yaml)", failure(noSteps).getMessage());
    }

    @Test
    void badExtendsNamesTheFileThatSaidIt() throws IOException {
        Path file = write("child.yaml", "extends: missing.yaml\n");
        String msg = failure(file).getMessage();
        assertTrue(msg.startsWith("extends: no such file: missing.yaml"), msg);
        assertTrue(msg.endsWith("(child.yaml)"), msg);

        Path notPath = write("num.yaml", "extends: 3\n");
        assertTrue(failure(notPath).getMessage().startsWith("extends: expected a relative path"));
    }

    @Test
    void extendsCycleIsDetected() throws IOException {
        write("a.yaml", "extends: b.yaml\n");
        write("b.yaml", "extends: c.yaml\n");
        Path c = write("c.yaml", "extends: a.yaml\n");
        String msg = failure(c).getMessage();
        assertTrue(msg.startsWith("extends: cycle: c.yaml -> a.yaml -> b.yaml -> c.yaml"), msg);
    }

    @Test
    void diamondExtendsIsNotACycleAndMergesTheSharedBaseOnce() throws IOException {
        write("root.yaml", MINIMAL + "seed: 5\n");
        write("left.yaml", "extends: root.yaml\nseed: 1\n");
        write("right.yaml", "extends: root.yaml\nthreads: 1\n");
        LoadedConfig loaded = ConfigLoader.resolve(write("both.yaml", "extends: [left.yaml, right.yaml]\n"), List.of());
        assertEquals(1, loaded.config().seed(), "right.yaml's copy of root must not undo left.yaml");
        assertEquals(1, loaded.config().threads());
        assertEquals(4, loaded.files().size(), "root, left, right, both");
    }

    @Test
    void malformedInputIsAConfigException() throws IOException {
        assertTrue(failure(write("bad.yaml", "a: [1, 2\n")).getMessage().contains("cannot parse"));
        assertTrue(failure(write("list.yaml", "- 1\n- 2\n")).getMessage().contains("mapping at the top level"));
        assertTrue(failure(write("conf.toml", "a = 1\n")).getMessage().contains(".yaml, .yml or .json"));
        assertEquals("no such config file (nope.yaml)", failure(dir.resolve("nope.yaml")).getMessage());
        Path ok = write("tiny.yaml", MINIMAL);
        assertTrue(failure(ok, "noequals").getMessage().contains("expected key.path=value"));
        assertTrue(failure(ok, "seed.x=1").getMessage().contains("seed: is a value"));
        assertTrue(failure(ok, "model.attention.kernels[3]=elu").getMessage().contains("no index 3"));
        assertTrue(failure(ok, "extends=other.yaml").getMessage().contains("cannot be set"));
    }

    @Test
    void validationErrorsNameTheFileThatSetTheValue() throws IOException {
        write("base.yaml", MINIMAL);
        Path child = write("child.yaml", "extends: base.yaml\ntraining: {warmupSteps: 10}\n");
        assertEquals("training.warmupSteps: must be in [0, steps) = [0, 10), got 10 (child.yaml)",
                failure(child).getMessage());
    }

    @Test
    void resolvedConfigRoundTripsThroughYaml() throws IOException {
        RunConfig c = ConfigLoader.load(write("tiny.yaml", MINIMAL), List.of("seed=3"));
        Path resolved = write("run/config.yaml", ConfigJson.toYaml(c));
        RunConfig back = ConfigLoader.bindResolved(resolved);
        assertEquals(c, back);
        assertEquals(c.configHash(), back.configHash());
    }

    /** A run dir written before the LRA baselines' knobs existed still binds, with their defaults. */
    @Test
    void resolvedConfigFromBeforeANewKeyTakesItsDefault() throws IOException {
        RunConfig c = ConfigLoader.load(write("tiny.yaml", MINIMAL), List.of());
        String yaml = ConfigJson.toYaml(c).replaceAll("(?m)^\\s*(numLandmarks|linformerK): .*\\n", "");
        assertFalse(yaml.contains("numLandmarks"), yaml);
        assertEquals(c, ConfigLoader.bindResolved(write("old/config.yaml", yaml)));
    }
}
