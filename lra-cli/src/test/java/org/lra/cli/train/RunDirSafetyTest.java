package org.lra.cli.train;

import static org.lra.cli.CliRuns.lra;
import static org.lra.cli.CliRuns.assertOneLineRefusal;
import org.lra.cli.CliRuns.Run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lra.cli.ExitCodes;
import org.lra.cli.InputException;
import org.lra.cli.LraCommand;
import org.lra.cli.rundir.RunDirChecks;
import org.lra.cli.rundir.RunFiles;

/**
 * {@code lra train --out/--force} never deletes what lra did not make (issue 22, items 1 and 11): a user's
 * directory, the current directory or one above it, the data dir, a file. Each refusal is one line, exit 2,
 * with every user file still there; {@code --force} on a real run directory deletes only the run's files.
 */
class RunDirSafetyTest {

    @TempDir
    static Path tmp;
    static Path data;
    static Path config;



    @BeforeAll
    static void data() throws IOException {
        data = tmp.resolve("data");
        TinyRuns.makeData(tmp, data);
        config = TinyRuns.writeConfig(tmp.resolve("tiny.yaml"), 20, 16);
    }

    /** A user's folder: a thesis and a subfolder with a figure. */
    private static Path usersFolder(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("figures"));
        Files.writeString(dir.resolve("thesis.tex"), "\\documentclass{article}");
        Files.writeString(dir.resolve("figures/plot.pdf"), "%PDF-1.4");
        return dir;
    }

    private static void assertUsersFolderIntact(Path dir) throws IOException {
        assertEquals("\\documentclass{article}", Files.readString(dir.resolve("thesis.tex")));
        assertEquals("%PDF-1.4", Files.readString(dir.resolve("figures/plot.pdf")));
        assertFalse(Files.exists(dir.resolve(RunFiles.RUN_JSON)), "no run was started there");
        assertFalse(Files.exists(dir.resolve(RunFiles.LOCK)), "nothing was added to it either");
    }


    @Test
    void aUsersFolderIsRefusedWithAndWithoutForce() throws IOException {
        Path notes = usersFolder(tmp.resolve("notes"));
        for (boolean force : new boolean[] {true, false}) {
            List<String> args = new ArrayList<>(List.of("train", "--config", config.toString(), "--out",
                    notes.toString(), "--data-dir", data.toString()));
            if (force) {
                args.add("--force");
            }
            Run r = lra(args.toArray(String[]::new));
            assertOneLineRefusal(r, "is not empty and is not a run directory (it holds figures, thesis.tex");
            assertFalse(r.err().contains("--resume"), "a folder that never was a run cannot be resumed: " + r.err());
            assertUsersFolderIntact(notes);
        }
    }

    @Test
    void forceReplacesARunButKeepsWhatTheUserAddedToIt() throws IOException {
        Path run = tmp.resolve("a run"); // printed commands quote it
        assertEquals(0, lra("train", "--config", config.toString(), "--out", run.toString(), "--data-dir",
                data.toString()).code());
        Files.writeString(run.resolve("NOTES.md"), "lr looked too high");
        Run again = lra("train", "--config", config.toString(), "--out", run.toString(), "--data-dir", data.toString());
        assertOneLineRefusal(again, "already exists; use --resume '" + run + "' to continue it");

        Run forced = lra("train", "--force", "--config", config.toString(), "--out", run.toString(), "--data-dir",
                data.toString());
        assertEquals(0, forced.code(), forced.err());
        assertEquals("lr looked too high", Files.readString(run.resolve("NOTES.md")));
        assertTrue(Files.readString(run.resolve(RunFiles.RESULT)).contains("\"finished\""));
    }

    @Test
    void aFileTheDataDirAndInsideTheDataDirAreRefused() throws IOException {
        Path file = Files.writeString(tmp.resolve("paper.txt"), "draft");
        assertOneLineRefusal(lra("train", "--force", "--config", config.toString(), "--out", file.toString(),
                "--data-dir", data.toString()), "is a file, not a directory");
        assertEquals("draft", Files.readString(file));

        for (Path out : List.of(data, data.resolve(TinyRuns.DATASET), data.resolve("runs/x"))) {
            assertOneLineRefusal(lra("train", "--force", "--config", config.toString(), "--out", out.toString(),
                    "--data-dir", data.toString()), "the data dir");
        }
        assertTrue(Files.isRegularFile(data.resolve(TinyRuns.DATASET).resolve("manifest.properties")));
        assertFalse(Files.exists(data.resolve("runs")));
    }

    /** The root and the current directory's ancestors are refused before anything is touched. */
    @Test
    void theRootAndTheCurrentDirectoryAndAboveAreNeverRunDirs() {
        Path here = Path.of("").toAbsolutePath();
        for (Path out : List.of(Path.of("/"), Path.of(""), Path.of("."), Path.of(".."), here, here.getParent())) {
            InputException e = org.junit.jupiter.api.Assertions.assertThrows(InputException.class,
                    () -> RunDirChecks.checkNewRunDir(out, data), out.toString());
            assertTrue(e.getMessage().startsWith("--out"), e.getMessage());
        }
    }

    /**
     * {@code --out . --force}, {@code --out "" --force} and {@code --out .. --force} from a checkout: run in a
     * child JVM whose working directory is a copy of a checkout, so a regression could only empty that copy.
     */
    @Test
    void dotEmptyAndDotDotFromACheckoutLoseNothing() throws IOException, InterruptedException {
        Path parent = usersFolder(tmp.resolve("parent"));
        Path checkout = usersFolder(parent.resolve("checkout"));
        for (String out : List.of(".", "", "..")) {
            Run r = lraIn(checkout, "train", "--force", "--config", config.toString(), "--out", out,
                    "--data-dir", data.toString());
            assertEquals(ExitCodes.INPUT, r.code(), r.err());
            assertTrue(r.err().lines().findFirst().orElse("").contains("--out"), r.err());
            assertUsersFolderIntact(checkout);
            assertUsersFolderIntact(parent);
            assertFalse(Files.exists(checkout.resolve(RunFiles.LOCK)), "no run.lock left in the current directory");
        }
    }

    /** Under LC_ALL=C the JVM cannot encode a non-ASCII file name: one line with the fix (issue 22, item 14). */
    @Test
    void aNonAsciiPathUnderTheCLocaleIsOneLine() throws IOException, InterruptedException {
        Run r = lraIn(tmp, java.util.Map.of("LC_ALL", "C"), "train", "--config", tmp.resolve("th\u00e8se.yaml").toString());
        assertEquals(ExitCodes.INPUT, r.code(), r.err());
        assertTrue(r.err().contains("run under a UTF-8 locale, e.g. LC_ALL=C.UTF-8"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    private static Run lraIn(Path workDir, String... args) throws IOException, InterruptedException {
        return lraIn(workDir, java.util.Map.of(), args);
    }

    private static Run lraIn(Path workDir, java.util.Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), LraCommand.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "lra finished");
        // the JVM's own warning about the incubator module is not lra's output
        String err = out.lines().filter(l -> !l.contains("jdk.incubator.vector")).reduce("", (a, b) -> a + b + "\n");
        return new Run(p.exitValue(), "", err);
    }
}
