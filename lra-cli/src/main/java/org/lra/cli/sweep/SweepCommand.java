package org.lra.cli.sweep;

import org.lra.cli.config.RunConfig;
import org.lra.data.io.AtomicFiles;
import org.lra.cli.ExitCodes;
import org.lra.cli.GlobalOptions;
import org.lra.cli.config.TaskConfig;
import org.lra.cli.train.RunData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** {@code lra sweep --grid FILE [--dry-run | --check | --emit slurm|parallel [--out-script FILE]]}, {@code lra sweep --status FILE}. */
@Command(name = "sweep",
        mixinStandardHelpOptions = true,
        description = {"Run a grid of tasks × models × seeds (× override values), each run in its own JVM, "
                + "'parallel' at a time; finished runs are skipped and interrupted ones resumed.",
                "With --emit, write a Slurm array script or a GNU parallel jobs file instead of running.",
                "--status GRID shows where every run stands: pending, running, finished, diverged, stopped or failed."},
        footer = {"", "Grid file (YAML):",
                "  tasks: [listops, text]",
                "  models: [softmax, fmm-2kernel-band5]",
                "  seeds: [0, 1, 2]",
                "  configs: \"configs/cpu/{task}/{model}.yaml\"",
                "  overrides: {training.lr: [1e-4, 3e-4]}   # optional extra axes, applied as --set",
                "  out: runs/cpu          # run dirs: out/<task>__<model>__s<seed>[__<hash>]",
                "  parallel: 1            # runs at a time here",
                "  threads: 1             # threads per run (--threads N overrides)",
                "  time: \"4:00:00\"        # optional Slurm --time per array task (default: estimated)",
                "  mem: 8G                # optional Slurm --mem per array task (default: estimated)"})
public class SweepCommand implements Callable<Integer> {

    enum Emit { slurm, parallel }

    @Option(names = "--grid", paramLabel = "FILE", description = "The grid YAML.")
    private Path gridFile;

    @Option(names = "--status", paramLabel = "GRID",
            description = "Print one table: each run's state (pending, running, finished, diverged, stopped, failed), "
                    + "last step and best dev accuracy; run nothing.")
    private Path statusGrid;

    @Option(names = "--dry-run", description = "List the runs and what would happen to each; run nothing.")
    private boolean dryRun;

    @Option(names = "--check", description = "Check every run's config and dataset, run nothing; exit 2 naming "
            + "what is missing (the emitted scripts run this before training).")
    private boolean check;

    @Option(names = "--emit", paramLabel = "KIND", description = "Write a launcher script instead: ${COMPLETION-CANDIDATES}.")
    private Emit emit;

    @Option(names = "--out-script", paramLabel = "FILE",
            description = "Where --emit writes (default: <out>/sweep.slurm or <out>/sweep_parallel.sh "
                    + "with its jobs file <script>.jobs beside it).")
    private Path outScript;

    @Spec
    private CommandSpec spec;

    /** Replaced in tests so no JVM is spawned. */
    RunLauncher launcher = new JvmLauncher();

    @Override
    public Integer call() throws IOException, InterruptedException {
        if ((gridFile == null) == (statusGrid == null)) {
            throw new ParameterException(spec.commandLine(), "give either --grid FILE or --status FILE");
        }
        SweepGrid loaded = SweepGridLoader.load(gridFile != null ? gridFile : statusGrid);
        OptionalInt threads = GlobalOptions.of(spec).threads();
        SweepGrid grid = threads.isPresent() ? loaded.withThreads(threads.getAsInt()) : loaded;
        List<PlannedRun> plan = SweepPlanner.expand(grid);
        Map<PlannedRun, RunConfig> resolved = SweepPlanner.checkConfigs(plan);
        PrintWriter out = spec.commandLine().getOut();
        if (statusGrid != null) {
            SweepStatus.print(SweepStatus.rows(resolved), out);
            return ExitCodes.OK;
        }
        if (check) {
            return check(resolved, out);
        }
        if (dryRun) {
            for (PlannedRun run : plan) {
                out.println(RunState.of(run.runDir()).name().toLowerCase() + "\t" + run.id() + "\t" + run.config()
                        + (run.sets().isEmpty() ? "" : "\t--set " + String.join(" --set ", run.sets())));
            }
            out.println(plan.size() + " runs");
            out.flush();
            return ExitCodes.OK;
        }
        if (emit != null) {
            return emit(grid, plan, resolved, out);
        }
        List<SweepRunner.Outcome> outcomes =
                new SweepRunner(launcher, grid.parallel(), trainArgs(grid), grid.out().resolve("logs")).run(plan);
        return summarise(outcomes, out);
    }

