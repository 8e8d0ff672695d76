package org.lra.cli.sweep;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lra.cli.report.FakeRunDirs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SweepRunnerTest {

    @TempDir
    Path out;

    /** Records what would have been launched; "finishes" runs by writing a result.json, or fails chosen ones. */
    static final class FakeLauncher implements RunLauncher {
        final Map<String, List<String>> launched = new ConcurrentHashMap<>();
        final Map<String, Integer> exitCodes = new ConcurrentHashMap<>();

        @Override
        public int launch(PlannedRun run, List<String> lraArgs, Path logFile) throws IOException {
            launched.put(run.id(), lraArgs);
            int code = exitCodes.getOrDefault(run.id(), 0);
            if (code == 0) {
                FakeRunDirs.finished(run.runDir().getParent(), run.task(), run.model(), "cpu", run.seed(), 0.5);
            }
            return code;
        }
    }

    private List<PlannedRun> plan(int seeds) {
        List<PlannedRun> plan = new ArrayList<>();
        for (int s = 0; s < seeds; s++) {
            String id = FakeRunDirs.runId("text", "softmax", s);
            plan.add(new PlannedRun(id, "text", "softmax", s, Path.of("configs/cpu/text/softmax.yaml"),
                    List.of("training.lr=3e-4"), out.resolve(id)));
        }
        return plan;
    }

    @Test
    void runStateComesFromTheRunDir() throws IOException {
        assertEquals(RunState.NEW, RunState.of(out.resolve("absent")));
        assertEquals(RunState.NEW, RunState.of(Files.createDirectories(out.resolve("empty"))));
        assertEquals(RunState.FINISHED, RunState.of(FakeRunDirs.finished(out, "text", "softmax", "cpu", 0, 0.6)));
        assertEquals(RunState.DIVERGED, RunState.of(FakeRunDirs.diverged(out, "text", "softmax", "cpu", 1)));
        assertEquals(RunState.INCOMPLETE, RunState.of(FakeRunDirs.running(out, "text", "softmax", "cpu", 2, 10)));
        Path started = Files.createDirectories(out.resolve("started"));
        Files.writeString(started.resolve("run.json"), "{}");
        assertEquals(RunState.INCOMPLETE, RunState.of(started), "no result.json yet");
        Files.writeString(started.resolve("result.json"), "{\"status\": \"fin");
        assertEquals(RunState.INCOMPLETE, RunState.of(started), "torn result.json");
    }

    @Test
    void skipsFinishedResumesIncompleteStartsNew() throws Exception {
        List<PlannedRun> plan = plan(4);
        FakeRunDirs.finished(out, "text", "softmax", "cpu", 0, 0.6);
        FakeRunDirs.diverged(out, "text", "softmax", "cpu", 1);
        FakeRunDirs.running(out, "text", "softmax", "cpu", 2, 10);
        FakeLauncher launcher = new FakeLauncher();

        List<SweepRunner.Outcome> outcomes = new SweepRunner(launcher, 2, new TrainArgs(3, null), out.resolve("logs")).run(plan);

        assertEquals(List.of(RunState.FINISHED, RunState.DIVERGED, RunState.INCOMPLETE, RunState.NEW),
                outcomes.stream().map(SweepRunner.Outcome::stateBefore).toList());
        assertNull(outcomes.get(0).exitCode());
        assertNull(outcomes.get(1).exitCode());
        assertEquals(2, launcher.launched.size());
        assertEquals(List.of("train", "--resume", out.resolve("text__softmax__s2").toString(), "--threads", "3"),
                launcher.launched.get("text__softmax__s2"));
        assertEquals(List.of("train", "--config", "configs/cpu/text/softmax.yaml", "--seed", "3", "--threads", "3",
                        "--out", out.resolve("text__softmax__s3").toString(), "--set", "training.lr=3e-4"),
                launcher.launched.get("text__softmax__s3"));

        FakeLauncher again = new FakeLauncher();
        new SweepRunner(again, 2, new TrainArgs(3, null), out.resolve("logs")).run(plan);
        assertEquals(Map.of(), again.launched, "a second sweep has nothing left to do");
    }

    @Test
    void failuresAreCollectedAndTheRestStillRun() throws Exception {
        List<PlannedRun> plan = plan(3);
        FakeLauncher launcher = new FakeLauncher();
        launcher.exitCodes.put("text__softmax__s1", 3);
        List<SweepRunner.Outcome> outcomes = new SweepRunner(launcher, 1, new TrainArgs(1, null), out.resolve("logs")).run(plan);
        assertEquals(3, launcher.launched.size());
        List<String> failed = outcomes.stream().filter(SweepRunner.Outcome::failed).map(o -> o.run().id()).toList();
        assertEquals(List.of("text__softmax__s1"), failed);
    }

    @Test
    void parallelRunsOverlap() throws Exception {
        List<PlannedRun> plan = plan(4);
        List<Integer> concurrency = Collections.synchronizedList(new ArrayList<>());
        int[] active = {0};
        // Every launch waits until a second one is running beside it: a runner that launched one at a time
        // would leave the first waiting alone, so the barrier times out and the test fails. No sleeps.
        CyclicBarrier pair = new CyclicBarrier(2);
        RunLauncher paired = (run, args, log) -> {
            synchronized (active) {
                concurrency.add(++active[0]);
            }
            try {
                pair.await(30, TimeUnit.SECONDS);
            } catch (TimeoutException | BrokenBarrierException e) {
                throw new IOException("no second run started beside " + run.id(), e);
            } finally {
                synchronized (active) {
                    active[0]--;
                }
            }
            return 0;
        };
        new SweepRunner(paired, 2, new TrainArgs(1, null), out.resolve("logs")).run(plan);
        assertTrue(concurrency.stream().anyMatch(c -> c == 2), "two at a time: " + concurrency);
        assertTrue(concurrency.stream().allMatch(c -> c <= 2), "never more than parallel: " + concurrency);
    }

    @Test
    void childCommandReusesThisJvmsClassPath() {
        List<String> cmd = JvmLauncher.command(List.of("train", "--resume", "runs/x"));
        assertTrue(cmd.get(0).endsWith("java"), cmd.get(0));
        int cp = cmd.indexOf("-cp");
        assertEquals(System.getProperty("java.class.path"), cmd.get(cp + 1));
        assertEquals("org.lra.cli.LraCommand", cmd.get(cp + 2));
        assertEquals(List.of("train", "--resume", "runs/x"), cmd.subList(cp + 3, cmd.size()));
    }
}
