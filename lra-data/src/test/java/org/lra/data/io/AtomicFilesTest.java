package org.lra.data.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lra.data.DataSettings;
import org.lra.data.Task;
import org.lra.data.generate.ListOpsGenerator;
import org.lra.data.ingest.Importer;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void replacesTheFileAndLeavesNothingElse() throws IOException {
        Path f = dir.resolve("result.json");
        AtomicFiles.write(f, "one");
        AtomicFiles.write(f, "two");
        assertEquals("two", Files.readString(f));
        assertEquals(List.of("result.json"), names(dir));
    }

    @Test
    void aFailingWriterLeavesThePreviousVersionAndNoTemporaryFile() throws IOException {
        Path f = dir.resolve("last.ckpt");
        AtomicFiles.write(f, "good");
        assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
            out.write("half".getBytes());
            throw new IOException("writer died");
        }));
        assertEquals("good", Files.readString(f));
        assertEquals(List.of("last.ckpt"), names(dir));
    }

    /** A real full disk (a 256 KB tmpfs, root only): the error names the file; old content stays; no leftovers. */
    @Test
    void fullDiskNamesTheFileAndKeepsThePreviousVersion() throws Exception {
        Path mnt = mountTmpfs(dir.resolve("small"), "256k");
        try {
            Path f = mnt.resolve("metrics.csv");
            AtomicFiles.write(f, "previous");
            DiskFullException e = assertThrows(DiskFullException.class,
                    () -> AtomicFiles.write(f, new byte[512 * 1024]));
            assertEquals("no space left on device writing " + f, e.getMessage());
            assertEquals("previous", Files.readString(f));
            assertEquals(List.of("metrics.csv"), names(mnt));

            // an import into the full disk: DiskFullException naming the cache, no half-written cache left
            Path tsv = dir.resolve("tsv");
            new ListOpsGenerator().generate(tsv, ListOpsGenerator.Options.defaults().withSplits(3000, 10, 10)
                    .withLengths(200, 400).withThreads(1));
            Path data = mnt.resolve("data");
            DiskFullException imp = assertThrows(DiskFullException.class, () -> new Importer(data)
                    .importTask(Task.LISTOPS, tsv, DataSettings.defaults().withMaxLength(400), true));
            assertEquals("no space left on device writing " + data.resolve("listops"), imp.getMessage());
            assertEquals(List.of(".listops.lock"), names(data), "the temporary cache directory is removed");
        } finally {
            run("umount", mnt.toString());
        }
    }

    static Path mountTmpfs(Path mnt, String size) throws Exception {
        Files.createDirectories(mnt);
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", mnt.toString()) == 0,
                "mounting a tmpfs needs root");
        return mnt;
    }

    private static int run(String... cmd) throws IOException, InterruptedException {
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start().waitFor();
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
