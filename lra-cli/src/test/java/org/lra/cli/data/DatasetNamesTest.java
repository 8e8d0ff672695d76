package org.lra.cli.data;

import static org.lra.cli.CliRuns.lra;
import static org.lra.cli.CliRuns.assertOneLineRefusal;
import org.lra.cli.CliRuns.Run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lra.cli.ExitCodes;
import org.lra.data.io.DatasetLock;

/**
 * {@code data import} and {@code data generate} touch only what lra made (issue 22, items 2, 3, 5, 13 and the
 * empty-split case of 14): a dataset name is one plain segment and never a reserved folder; an import replaces
 * only a cache, and only with {@code --force}; two writers of one name are serialised; leftovers of a killed
 * import go with the next import of that name.
 */
class DatasetNamesTest {

    @TempDir
    Path tmp;



    private Run generate(Path data, String... extra) {
        List<String> args = new ArrayList<>(List.of("data", "generate", "listops", "--data-dir", data.toString(),
                "--train", "40", "--val", "10", "--test", "10", "--min-length", "5", "--max-length", "32",
                "--threads", "1"));
        args.addAll(List.of(extra));
        return lra(args.toArray(String[]::new));
    }


    private static List<String> tree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void namesAreOnePlainSegmentAndNeverReserved() throws IOException {
        Path data = tmp.resolve("data");
        Files.createDirectories(data);
        List<String> before = tree(tmp);
        for (String name : List.of("../x", "/tmp/abs-" + System.nanoTime(), "a/b", "", ".hidden", "generated",
                "downloads", "sp ace")) {
            assertOneLineRefusal(generate(data, "--name", name), "--name: dataset name");
            assertOneLineRefusal(lra("data", "import", "listops", "--from", tmp.toString(), "--name", name,
                    "--data-dir", data.toString()), "--name: dataset name");
        }
        assertEquals(before, tree(tmp), "nothing written anywhere");
    }

    @Test
    void importReplacesOnlyACacheAndOnlyWithForce() throws IOException {
        Path data = tmp.resolve("data");
        assertEquals(0, generate(data, "--name", "mine").code());
        Path generated = data.resolve("generated/mine");
        List<String> generatedFiles = tree(generated);

        // a user's folder under the data dir: never replaced, --force or not
        Files.createDirectories(data.resolve("userstuff"));
        Files.writeString(data.resolve("userstuff/keep.txt"), "mine");
        for (String force : List.of("--force", "--verbose")) {
            Run r = lra("data", "import", "listops", "--from", generated.toString(), "--name", "userstuff",
                    "--data-dir", data.toString(), force);
            assertEquals(ExitCodes.INPUT, r.code(), r.err());
            assertTrue(r.err().contains("is not a dataset cache"), r.err());
            assertEquals("mine", Files.readString(data.resolve("userstuff/keep.txt")));
        }

        // up to date: kept without --force; from another source: refused without --force, replaced with it
        Run same = lra("data", "import", "listops", "--from", generated.toString(), "--name", "mine",
                "--max-length", "32", "--data-dir", data.toString());
        assertEquals(0, same.code(), same.err());
        Path other = tmp.resolve("other");
        assertEquals(0, generate(data, "--name", "other", "--out", other.toString(), "--no-import", "--seed", "1")
                .code());
        Run refused = lra("data", "import", "listops", "--from", other.toString(), "--name", "mine",
                "--max-length", "32", "--data-dir", data.toString());
        assertOneLineRefusal(refused, "add --force to replace it");
        assertEquals(0, lra("data", "import", "listops", "--from", other.toString(), "--name", "mine",
                "--max-length", "32", "--data-dir", data.toString(), "--force").code());
        assertEquals(generatedFiles, tree(generated), "the generated release files are untouched");
    }

    @Test
    void emptySplitsAreRefusedBeforeAnythingIsWritten() throws IOException {
        Path data = tmp.resolve("data");
        Run r = lra("data", "generate", "listops", "--data-dir", data.toString(), "--name", "empty",
                "--train", "0", "--val", "0", "--test", "0");
        assertOneLineRefusal(r, "--train, --val and --test must each be >= 1");
        assertFalse(Files.exists(data.resolve("generated/empty")));
    }

    @Test
    void leftoversOfAKilledImportGoWithTheNextImportOfThatName() throws IOException {
        Path data = tmp.resolve("data");
        assertEquals(0, generate(data, "--name", "conc").code());
        Path leftover = Files.createDirectories(data.resolve(".conc.importing-123456"));
        Files.writeString(leftover.resolve("train.ids0"), "x".repeat(1000));
        Path othersLeftover = Files.createDirectories(data.resolve(".concx.importing-1"));
        assertEquals(0, generate(data, "--name", "conc").code());
        assertFalse(Files.exists(leftover));
        assertTrue(Files.exists(othersLeftover), "another name's temporary directory is not this import's to remove");
    }

    /** A second writer of a name, in another process, is refused while the first holds the name. */
    @Test
    void twoWritersOfOneNameAreSerialised() throws IOException, InterruptedException {
        Path data = tmp.resolve("data");
        assertEquals(0, generate(data, "--name", "conc").code());
        List<String> before = tree(data.resolve("generated/conc"));
        long mtime = Files.getLastModifiedTime(data.resolve("generated/conc/basic_test.tsv")).toMillis();
        Process holder = holdLockInAnotherProcess(DatasetLock.file(data, "conc"));
        try {
            Run r = generate(data, "--name", "conc", "--seed", "7");
            assertOneLineRefusal(r, "PID " + holder.pid() + " is writing this dataset");
            Run i = lra("data", "import", "listops", "--from", data.resolve("generated/conc").toString(), "--name",
                    "conc", "--data-dir", data.toString(), "--force");
            assertOneLineRefusal(i, "is writing this dataset");
        } finally {
            holder.destroy();
            holder.waitFor(30, TimeUnit.SECONDS);
        }
        assertEquals(before, tree(data.resolve("generated/conc")));
        assertEquals(mtime, Files.getLastModifiedTime(data.resolve("generated/conc/basic_test.tsv")).toMillis());
        assertEquals(0, generate(data, "--name", "conc", "--seed", "7").code(), "free again once the holder is gone");
    }

    /** A child JVM that locks {@code file} as DatasetLock does (its PID inside), says "locked", and waits. */
    private Process holdLockInAnotherProcess(Path file) throws IOException {
        Path source = tmp.resolve("Holder.java");
        Files.writeString(source, """
                import java.nio.ByteBuffer;
                import java.nio.channels.FileChannel;
                import java.nio.file.Path;
                import java.nio.file.StandardOpenOption;
                public class Holder {
                    public static void main(String[] args) throws Exception {
                        FileChannel ch = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE,
                                StandardOpenOption.WRITE);
                        ch.lock();
                        ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\\n").getBytes()));
                        System.out.println("locked");
                        Thread.sleep(120_000);
                    }
                }
                """);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), source.toString(), file.toString()).redirectErrorStream(true)
                .start();
        InputStream in = p.getInputStream();
        StringBuilder said = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && !said.toString().contains("locked")) {
            said.append((char) c);
        }
        assertTrue(said.toString().contains("locked"), said.toString());
        return p;
    }
}