    /** Opens each distinct dataset the plan trains on, as the trainer will; the first problem exits 2. */
    private int check(Map<PlannedRun, RunConfig> plan, PrintWriter out) {
        Path dataDir = GlobalOptions.of(spec).dataDir();
        Map<String, Integer> runsPerDataset = new TreeMap<>();
        for (RunConfig config : plan.values()) {
            TaskConfig task = config.task();
            if (!runsPerDataset.containsKey(task.dataset())) {
                RunData.open(dataDir, task);
            }
            runsPerDataset.merge(task.dataset(), 1, Integer::sum);
        }
        out.println("ok: " + plan.size() + " runs; configs resolve; datasets present in " + dataDir
                + ": " + runsPerDataset.keySet());
        out.flush();
        return ExitCodes.OK;
    }

    private int emit(SweepGrid grid, List<PlannedRun> plan, Map<PlannedRun, RunConfig> resolved, PrintWriter out)
            throws IOException {
        // Relative paths in the plan are relative to here: the scripts cd here before running anything.
        Path repo = Path.of("").toAbsolutePath();
        Path logDir = repo.resolve(grid.out()).resolve("logs").normalize();
        // Slurm opens each task's --output before the script starts and does not create its directory.
        Files.createDirectories(logDir);
        if (!Files.isRegularFile(repo.resolve(SweepScripts.LRA))) {
            out.println("warning: no " + SweepScripts.LRA + " here (" + repo + "); the scripts cd here and run it, "
                    + "so emit from the repository root or set LRA_REPO when you run them");
        }
        if (emit == Emit.slurm) {
            Path script = outScript != null ? outScript : grid.out().resolve("sweep.slurm");
            SlurmResources.Limits limits = SlurmResources.of(grid, resolved.values());
            AtomicFiles.write(script, SweepScripts.slurm(plan, grid, trainArgs(grid), gridFile.toString(), repo, logDir, limits,
                    grid.time() == null || grid.mem() == null));
            script.toFile().setExecutable(true);
            out.println("Wrote " + script + " (" + plan.size() + " array tasks, " + grid.parallel() + " at a time, "
                    + "--time=" + limits.time() + " --mem=" + limits.mem() + "). Submit: sbatch " + script);
        } else {
            Path driver = outScript != null ? outScript : grid.out().resolve("sweep_parallel.sh");
            Path jobs = driver.resolveSibling(driver.getFileName() + ".jobs");
            AtomicFiles.write(jobs, SweepScripts.parallelJobs(plan, trainArgs(grid), logDir));
            AtomicFiles.write(driver, SweepScripts.parallelDriver(grid, trainArgs(grid), jobs.toAbsolutePath().toString(),
                    gridFile.toString(), plan.size(), repo, logDir));
            driver.toFile().setExecutable(true);
            out.println("Wrote " + jobs + " (" + plan.size() + " jobs) and " + driver + ". Run: bash " + driver);
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** What every run of this sweep is trained with: the grid's threads, and this command's --data-dir if given. */
    private TrainArgs trainArgs(SweepGrid grid) {
        return new TrainArgs(grid.threads(), GlobalOptions.of(spec).dataDirOption());
    }

    private static int summarise(List<SweepRunner.Outcome> outcomes, PrintWriter out) {
        long skipped = outcomes.stream().filter(o -> o.exitCode() == null).count();
        List<SweepRunner.Outcome> failed = outcomes.stream().filter(SweepRunner.Outcome::failed).toList();
        out.println(outcomes.size() + " runs: " + (outcomes.size() - skipped - failed.size()) + " ran ok, "
                + skipped + " skipped (already done), " + failed.size() + " failed");
        for (SweepRunner.Outcome f : failed) {
            out.println("  FAILED " + f.run().id() + " exit " + f.exitCode()
                    + (f.exitCode() == ExitCodes.DIVERGED ? " (diverged)" : ""));
        }
        out.flush();
        return failed.isEmpty() ? ExitCodes.OK : ExitCodes.FAILURE;
    }
}
