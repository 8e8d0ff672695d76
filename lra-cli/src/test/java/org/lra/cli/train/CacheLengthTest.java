package org.lra.cli.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lra.cli.ExitCodes;
import org.lra.cli.LraCommand;
import org.lra.data.DataSettings;
import org.lra.data.Task;
import org.lra.data.generate.ListOpsGenerator;
import org.lra.data.ingest.Importer;
import picocli.CommandLine;

/**
 * A cache truncated shorter than the config's {@code task.maxLength} is refused by train and by
 * {@code sweep --check}, naming the dataset and the command that rebuilds it (issue 22, item 6); that command
 * works as printed.
 */
class CacheLengthTest {

    @TempDir
    Path tmp;

    private static int lra(StringWriter err, String... args) {
        CommandLine cmd = LraCommand.commandLine();
        cmd.setErr(new PrintWriter(err));
        cmd.setOut(new PrintWriter(new StringWriter()));
        return cmd.execute(args);
    }

    @Test
    void aShorterCacheIsRefusedWithItsRebuildCommand() throws IOException {
        Path tsv = tmp.resolve("tsv");
        new ListOpsGenerator().generate(tsv, ListOpsGenerator.Options.defaults().withSplits(400, 60, 60)
                .withLengths(5, 64).withThreads(1));
        Path data = tmp.resolve("data");
        new Importer(data).importTask(Task.LISTOPS, tsv, DataSettings.defaults().withMaxLength(16)
                .withName(TinyRuns.DATASET), true);
        Path config = TinyRuns.writeConfig(tmp.resolve("tiny.yaml"), 20, 16);

        StringWriter err = new StringWriter();
        Path out = tmp.resolve("run");
        assertEquals(ExitCodes.INPUT, lra(err, "train", "--config", config.toString(), "--out", out.toString(),
                "--data-dir", data.toString()));
        String line = err.toString().strip();
        assertEquals(1, line.lines().count(), line);
        String rebuild = "lra data import listops --from " + tsv.toAbsolutePath() + " --name " + TinyRuns.DATASET
                + " --max-length 64 --force --data-dir " + data;
        assertTrue(line.contains("dataset '" + TinyRuns.DATASET + "' was built with maxLength 16, shorter than "
                + "task.maxLength 64; rebuild it with: " + rebuild), line);
        assertFalse(Files.exists(out.resolve("run.json")));

        Path grid = Files.writeString(tmp.resolve("grid.yaml"), "tasks: [listops]\nmodels: [tiny]\nseeds: [0]\n"
                + "configs: \"" + tmp + "/{model}.yaml\"\nout: " + tmp.resolve("runs") + "\n");
        StringWriter sweepErr = new StringWriter();
        assertEquals(ExitCodes.INPUT, lra(sweepErr, "--data-dir", data.toString(), "sweep", "--grid", grid.toString(),
                "--check"));
        assertTrue(sweepErr.toString().contains("was built with maxLength 16"), sweepErr.toString());

        String[] fix = rebuild.substring("lra ".length()).split(" ");
        assertEquals(0, lra(new StringWriter(), fix));
        assertEquals(0, lra(new StringWriter(), "train", "--config", config.toString(), "--out", out.toString(),
                "--data-dir", data.toString()));
    }
}
