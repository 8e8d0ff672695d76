package org.lra.cli.train;

import static org.lra.cli.CliRuns.assertOneLineRefusal;
import com.fasterxml.jackson.databind.JsonNode;
import static org.lra.cli.CliRuns.lra;
import org.lra.cli.CliRuns.Run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lra.cli.ExitCodes;
import org.lra.cli.TestFiles;
import org.lra.model.checkpoint.Checkpoint;

/**
 * Faults a user meets, injected for real: a corrupt or truncated checkpoint, a corrupt or truncated cache file,
 * and a disk that fills up during training (a real, small tmpfs; needs root, skipped otherwise). Each ends with
 * one line naming the file, and the command that fixes it, and the right exit code.
 */
class RunFaultsTest {

    @TempDir
    static Path tmp;
    static Path data;
    static Path config;
    /** A finished 40-step run, copied for each test that damages it. */
    static Path finished;

    @BeforeAll
    static void aFinishedRun() throws IOException {
        data = tmp.resolve("data");
        TinyRuns.makeData(tmp, data);
        config = TinyRuns.writeConfig(tmp.resolve("tiny.yaml"), 40, 16);
        finished = tmp.resolve("finished");
        assertEquals(0, lra("train", "--config", config.toString(), "--out", finished.toString(),
                "--data-dir", data.toString()).code());
    }

    @Test
    void corruptOrTruncatedCheckpointIsAnInputErrorNamingFileAndFix() throws IOException {
        Path run = TestFiles.copyTree(finished, tmp.resolve("corrupt-ckpt"));
        Path last = run.resolve("checkpoints/last.ckpt");
        flipByte(last, Files.size(last) / 2);
        Run r = lra("train", "--resume", run.toString(), "--data-dir", data.toString());
        assertOneLineInputError(r, last, "checksum");
        assertTrue(r.err().contains("lra train --force --config " + run.resolve("config.yaml") + " --out " + run), r.err());

        Path best = run.resolve("checkpoints/best.ckpt");
        truncate(best, 100);
        Run e = lra("eval", run.toString(), "--checkpoint", "best", "--data-dir", data.toString());
        assertOneLineInputError(e, best, "");

        // and the fix the message names works
        Run fixed = lra("train", "--force", "--config", run.resolve("config.yaml").toString(), "--out", run.toString(),
                "--data-dir", data.toString());
        assertEquals(0, fixed.code(), fixed.err());
    }

    /**
     * Pooling has no weights of its own, so only the checkpoint's record of it can tell: a run's checkpoints read
     * with another model.pooling (config.yaml edited by hand) are refused, by eval and by --resume alike.
     */
    @Test
    void checkpointOfAnotherPoolingIsAnInputError() throws IOException {
        Path run = TestFiles.copyTree(finished, tmp.resolve("other-pooling"));
        String knobs = Files.readString(run.resolve("run.json"));
        assertTrue(knobs.contains("\"pooling\" : \"mean\","), knobs);
        JsonNode values = new com.fasterxml.jackson.databind.ObjectMapper().readTree(knobs).get("knobs");
        assertEquals(20, values.get("devEvaluation").get("everySteps").asInt(), "knobs are values, not prose");
        assertTrue(values.get("poolingIsReference").asBoolean());
        Path config = run.resolve("config.yaml");
        String yaml = Files.readString(config);
        assertTrue(yaml.contains("\n  pooling: mean\n"), yaml);
        Files.writeString(config, yaml.replace("\n  pooling: mean\n", "\n  pooling: cls\n"));
        Path best = run.resolve("checkpoints/best.ckpt");
        Run e = lra("eval", run.toString(), "--checkpoint", "best", "--data-dir", data.toString());
        assertOneLineInputError(e, best, "written by a model with model.pooling mean, this model has model.pooling cls");
        Run r = lra("train", "--resume", run.toString(), "--data-dir", data.toString());
        assertOneLineInputError(r, run.resolve("checkpoints/last.ckpt"), "model.pooling mean");
    }

