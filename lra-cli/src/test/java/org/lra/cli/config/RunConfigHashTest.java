package org.lra.cli.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunConfigHashTest {

    @TempDir
    Path dir;

    private RunConfig load(String... sets) throws IOException {
        Path file = dir.resolve("tiny.yaml");
        Files.writeString(file, ConfigLoaderTest.MINIMAL);
        return ConfigLoader.load(file, List.of(sets));
    }

    @Test
    void canonicalJsonHasSortedKeysAndNoWhitespace() throws IOException {
        String json = load().canonicalJson();
        assertTrue(json.startsWith("{\"model\":{\"attention\":"), json);
        assertTrue(json.indexOf("\"name\"") < json.indexOf("\"note\""));
        assertTrue(json.indexOf("\"note\"") < json.indexOf("\"scale\""));
        assertTrue(!json.contains(" :") && !json.contains("\n"));
    }

    @Test
    void hashIsTwelveHexAndStable() throws IOException {
        RunConfig a = load();
        RunConfig b = load();
        assertTrue(a.configHash().matches("[0-9a-f]{12}"), a.configHash());
        assertEquals(a.configHash(), b.configHash());
        assertEquals(a.configHash(), ConfigJson.shortSha256(a.canonicalJson()));
    }

    /**
     * Run directories, sweeps and reports key runs by this hash. A change to the canonical JSON (a renamed or
     * added key, another number format) orphans every existing run directory: make such a change on purpose,
     * and update this value with it.
     */
    @Test
    void hashOfAFixedConfigIsPinned() throws IOException {
        assertEquals("a220030fb3dd", load().configHash(), load().canonicalJson());
    }

    /**
     * model.pooling came after runs were recorded: at the reference (mean) it is left out of the canonical JSON, so
     * every earlier run keeps its hash (the pinned one above among them); any other pooling is part of it.
     */
    @Test
    void poolingChangesTheHashOnlyAwayFromTheReference() throws IOException {
        RunConfig a = load();
        assertEquals(a.configHash(), load("model.pooling=mean").configHash());
        assertTrue(!a.canonicalJson().contains("pooling"), a.canonicalJson());
        String tokens = load("model.pooling=mean-tokens").configHash();
        String cls = load("model.pooling=cls").configHash();
        assertNotEquals(a.configHash(), tokens);
        assertNotEquals(a.configHash(), cls);
        assertNotEquals(tokens, cls);
        assertTrue(load("model.pooling=cls").canonicalJson().contains("\"pooling\":\"cls\""));
    }

    @Test
    void anyChangeChangesTheHash() throws IOException {
        RunConfig a = load();
        assertNotEquals(a.configHash(), a.withSeed(1).configHash());
        assertNotEquals(a.configHash(), load("model.dropout=0.2").configHash());
        assertEquals(a.configHash(), load("model.dropout=0.1").configHash(), "same value, same hash");
    }
}
