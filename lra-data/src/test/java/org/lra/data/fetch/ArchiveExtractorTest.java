package org.lra.data.fetch;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lra.data.DataFormatException;
import org.lra.data.Fixtures;

class ArchiveExtractorTest {
    @TempDir
    Path tmp;

    @Test
    void pathTraversalIsRefusedAndNothingEscapes() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("lra_release/ok.txt", "ok".getBytes(StandardCharsets.UTF_8));
        entries.put("lra_release/../../escaped.txt", "evil".getBytes(StandardCharsets.UTF_8));
        Path archive = Fixtures.tarGz(entries, tmp.resolve("evil.tar.gz"));
        Path dest = tmp.resolve("a/b/out");
        var e = assertThrows(DataFormatException.class, () -> ArchiveExtractor.extract(archive, dest));
        assertTrue(e.getMessage().contains("evil.tar.gz!lra_release/../../escaped.txt") && e.getMessage().contains(".."), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("a/escaped.txt")));
        assertFalse(Files.exists(tmp.resolve("escaped.txt")));
        assertFalse(Files.exists(dest), "an incomplete extraction never appears at the destination");
    }
}