    @Test
    void corruptOrTruncatedCacheIsAnInputErrorNamingFileAndFix() throws IOException {
        Path damaged = tmp.resolve("data-damaged");
        TestFiles.copyTree(data, damaged);
        Path dataFile;
        try (Stream<Path> s = Files.list(damaged.resolve(TinyRuns.DATASET))) {
            dataFile = s.filter(p -> p.getFileName().toString().startsWith("train") && Files.isRegularFile(p))
                    .sorted().findFirst().orElseThrow();
        }
        flipByte(dataFile, Files.size(dataFile) - 1);
        Run r = lra("train", "--config", config.toString(), "--out", tmp.resolve("on-corrupt-cache").toString(),
                "--data-dir", damaged.toString());
        assertOneLineInputError(r, dataFile, "corrupt cache");
        assertTrue(r.err().contains("rebuild it with: lra data generate listops --name " + TinyRuns.DATASET), r.err());
        assertEquals(List.of(), names(tmp.resolve("on-corrupt-cache")), "a run that never started leaves nothing");

        truncate(dataFile, Files.size(dataFile) - 1);
        Run t = lra("train", "--config", config.toString(), "--out", tmp.resolve("on-short-cache").toString(),
                "--data-dir", damaged.toString());
        assertOneLineInputError(t, dataFile, "corrupt cache");
    }

    /**
     * A tmpfs with room for the run's small files and two checkpoints, not three: the first evaluation writes
     * best.ckpt and last.ckpt, the second needs a third checkpoint's room for its temporary file and fails.
     */
    @Test
    void diskFullDuringTrainingIsOneLineAndKeepsThePreviousCheckpoint() throws Exception {
        Path bigConfig = TinyRuns.writeConfig(tmp.resolve("big.yaml"), 40, 64);
        Path measured = tmp.resolve("measured");
        assertEquals(0, lra("train", "--config", bigConfig.toString(), "--out", measured.toString(),
                "--data-dir", data.toString()).code());
        long ckpt = Files.size(measured.resolve("checkpoints/last.ckpt"));
        assumeTrue(ckpt > 400_000, "the checkpoint must dwarf the small files for the sizes below: " + ckpt);

        Path mnt = Files.createDirectories(tmp.resolve("tmpfs"));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=" + (ckpt * 5 / 2 / 1024) + "k", "tmpfs", mnt.toString()) == 0,
                "mounting a tmpfs needs root");
        try {
            Path run = mnt.resolve("run");
            Run r = lra("train", "--config", bigConfig.toString(), "--out", run.toString(),
                    "--data-dir", data.toString());
            assertEquals(ExitCodes.FAILURE, r.code(), r.err());
            List<String> lines = r.err().strip().lines().toList();
            assertEquals(1, lines.size(), r.err());
            assertTrue(lines.get(0).matches("lra train: error: no space left on device writing "
                    + java.util.regex.Pattern.quote(run.resolve("checkpoints").toString()) + "/(best|last)\\.ckpt.*"),
                    lines.get(0));
            assertFalse(r.err().contains("Exception"), r.err());
            assertEquals(List.of(), leftovers(run), "no temporary files");
            assertEquals(20, Checkpoint.readHeader(run.resolve("checkpoints/last.ckpt")).step());

            // the step-20 checkpoint is intact: evaluate it from a copy on a disk with room
            Path rescued = TestFiles.copyTree(run, tmp.resolve("rescued"));
            Run e = lra("eval", rescued.toString(), "--checkpoint", "last", "--data-dir", data.toString());
            assertEquals(0, e.code(), e.err());
        } finally {
            run("umount", mnt.toString());
        }
    }

    private static void assertOneLineInputError(Run r, Path file, String says) {
        assertEquals(ExitCodes.INPUT, r.code(), r.err());
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.contains(file.toString()) && err.contains(says), err);
        assertFalse(err.contains("Exception"), err);
    }

    private static void flipByte(Path file, long at) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x5a);
        }
    }

    private static void truncate(Path file, long size) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        }
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    private static List<String> leftovers(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList();
        }
    }

    private static int run(String... cmd) throws IOException, InterruptedException {
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start().waitFor();
    }

    // Absurd settings and mismatched checkpoints (issue 22, items 7 and 12): one line, exit 2, nothing written.

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
