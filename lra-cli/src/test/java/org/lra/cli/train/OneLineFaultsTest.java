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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lra.cli.TestFiles;

/**
 * Absurd settings and mismatched checkpoints end in one line, exit 2, before anything is written (issue 22,
 * items 7 and 12).
 */
class OneLineFaultsTest {

    @TempDir
    static Path tmp;
    static Path data;
    static Path config;
    static Path finished;




    @BeforeAll
    static void aFinishedRun() throws IOException {
        data = tmp.resolve("data");
        TinyRuns.makeData(tmp, data);
        config = TinyRuns.writeConfig(tmp.resolve("tiny.yaml"), 20, 16);
        finished = tmp.resolve("finished");
        assertEquals(0, lra("train", "--config", config.toString(), "--out", finished.toString(),
                "--data-dir", data.toString()).code());
    }

    @Test
    void tenThousandThreadsIsOneLineAndWritesNothing() {
        Path out = tmp.resolve("threads");
        assertOneLineRefusal(lra("train", "--config", config.toString(), "--out", out.toString(), "--data-dir",
                data.toString(), "--threads", "10000"), "threads 10000 is more than 4 per core");
        assertFalse(Files.exists(out), "no run directory, so no result.json saying running");
        assertOneLineRefusal(lra("data", "generate", "listops", "--data-dir", data.toString(), "--name", "t",
                "--threads", "10000"), "--threads 10000 is more than 4 per core");
        assertOneLineRefusal(lra("eval", finished.toString(), "--data-dir", data.toString(), "--threads", "10000"),
                "threads 10000 is more than 4 per core");
    }

    @Test
    void aCheckpointOfAnotherModelNamesItsFirstMismatchesOnOneLine() throws IOException {
        Path run = TestFiles.copyTree(finished, tmp.resolve("other-model"));
        Path yaml = run.resolve("config.yaml");
        Files.writeString(yaml, Files.readString(yaml).replace("  dim: 16", "  dim: 24").replace("headDim: 8", "headDim: 12"));
        Run r = lra("eval", run.toString(), "--checkpoint", "best", "--data-dir", data.toString());
        assertOneLineRefusal(r, "does not fit this model (");
        assertTrue(r.err().matches("(?s).*mismatches\\): [^;]+ shape .*; and \\d+ more.*"), r.err());
    }
}
