package org.lra.cli.sweep;

import org.lra.data.io.AtomicFiles;
import org.lra.cli.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code lra sweep --grid FILE [--dry-run | --emit slurm|parallel [--out-script FILE]]}. */
@Command(name = "sweep",
        mixinStandardHelpOptions = true,
        description = {"Run a grid of tasks × models × seeds (× override values), each run in its own JVM, "
                + "'parallel' at a time; finished runs are skipped and interrupted ones resumed.",
                "With --emit, write a Slurm array script or a GNU parallel jobs file instead of running."},
        footer = {"", "Grid file (YAML):",
                "  tasks: [listops, text]",
                "  models: [softmax, fmm-2kernel-band5]",
                "  seeds: [0, 1, 2]",
                "  configs: \"configs/cpu/{task}/{model}.yaml\"",
                "  overrides: {training.lr: [1e-4, 3e-4]}   # optional extra axes, applied as --set",
                "  out: runs/cpu          # run dirs: out/<task>__<model>__s<seed>[__<hash>]",
                "  parallel: 1            # runs at a time here",
                "  threads: 1             # threads per run"})
public class SweepCommand implements Callable<Integer> {

    enum Emit { slurm, parallel }

    @Option(names = "--grid", paramLabel = "FILE", required = true, description = "The grid YAML.")
    private Path gridFile;

    @Option(names = "--dry-run", description = "List the runs and what would happen to each; run nothing.")
    private boolean dryRun;

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
        SweepGrid grid = SweepGridLoader.load(gridFile);
        List<PlannedRun> plan = SweepPlanner.expand(grid);
        SweepPlanner.checkConfigs(plan);
        PrintWriter out = spec.commandLine().getOut();
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
            return emit(grid, plan, out);
        }
        List<SweepRunner.Outcome> outcomes =
                new SweepRunner(launcher, grid.parallel(), grid.threads(), grid.out().resolve("logs")).run(plan);
        return summarise(outcomes, out);
    }

    private int emit(SweepGrid grid, List<PlannedRun> plan, PrintWriter out) throws IOException {
        if (emit == Emit.slurm) {
            Path script = outScript != null ? outScript : grid.out().resolve("sweep.slurm");
            AtomicFiles.write(script, SweepScripts.slurm(plan, grid, gridFile.toString()));
            script.toFile().setExecutable(true);
            out.println("Wrote " + script + " (" + plan.size() + " array tasks). Submit from here: sbatch " + script);
        } else {
            Path driver = outScript != null ? outScript : grid.out().resolve("sweep_parallel.sh");
            Path jobs = driver.resolveSibling(driver.getFileName() + ".jobs");
            AtomicFiles.write(jobs, SweepScripts.parallelJobs(plan, grid.threads()));
            AtomicFiles.write(driver, SweepScripts.parallelDriver(grid, jobs.toString(), gridFile.toString(),
                    plan.size()));
            driver.toFile().setExecutable(true);
            out.println("Wrote " + jobs + " (" + plan.size() + " jobs) and " + driver + ". Run from here: bash " + driver);
        }
        out.flush();
        return ExitCodes.OK;
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
