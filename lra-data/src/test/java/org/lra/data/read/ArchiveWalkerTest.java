package org.lra.data.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lra.data.DataFormatException;
import org.lra.data.Fixtures;

class ArchiveWalkerTest {
    @TempDir
    Path dir;

    private static Map<String, byte[]> entries(String... namesAndContents) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndContents.length; i += 2) {
            m.put(namesAndContents[i], namesAndContents[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return m;
    }

    @Test
    void walksFilesAndHashesTheWholeArchive() throws Exception {
        Path archive = Fixtures.tarGz(entries("./a/x.txt", "x", "a/b/y.txt", "yy"), dir.resolve("t.tar.gz"));
        List<String> names = new ArrayList<>();
        SourceInfo info = ArchiveWalker.walk(archive, (name, size, in) -> names.add(name + "=" + new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        assertEquals(List.of("a/x.txt=x", "a/b/y.txt=yy"), names);
        assertEquals(Sha256.of(archive), info.sha256());
    }

    @Test
    void refusesEntriesThatWouldEscape() throws Exception {
        for (String evil : new String[] {"../evil.txt", "a/../../evil.txt", "/etc/evil.txt"}) {
            Path archive = Fixtures.tarGz(entries("ok.txt", "fine", evil, "bad"), dir.resolve("evil.tar.gz"));
            var e = assertThrows(DataFormatException.class, () -> ArchiveWalker.walk(archive, (n, s, in) -> { }));
            assertTrue(e.getMessage().contains("evil.tar.gz!") && e.getMessage().contains("refused"), e.getMessage());
        }
        for (byte type : new byte[] {TarArchiveEntry.LF_SYMLINK, TarArchiveEntry.LF_LINK}) {
            Path archive = dir.resolve("link.tar");
            try (OutputStream out = Files.newOutputStream(archive); TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
                TarArchiveEntry link = new TarArchiveEntry("data/link", type);
                link.setLinkName("/etc/passwd");
                tar.putArchiveEntry(link);
                tar.closeArchiveEntry();
            }
            var e = assertThrows(DataFormatException.class, () -> ArchiveWalker.walk(archive, (n, s, in) -> { }));
            assertTrue(e.getMessage().contains("link.tar!data/link") && e.getMessage().contains("link"), e.getMessage());
        }
    }

    @Test
    void truncatedArchiveNamesTheEntry() throws Exception {
        byte[] big = new byte[200_000];
        new java.util.Random(1).nextBytes(big);
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("small.txt", "s".getBytes(StandardCharsets.UTF_8));
        m.put("big.bin", big);
        Path archive = Fixtures.tarGz(m, dir.resolve("t.tar.gz"));
        byte[] all = Files.readAllBytes(archive);
        Files.write(archive, java.util.Arrays.copyOf(all, all.length / 2));
        var e = assertThrows(DataFormatException.class, () -> ArchiveWalker.walk(archive, (n, s, in) -> in.readAllBytes()));
        assertTrue(e.getMessage().contains("t.tar.gz!big.bin") && e.getMessage().contains("truncated"), e.getMessage());
    }
}
