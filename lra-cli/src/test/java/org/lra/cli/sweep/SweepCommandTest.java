package org.lra.cli.sweep;

import org.lra.cli.rundir.RunFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lra.cli.LraCommand;
import org.lra.cli.LraExceptionHandler;
import org.lra.cli.TestPaths;
import org.lra.cli.report.FakeRunDirs;
import org.lra.cli.rundir.RunDirLock;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class SweepCommandTest {

    @TempDir
    Path dir;

    record Run(int code, String out) {
    }

    private Path gridFile(String extra) throws IOException {
        Path grid = dir.resolve("grid.yaml");
        Files.writeString(grid, "tasks: [listops, pathfinder]\nmodels: [softmax, 'fmm-2kernel-band5']\nseeds: [0, 1]\n"
                + "configs: \"" + TestPaths.configsDir() + "/cpu/{task}/{model}.yaml\"\n"
                + "out: " + dir.resolve("runs") + "\nthreads: 2\nparallel: 2\n" + extra);
        return grid;
    }

    private Run run(RunLauncher launcher, String... args) {
        SweepCommand command = new SweepCommand();
        if (launcher != null) {
            command.launcher = launcher;
        }
        CommandLine cmd = new CommandLine(command);
        cmd.setExecutionExceptionHandler(new LraExceptionHandler());
        StringWriter out = new StringWriter();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(new StringWriter()));
        return new Run(cmd.execute(args), out.toString());
    }

    @Test
    void dryRunListsEveryRunAndItsState() throws IOException {
        Path grid = gridFile("");
        FakeRunDirs.finished(dir.resolve("runs"), "listops", "softmax", "cpu", 0, 0.3);
        Run r = run(null, "--grid", grid.toString(), "--dry-run");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("finished\tlistops__softmax__s0\t"), r.out());
        assertTrue(r.out().contains("new\tpathfinder__fmm-2kernel-band5__s1\t"), r.out());
        assertTrue(r.out().endsWith("8 runs\n"), r.out());
    }

    @Test
    void failedChildMakesTheSweepExitOne() throws IOException {
        Path grid = gridFile("");
        RunLauncher failing = (run, args, log) -> run.id().equals("listops__softmax__s1") ? 1 : 0;
        Run r = run(failing, "--grid", grid.toString());
        assertEquals(1, r.code());
        assertTrue(r.out().contains("8 runs: 7 ran ok, 0 skipped (already done), 1 failed"), r.out());
        assertTrue(r.out().contains("FAILED listops__softmax__s1 exit 1"), r.out());
        assertEquals(0, run((run, args, log) -> 0, "--grid", grid.toString()).code());
    }

    @Test
    void badGridExitsTwo() throws IOException {
        Path grid = gridFile("bogus: 1\n");
        assertEquals(2, run(null, "--grid", grid.toString(), "--dry-run").code());
    }

    @Test
    void slurmScriptIsFitForARealCluster() throws IOException {
        Path grid = gridFile("");
        Path script = dir.resolve("sweep.slurm");
        Run r = run(null, "--grid", grid.toString(), "--emit", "slurm", "--out-script", script.toString());
        assertEquals(0, r.code(), r.out());
        String text = Files.readString(script);
        assertTrue(text.contains("#SBATCH --array=0-7%2\n"), text);
        assertTrue(text.contains("#SBATCH --cpus-per-task=2\n"), text);
        assertTrue(text.contains("#SBATCH --requeue\n#SBATCH --signal=B:TERM@120\n"), text);
        assertTrue(text.matches("(?s).*#SBATCH --time=\\d\\d:\\d0:00\n.*"), text);
        assertTrue(text.matches("(?s).*#SBATCH --mem=\\d+G\n.*"), text);
        // Slurm does not create the log directory and opens the log before the script runs: emit made it.
        Path logs = dir.resolve("runs/logs");
        assertTrue(text.contains("#SBATCH --output=" + logs + "/slurm-%A_%a.log\n"), text);
        assertTrue(Files.isDirectory(logs));
        assertTrue(text.contains("cd \"${LRA_REPO:-" + Path.of("").toAbsolutePath() + "}\"\n"), text);
        assertTrue(text.contains("\nscripts/lra sweep --grid " + grid + " --check\n"), text);
        for (PlannedRun p : SweepPlanner.expand(SweepGridLoader.load(grid))) {
            assertTrue(text.contains(p.runDir() + " scripts/lra train --config "), p.id());
        }
        assertTrue(text.contains("exec scripts/lra train --resume \"$dir\" --threads 2"), text);
    }

    @Test
    void threadsOptionOverridesTheGrids() throws IOException {
        Path script = dir.resolve("sweep.slurm");
        CommandLine cmd = LraCommand.commandLine();
        cmd.setOut(new PrintWriter(new StringWriter()));
        assertEquals(0, cmd.execute("sweep", "--grid", gridFile("").toString(), "--emit", "slurm", "--out-script",
                script.toString(), "--threads", "4"));
        String text = Files.readString(script);
        assertTrue(text.contains("#SBATCH --cpus-per-task=4\n"), text);
        assertTrue(text.contains(" --threads 4 --out "), text);
    }

    @Test
    void gridTimeAndMemOverrideTheEstimate() throws IOException {
        Path script = dir.resolve("sweep.slurm");
        assertEquals(0, run(null, "--grid", gridFile("time: \"1-12:00:00\"\nmem: 6G\n").toString(), "--emit", "slurm",
                "--out-script", script.toString()).code());
        String text = Files.readString(script);
        assertTrue(text.contains("#SBATCH --time=1-12:00:00\n#SBATCH --mem=6G\n"), text);
        assertEquals(2, run(null, "--grid", gridFile("mem: 6GB\n").toString(), "--emit", "slurm").code());
        assertEquals(2, run(null, "--grid", gridFile("time: 90\n").toString(), "--emit", "slurm").code());
    }

    @Test
    void parallelJobsFileHasOneLinePerRunAndADriver() throws IOException {
        Path grid = gridFile("overrides: {training.lr: [1e-4, 2e-4]}\n");
        Run r = run(null, "--grid", grid.toString(), "--emit", "parallel");
        assertEquals(0, r.code(), r.out());
        Path driver = dir.resolve("runs/sweep_parallel.sh");
        List<String> jobs = Files.readAllLines(dir.resolve("runs/sweep_parallel.sh.jobs"));
        assertEquals(16, jobs.size());
        assertTrue(jobs.stream().allMatch(l -> l.startsWith("run_one ") && l.contains(" --set training.lr=")), jobs.get(0));
        List<PlannedRun> plan = SweepPlanner.expand(SweepGridLoader.load(grid));
        assertTrue(jobs.get(3).endsWith(" >> " + dir.resolve("runs/logs/" + plan.get(3).id() + ".log") + " 2>&1"),
                jobs.get(3));
        String text = Files.readString(driver);
        assertTrue(text.contains("\nexec parallel --jobs 2 --joblog " + dir.resolve("runs/logs") + "/parallel.joblog "), text);
        assertTrue(text.contains(" ${args[@]+\"${args[@]}\"} < "), text); // --resume-failed, --sshloginfile ... reach parallel
        assertTrue(text.contains("export -f run_one"), text);
    }

    /** Executes the emitted Slurm script with a stub scripts/lra: quoting and run_one work in a real bash. */
    @Test
    void emittedSlurmScriptRunsUnderBash() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash");
        Path grid = gridFile("overrides: {note: [\"it's a test\"]}\n");
        Path script = dir.resolve("sweep.slurm");
        assertEquals(0, run(null, "--grid", grid.toString(), "--emit", "slurm", "--out-script", script.toString()).code());
        Path stub = Files.createDirectories(dir.resolve("scripts")).resolve("lra");
        Files.writeString(stub, "#!/bin/bash\nfor a in \"$@\"; do printf '<%s>' \"$a\"; done; echo\n");
        stub.toFile().setExecutable(true);
        List<PlannedRun> plan = SweepPlanner.expand(SweepGridLoader.load(grid));
        FakeRunDirs.finished(dir.resolve("runs"), "listops", "softmax", "cpu", 0, 0.3);
        Files.move(dir.resolve("runs/listops__softmax__s0"), plan.get(0).runDir());
        FakeRunDirs.running(dir.resolve("runs"), "listops", "softmax", "cpu", 1, 5);
        Files.move(dir.resolve("runs/listops__softmax__s1"), plan.get(1).runDir());

        String preamble = "lra sweep: array task %d on HOST, restart 0\n<sweep><--grid><" + grid + "><--check>\n";
        assertEquals(preamble.formatted(0) + "skip " + plan.get(0).runDir() + " (done)", bash(script, 0).strip());
        assertEquals(preamble.formatted(1) + "resume " + plan.get(1).runDir() + "\n<train><--resume><" + plan.get(1).runDir()
                + "><--threads><2>", bash(script, 1).strip());
        // Only the lock file of a trainer killed at once: started afresh, as the trainer allows without --force.
        Files.writeString(Files.createDirectories(plan.get(2).runDir()).resolve(RunFiles.LOCK), "12345\n");
        String fresh = bash(script, 2);
        assertTrue(fresh.contains("\nstart " + plan.get(2).runDir() + "\n"), fresh);
        assertTrue(fresh.contains("<--set><note=it's a test>"), fresh);
        assertTrue(fresh.contains("<--out><" + plan.get(2).runDir() + ">"), fresh);
    }

    /**
     * Runs the emitted GNU parallel driver with the real parallel and a stub scripts/lra, as its header says: from
     * another directory, started by a shell that is not bash (parallel would run the jobs in the shell it was
     * started from, where run_one, a bash function, does not exist), and with a relative hosts file (':' is this
     * machine) in each form parallel takes.
     */
    @Test
    void emittedParallelDriverRunsFromAnyDirectoryAndShell() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")) && Files.isExecutable(PARALLEL) && Files.isExecutable(SH),
                "needs bash, sh and GNU parallel");
        Path grid = gridFile("");
        assertEquals(0, run(null, "--grid", grid.toString(), "--emit", "parallel").code());
        Path stub = Files.createDirectories(dir.resolve("scripts")).resolve("lra");
        Files.writeString(stub, "#!/bin/bash\nfor a in \"$@\"; do printf '<%s>' \"$a\"; done; echo\n");
        stub.toFile().setExecutable(true);
        Path caller = Files.createDirectories(dir.resolve("elsewhere"));
        Files.writeString(caller.resolve("hosts.txt"), ":\n");
        List<PlannedRun> plan = SweepPlanner.expand(SweepGridLoader.load(grid));
        for (List<String> args : List.of(List.<String>of(), List.of("--sshloginfile", "hosts.txt"),
                List.of("--slf", "hosts.txt"), List.of("--sshloginfile=hosts.txt"))) {
            String output = runDriver(dir.resolve("runs/sweep_parallel.sh"), caller, args);
            assertTrue(output.startsWith("<sweep><--grid><" + grid + "><--check>\n"), args + ": " + output);
            for (PlannedRun run : plan) {
                Path log = dir.resolve("runs/logs/" + run.id() + ".log");
                String text = Files.readString(log);
                assertTrue(text.startsWith("start " + run.runDir() + "\n<train><--config><" + run.config() + ">"),
                        args + ": " + text);
                Files.delete(log);
            }
        }
    }

    private static final Path PARALLEL = Path.of("/usr/bin/parallel");
    private static final Path SH = Path.of("/bin/sh");

    /** {@code bash DRIVER ARGS} as typed at an sh prompt in {@code caller}, the checkout being LRA_REPO=dir. */
    private String runDriver(Path driver, Path caller, List<String> args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(SH.toString(), "-c", "bash \"$0\" \"$@\"; exit $?",
                driver.toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(caller.toFile()).redirectErrorStream(true);
        pb.environment().put("LRA_REPO", dir.toString());
        pb.environment().put("PATH", PARALLEL.getParent() + ":" + System.getenv("PATH"));
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), args.toString());
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.exitValue(), args + ": " + output);
        return output;
    }

    @Test
    void statusShowsEveryRunsStateStepAndBestDev() throws IOException {
        Path grid = gridFile("");
        Path runs = dir.resolve("runs");
        FakeRunDirs.finished(runs, "listops", "softmax", "cpu", 0, 0.3);
        FakeRunDirs.diverged(runs, "listops", "softmax", "cpu", 1);
        FakeRunDirs.running(runs, "pathfinder", "softmax", "cpu", 0, 40);
        Path live = FakeRunDirs.running(runs, "pathfinder", "softmax", "cpu", 1, 25);
        FakeRunDirs.stopped(runs, "pathfinder", "fmm-2kernel-band5", "cpu", 1, 30);
        // A trainer killed before writing anything leaves only its lock file: still pending, started afresh.
        Path killedAtOnce = Files.createDirectories(runs.resolve("listops__fmm-2kernel-band5__s0"));
        Files.writeString(killedAtOnce.resolve(RunFiles.LOCK), "12345\n");
        String out;
        // A live trainer holds the run-directory lock; here this JVM plays it.
        try (RunDirLock held = RunDirLock.acquire(live)) {
            Run r = run(null, "--status", grid.toString());
            assertEquals(0, r.code(), r.out());
            out = r.out();
        }
        assertTrue(out.startsWith("run "), out);
        assertTrue(out.matches("(?s).*\nlistops__softmax__s0 +finished +100/800 +0\\.3100\n.*"), out);
        assertTrue(out.matches("(?s).*\nlistops__softmax__s1 +diverged +20/800 .*"), out);
        // result.json says running, no one holds the lock: the trainer died without a word
        assertTrue(out.matches("(?s).*\npathfinder__softmax__s0 +failed +40/300 +0\\.3000 +died early; "
                + "resubmitting resumes it from its last checkpoint\n.*"), out);
        assertTrue(out.matches("(?s).*\npathfinder__fmm-2kernel-band5__s1 +stopped +30/300 +0\\.3000 +checkpointed at a signal.*"),
                out);
        assertTrue(out.matches("(?s).*\npathfinder__softmax__s1 +running +25/300 +0\\.2400 +PID "
                + ProcessHandle.current().pid() + "\n.*"), out);
        assertTrue(out.matches("(?s).*\nlistops__fmm-2kernel-band5__s0 +pending +0/800 +-\n.*"), out);
        assertTrue(out.endsWith("8 runs: 3 pending, 1 running, 1 finished, 1 diverged, 1 stopped, 1 failed\n"), out);
    }

    @Test
    void statusOrGridIsRequired() throws IOException {
        assertEquals(2, run(null, "--dry-run").code());
        Path grid = gridFile("");
        assertEquals(2, run(null, "--grid", grid.toString(), "--status", grid.toString()).code());
    }

    @Test
    void checkExitsTwoNamingAMissingDataset() throws IOException {
        Path grid = gridFile("");
        CommandLine cmd = LraCommand.commandLine();
        StringWriter err = new StringWriter();
        cmd.setErr(new PrintWriter(err));
        cmd.setOut(new PrintWriter(new StringWriter()));
        assertEquals(2, cmd.execute("sweep", "--grid", grid.toString(), "--check", "--data-dir",
                dir.resolve("nodata").toString()));
        assertTrue(err.toString().contains("dataset 'listops-cpu'"), err.toString());
    }

    private String bash(Path script, int index) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("/bin/bash", script.toString()).redirectErrorStream(true);
        pb.environment().put("SLURM_ARRAY_TASK_ID", String.valueOf(index));
        pb.environment().put("LRA_REPO", dir.toString());
        Process p = pb.start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        String output = new String(p.getInputStream().readAllBytes()).replaceFirst(" on [^,\n]+, restart", " on HOST, restart");
        assertEquals(0, p.exitValue(), output);
        return output;
    }

    @Test
    void sweepIsRegisteredOnTheRootCommand() {
        assertTrue(LraCommand.commandLine().getSubcommands().containsKey("sweep"));
    }
}
