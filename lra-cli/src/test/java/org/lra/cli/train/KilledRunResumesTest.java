package org.lra.cli.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lra.cli.LraCommand;
import org.lra.data.DataSettings;
import org.lra.data.Task;
import org.lra.data.generate.ListOpsGenerator;
import org.lra.data.ingest.Importer;

/**
 * The promise of {@code lra train --resume}: a run killed with SIGKILL in the middle of training, then
 * resumed, ends with exactly the numbers of a run that was never interrupted.
 */
class KilledRunResumesTest {

    static final String CONFIG = """
            name: fmm-2kernel-band5
            scale: cpu
            threads: 1
            task: {name: listops, dataset: listops-tiny, maxLength: 64}
            model:
              vocabSize: 32
              maxLength: 64
              numClasses: 10
              dim: 16
              heads: 2
              headDim: 8
              ffnDim: 32
              headHidden: 32
              attention:
                type: fmm
                bandwidth: 3
                kernels: [elu, elu_flip]
                blend:
                  near: {shape: per_head, init: 1.0, learnable: true}
                  far: {shape: per_head, init: 0.0, learnable: true}
                  kernels: [{shape: scalar, init: 1.0, learnable: true}, {shape: scalar, init: 0.0, learnable: true}]
            training: {batchSize: 8, steps: 400, warmupSteps: 40, lr: 1.0e-3, evalEvery: 20, evalSteps: 4}
            """;

    @Test
    void runKilledWithSigkillResumesToTheSameFinalNumbers(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        Path tsv = tmp.resolve("tsv");
        new ListOpsGenerator().generate(tsv, ListOpsGenerator.Options.defaults().withSplits(400, 60, 60)
                .withLengths(5, 64).withThreads(1));
        new Importer(data).importTask(Task.LISTOPS, tsv,
                DataSettings.defaults().withMaxLength(64).withName("listops-tiny"), true);
        Path config = tmp.resolve("tiny.yaml");
        Files.writeString(config, CONFIG);

        Path straight = tmp.resolve("straight");
        assertEquals(0, LraCommand.commandLine().execute("train", "--config", config.toString(),
                "--data-dir", data.toString(), "--out", straight.toString()));

        Path killed = tmp.resolve("killed");
        Process child = new ProcessBuilder(javaCommand("train", "--config", config.toString(),
                "--data-dir", data.toString(), "--out", killed.toString()))
                .redirectErrorStream(true).redirectOutput(tmp.resolve("child.out").toFile()).start();
        Path log = killed.resolve("train.log");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!(Files.exists(log) && Files.readString(log).contains("checkpoint at step 60"))) {
            assertTrue(child.isAlive(), "the child finished or died before it could be killed");
            assertTrue(System.nanoTime() < deadline, "no checkpoint within 120 s");
            Thread.sleep(20);
        }
        child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no flushing
        child.waitFor();
        assertFalse(Files.readString(killed.resolve("result.json")).contains("finished"));

        assertEquals(0, LraCommand.commandLine().execute("train", "--resume", killed.toString(),
                "--data-dir", data.toString()));

        String a = stripTimings(Files.readString(straight.resolve("result.json")));
        String b = stripTimings(Files.readString(killed.resolve("result.json")));
        assertEquals(a.replace("straight", "RUN"), b.replace("killed", "RUN"));
        assertEquals(lossColumn(straight), lossColumn(killed), "every step's loss, before and after the kill");
    }

    /** Drops the fields that measure time or memory, which legitimately differ. */
    private static String stripTimings(String json) {
        return json.lines().filter(l -> !l.matches(".*\"(medianStepMs|p90StepMs|tokensPerS|peakRssMb|wallSeconds)\".*"))
                .reduce("", (x, y) -> x + y + "\n");
    }

    private static List<String> lossColumn(Path run) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.csv"))) {
            String[] f = line.split(",", -1);
            out.add(f[0] + "," + f[1] + "," + f[2] + "," + f[3] + "," + f[4] + "," + f[5]);
        }
        return out;
    }

    private static List<String> javaCommand(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.add("-Dorg.bytedeco.javacpp.maxbytes=2g");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(LraCommand.class.getName());
        cmd.addAll(List.of(args));
        return cmd;
    }
}
