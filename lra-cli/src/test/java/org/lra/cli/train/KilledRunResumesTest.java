package org.lra.cli.train;

import org.lra.cli.rundir.RunDirLock;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.lra.cli.rundir.RunFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lra.cli.ExitCodes;
import org.lra.cli.LraCommand;
import org.lra.cli.VersionProvider;
import org.lra.cli.TestFiles;
import org.lra.cli.report.RunDirScanner;
import org.lra.cli.rundir.RunResult;
import org.lra.model.checkpoint.Checkpoint;
import picocli.CommandLine;

/**
 * The promise of {@code lra train --resume}: a run killed with SIGKILL, or stopped with SIGTERM, in the middle of
 * training, then resumed, ends with exactly the numbers of a run that was never interrupted.
 */
class KilledRunResumesTest {


    @TempDir
    static Path tmp;
    static Path data;
    static Path config;
    /** The uninterrupted run every interrupted one must match. */
    static Path straight;

    @BeforeAll
    static void dataAndAnUninterruptedRun() throws Exception {
        data = tmp.resolve("data");
        TinyRuns.makeData(tmp, data);
        config = TinyRuns.writeConfig(tmp.resolve("tiny.yaml"), 400, 16);
        straight = tmp.resolve("straight");
        assertEquals(0, LraCommand.commandLine().execute("train", "--config", config.toString(),
                "--data-dir", data.toString(), "--out", straight.toString()));
    }

