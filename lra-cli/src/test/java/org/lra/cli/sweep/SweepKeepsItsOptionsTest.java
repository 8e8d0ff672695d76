package org.lra.cli.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lra.cli.LraCommand;
import org.lra.cli.TestPaths;
import picocli.CommandLine;

/**
 * {@code lra --data-dir D sweep ...} hands D to every run it starts, resumes or emits (issue 22, item 4), and
 * grid names that would put a run directory outside {@code out} are refused (item 14).
 */
class SweepKeepsItsOptionsTest {

    @TempDir
    Path dir;

    private Path grid(String models) throws IOException {
        return Files.writeString(dir.resolve("grid.yaml"), "tasks: [listops]\nmodels: " + models + "\nseeds: [0]\n"
                + "configs: \"" + TestPaths.configsDir() + "/cpu/{task}/{model}.yaml\"\n"
                + "out: " + dir.resolve("runs") + "\nthreads: 1\nparallel: 1\n");
    }

    private static int lra(SweepCommandLauncher launcher, StringWriter out, String... args) {
        CommandLine cmd = LraCommand.commandLine();
        if (launcher != null) {
            ((SweepCommand) cmd.getSubcommands().get("sweep").getCommand()).launcher = launcher.recorder;
        }
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(out));
        return cmd.execute(args);
    }

    /** Records the lra arguments of every run the sweep launches. */
    private static final class SweepCommandLauncher {
        final List<List<String>> launched = new CopyOnWriteArrayList<>();
        final RunLauncher recorder = (run, args, log) -> {
            launched.add(args);
            return 0;
        };
    }

    @Test
    void everyRunGetsTheSweepsDataDir() throws IOException {
        Path data = dir.resolve("my data");
        SweepCommandLauncher launcher = new SweepCommandLauncher();
        assertEquals(0, lra(launcher, new StringWriter(), "--data-dir", data.toString(), "sweep", "--grid",
                grid("[softmax]").toString()));
        List<String> args = launcher.launched.get(0);
        int at = args.indexOf("--data-dir");
        assertTrue(at > 0, args.toString());
        assertEquals(data.toAbsolutePath().toString(), args.get(at + 1));

        // an interrupted run is resumed with it too
        Path runDir = Files.createDirectories(dir.resolve("runs/listops__softmax__s0"));
        Files.writeString(runDir.resolve("config.yaml"), "partial");
        SweepCommandLauncher again = new SweepCommandLauncher();
        assertEquals(0, lra(again, new StringWriter(), "sweep", "--grid", grid("[softmax]").toString(),
                "--data-dir", data.toString()));
        assertEquals(List.of("train", "--resume", runDir.toString(), "--threads", "1", "--data-dir",
                data.toAbsolutePath().toString()), again.launched.get(0));
    }

    @Test
    void withoutDataDirTheRunsResolveTheirOwn() throws IOException {
        SweepCommandLauncher launcher = new SweepCommandLauncher();
        assertEquals(0, lra(launcher, new StringWriter(), "sweep", "--grid", grid("[softmax]").toString()));
        assertFalse(launcher.launched.get(0).contains("--data-dir"), "each node resolves $LRA_DATA_DIR itself");
    }

    @Test
    void emittedScriptsCarryTheDataDirInEveryCommand() throws IOException {
        Path data = dir.resolve("my data");
        String quoted = "'" + data.toAbsolutePath() + "'";
        Path slurm = dir.resolve("sweep.slurm");
        assertEquals(0, lra(null, new StringWriter(), "--data-dir", data.toString(), "sweep", "--grid",
                grid("[softmax]").toString(), "--emit", "slurm", "--out-script", slurm.toString()));
        String text = Files.readString(slurm);
        assertTrue(text.contains("exec scripts/lra train --resume \"$dir\" --threads 1 --data-dir " + quoted), text);
        assertTrue(text.contains(" --check\n") && text.contains("--data-dir " + quoted + " --check\n"), text);
        assertTrue(text.contains("--threads 1 --data-dir " + quoted.replace("'", "'\\''") + " --out "), text);

        Path parallel = dir.resolve("sweep_parallel.sh");
        assertEquals(0, lra(null, new StringWriter(), "sweep", "--grid", grid("[softmax]").toString(), "--emit",
                "parallel", "--out-script", parallel.toString(), "--data-dir", data.toString()));
        assertTrue(Files.readString(parallel).contains("--data-dir " + quoted + " --check\n"));
        assertTrue(Files.readString(dir.resolve("sweep_parallel.sh.jobs")).contains("--data-dir " + quoted + " --out "));
    }

    @Test
    void gridNamesThatLeaveTheOutDirAreRefused() throws IOException {
        for (String models : List.of("['../escape']", "[/tmp/x]", "['a/b']", "['.hidden']")) {
            StringWriter out = new StringWriter();
            assertEquals(2, lra(null, out, "sweep", "--grid", grid(models).toString(), "--dry-run"), out.toString());
            assertTrue(out.toString().contains("models: name"), out.toString());
        }
        assertFalse(Files.exists(dir.resolve("escape")));
    }
}