    /** blend.csv: every layer (2) and head (2) at every evaluation (every 20 of 400 steps), weights and field RMS. */
    @Test
    void blendCsvHoldsEveryLayerAndHeadAtEveryEvaluation() throws IOException {
        List<String> lines = Files.readAllLines(straight.resolve("blend.csv"));
        assertEquals("step,layer,head,near,far,kernel0,kernel1,near_rms,far_rms", lines.get(0));
        assertEquals(1 + 20 * 2 * 2, lines.size());
        assertTrue(lines.get(1).startsWith("20,0,0,"), lines.get(1));
        assertTrue(lines.get(lines.size() - 1).startsWith("400,1,1,"), lines.get(lines.size() - 1));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            double near = Double.parseDouble(f[3]);
            double nearRms = Double.parseDouble(f[7]);
            double farRms = Double.parseDouble(f[8]);
            assertTrue(near > 0.5 && near < 1.5, "near starts at 1 and moves by about lr per step: " + line);
            assertTrue(nearRms > 0 && Double.isFinite(nearRms) && farRms > 0 && Double.isFinite(farRms), line);
        }
    }

    /**
     * A run that died after its last training step (here: a finished run's directory, resumed again) has nothing
     * left to train: --resume only tests the best checkpoint. Its result has the same numbers, and the step
     * timings its checkpoint carried (the straight run's), never the string "NaN".
     */
    @Test
    void resumeWithNoStepsLeftOnlyTestsAndKeepsTheCheckpointsTimings() throws Exception {
        Path done = tmp.resolve("done");
        TestFiles.copyTree(straight, done, RunFiles.LOCK);
        assertEquals(0, LraCommand.commandLine().execute("train", "--resume", done.toString(),
                "--data-dir", data.toString()));
        String json = Files.readString(done.resolve("result.json"));
        assertFalse(json.contains("NaN"), json);
        for (String field : List.of("medianStepMs", "p90StepMs")) {
            // the checkpoint keeps each step's time to the microsecond
            assertEquals(timing(straight, field), timing(done, field), 1e-3, field);
        }
        assertSameNumbers(done);
    }

    private static double timing(Path run, String field) throws IOException {
        Matcher m = Pattern.compile("\"" + field + "\" : ([0-9.]+)").matcher(Files.readString(run.resolve("result.json")));
        assertTrue(m.find(), run + ": no " + field);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void runKilledWithSigkillResumesToTheSameFinalNumbers() throws Exception {
        Path killed = tmp.resolve("killed");
        Process child = startChild(killed);
        awaitLog(child, killed, "checkpoint at step 60");
        child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no flushing
        child.waitFor();
        assertFalse(Files.readString(killed.resolve("result.json")).contains("finished"));
        assertTrue(Files.exists(killed.resolve(RunFiles.LOCK)), "the dead run's lock file is still there");
        assertEquals(Optional.empty(), RunDirLock.holder(killed), "but nobody holds it: the OS released the lock");

        assertEquals(0, LraCommand.commandLine().execute("train", "--resume", killed.toString(),
                "--data-dir", data.toString()));
        assertSameNumbers(killed);

        // run.json: the killed process kept the step of its last checkpoint and no end; the resume finished
        JsonNode processes = processes(killed);
        assertEquals(2, processes.size(), processes.toString());
        assertEquals(1, processes.get(0).get("firstStep").asLong());
        // (a kill between a checkpoint and run.json's update leaves the entry one checkpoint behind)
        long lastRecorded = processes.get(0).get("lastStep").asLong();
        assertTrue(lastRecorded >= 20 && lastRecorded < processes.get(1).get("firstStep").asLong(), processes.toString());
        assertTrue(processes.get(0).get("endedAt").isNull() && processes.get(0).get("outcome").isNull());
        assertEquals("finished", processes.get(1).get("outcome").asText());
        assertEquals(400, processes.get(1).get("lastStep").asLong());
        Map<String, String> written = Checkpoint.readHeader(killed.resolve("checkpoints/last.ckpt")).extra();
        assertEquals(processes.get(1).get("firstStep").asText(), written.get("process.firstStep"),
                "the checkpoint names the process that wrote it");
        assertEquals(VersionProvider.buildCommit(), written.get("process.build"));
    }

    private static JsonNode processes(Path run) throws IOException {
        return new ObjectMapper().readTree(run.resolve(RunFiles.RUN_JSON).toFile()).get("processes");
    }

    /**
     * SIGTERM mid-training: the run checkpoints the step it reached (not the last evaluation's), says where,
     * exits 143 and resumes to the same numbers. While it runs, its directory is locked against a second train,
     * --force and --resume included.
     */
    @Test
    void sigtermCheckpointsTheCurrentStepAndTheLockKeepsOthersOut() throws Exception {
        Path termed = tmp.resolve("termed");
        Process child = startChild(termed);
        awaitLog(child, termed, "checkpoint at step 20");
        signal("STOP", child);   // frozen, still holding the lock, so the checks below cannot race its finish
        try {
            assertEquals(Optional.of(child.pid()), RunDirLock.holder(termed));
            for (String[] args : new String[][] {
                    {"train", "--config", config.toString(), "--out", termed.toString(), "--force"},
                    {"train", "--resume", termed.toString()}}) {
                StringWriter err = new StringWriter();
                CommandLine cmd = LraCommand.commandLine();
                cmd.setErr(new PrintWriter(err));
                assertEquals(ExitCodes.INPUT, cmd.execute(args), err.toString());
                assertTrue(err.toString().contains(termed.toString()) && err.toString().contains("PID " + child.pid()),
                        err.toString());
            }
            assertTrue(Files.exists(termed.resolve("checkpoints/last.ckpt")), "--force deleted nothing");
            signal("TERM", child);
        } finally {
            signal("CONT", child);
        }
        assertEquals(ExitCodes.SIGTERM, child.waitFor(), Files.readString(tmp.resolve("termed.out")));
        String log = Files.readString(termed.resolve("train.log"));
        Matcher m = Pattern.compile("stopped by SIGTERM after step (\\d+): run state saved to (\\S+);").matcher(log);
        assertTrue(m.find(), log);
        assertTrue(Files.readString(tmp.resolve("termed.out")).contains("stopped: SIGTERM after step " + m.group(1)),
                "stderr says it too");
        assertEquals(Long.parseLong(m.group(1)), Checkpoint.readHeader(Path.of(m.group(2))).step(),
                "last.ckpt holds the step it stopped at");
        RunResult stopped = RunDirScanner.readResult(termed);
        assertEquals(RunResult.STOPPED, stopped.status(), "result.json says it stopped");
        assertEquals(Integer.parseInt(m.group(1)), stopped.steps());
        assertFalse(listing(termed.resolve("checkpoints")).stream().anyMatch(n -> n.contains("tmp")),
                "no temporary files: " + listing(termed.resolve("checkpoints")));

        assertEquals(0, LraCommand.commandLine().execute("train", "--resume", termed.toString(),
                "--data-dir", data.toString()));
        assertSameNumbers(termed);
        String build = "(build " + VersionProvider.buildCommit() + ")";
        List<String> starts = Files.readAllLines(termed.resolve("train.log")).stream()
                .filter(l -> l.contains(" start: ") || l.contains(" resume at step ")).toList();
        assertEquals(2, starts.size(), "one start, one resume: " + starts);
        assertTrue(starts.get(0).endsWith("start: 400 steps " + build), starts.get(0));
        assertTrue(starts.get(1).endsWith("resume at step " + m.group(1) + " of 400 " + build), starts.get(1));
        JsonNode processes = processes(termed);
        assertEquals("stopped by SIGTERM", processes.get(0).get("outcome").asText(), processes.toString());
        assertEquals(Long.parseLong(m.group(1)), processes.get(0).get("lastStep").asLong());
        assertFalse(processes.get(0).get("endedAt").isNull());
        assertEquals(VersionProvider.buildCommit(), processes.get(1).get("build").asText());
    }

    private static Process startChild(Path runDir) throws IOException {
        return new ProcessBuilder(javaCommand("train", "--config", config.toString(),
                "--data-dir", data.toString(), "--out", runDir.toString()))
                .redirectErrorStream(true).redirectOutput(tmp.resolve(runDir.getFileName() + ".out").toFile()).start();
    }

    private static final long AWAIT_LOG_SECONDS = 300;

    private static void awaitLog(Process child, Path runDir, String text) throws Exception {
        Path log = runDir.resolve("train.log");
        // generous: a child JVM on a loaded 2-core machine can take minutes to reach its first checkpoints
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(AWAIT_LOG_SECONDS);
        while (!(Files.exists(log) && Files.readString(log).contains(text))) {
            assertTrue(child.isAlive(), "the child finished or died before it could be stopped");
            assertTrue(System.nanoTime() < deadline, "no '" + text + "' within " + AWAIT_LOG_SECONDS + " s");
            Thread.sleep(20);
        }
    }

    private static void signal(String name, Process p) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + name, Long.toString(p.pid())).inheritIO().start().waitFor());
    }

    private static List<String> listing(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    /** Final numbers and every step's loss equal those of the uninterrupted run. */
    private static void assertSameNumbers(Path run) throws IOException {
        String name = run.getFileName().toString();
        String a = stripTimings(Files.readString(straight.resolve("result.json")));
        String b = stripTimings(Files.readString(run.resolve("result.json")));
        assertEquals(a.replace("straight", "RUN"), b.replace(name, "RUN"));
        assertEquals(lossColumn(straight), lossColumn(run), "every step's loss, before and after the interruption");
        assertEquals(Files.readString(straight.resolve("blend.csv")), Files.readString(run.resolve("blend.csv")),
                "the fmm blend diagnostics of every evaluation, before and after the interruption");
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
        cmd.add("--add-modules=jdk.incubator.vector"); // the engine's float32 kernels
        cmd.add("-Xmx512m");
        cmd.add("-Dorg.bytedeco.javacpp.maxbytes=2g");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(LraCommand.class.getName());
        cmd.addAll(List.of(args));
        return cmd;
    }
}
