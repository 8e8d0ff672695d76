package org.lra.cli.demo;

import org.lra.cli.rundir.RunFiles;
import org.lra.cli.GlobalOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.lra.data.io.AtomicFiles;
import org.lra.cli.FileTrees;
import org.lra.cli.config.ConfigLoader;
import org.lra.cli.config.LoadedConfig;
import org.lra.cli.config.RunConfig;
import org.lra.cli.report.Report;
import org.lra.cli.report.RunDirScanner;
import org.lra.cli.rundir.RunResult;
import org.lra.cli.train.TrainRun;
import org.lra.data.DataDir;
import org.lra.data.DataSettings;
import org.lra.data.Task;
import org.lra.data.cache.CachedDataset;
import org.lra.data.generate.ListOpsGenerator;
import org.lra.data.generate.PathfinderGenerator;
import org.lra.data.ingest.Importer;
import org.lra.data.read.Difficulty;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lra demo}: the whole job on an embedded default, in minutes on 2 cores. Generates a small ListOps
 * and a small Pathfinder, trains fmm-2kernel-band5 and softmax on both at CPU scale, and prints the accuracy
 * and timing table beside the paper's numbers. Re-running skips what is already done.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Generate small ListOps and Pathfinder sets, train fmm-2kernel-band5 and softmax on both at "
                + "CPU scale, and print the accuracy and timing tables (CPU scale: not comparable to the paper).")
public class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** The embedded configs, as (task, model) resource names under org/lra/cli/demo/. */
    static final List<String> RUNS = List.of("listops-fmm-2kernel-band5", "listops-softmax",
            "pathfinder-fmm-2kernel-band5", "pathfinder-softmax");

    static final String LISTOPS = "listops-demo";
    static final String PATHFINDER = "pathfinder32-demo";

    @Option(names = "--out", defaultValue = "runs/demo", paramLabel = "DIR",
            description = "Where runs, configs and the report go.")
    Path out;

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        Path data = GlobalOptions.of(spec).dataDir();
        ensureListOps(data);
        ensurePathfinder(data);
        Path configs = out.resolve("configs");
        Files.createDirectories(configs);
        for (String run : RUNS) {
            Path cfgFile = configs.resolve(run + ".yaml");
            try (InputStream in = DemoCommand.class.getResourceAsStream(run + ".yaml")) {
                AtomicFiles.write(cfgFile, in.readAllBytes());
            }
            LoadedConfig loaded = ConfigLoader.resolve(cfgFile, List.of());
            RunConfig cfg = GlobalOptions.of(spec).applyTo(loaded.config());
            Path runDir = out.resolve(cfg.task().name() + "__" + cfg.name() + "__s" + cfg.seed());
            if (finished(runDir)) {
                System.out.println(run + ": already finished in " + runDir);
                continue;
            }
            System.out.println("== training " + run + " (" + cfg.training().steps() + " steps)");
            RunResult r = TrainRun.start(loaded, cfg, runDir, data, true, System.console() != null);
            System.out.println(TrainRun.summary(r));
        }
        Report.Output report = Report.generate(out, out.resolve("report"));
        System.out.println();
        System.out.println(report.markdown());
        Path timing = out.resolve("report").resolve("lra_timing.md");
        if (Files.exists(timing)) {
            System.out.println(Files.readString(timing));
        }
        System.out.println("Chance: ListOps 10% (majority class ~15%), Pathfinder 50%. At demo scale transformers learn"
                + " ListOps but stay at chance on Pathfinder, which takes many epochs (see results/cpu/README.md).");
        System.out.println("Tables and plots: " + report.written());
        System.out.printf(Locale.ROOT, "demo finished in %.1f min; runs in %s%n", (System.nanoTime() - t0) / 6e10, out);
        return 0;
    }

    private static boolean finished(Path runDir) throws IOException {
        return Files.exists(runDir.resolve(RunFiles.RESULT)) && RunDirScanner.readResult(runDir).finished();
    }

    /** Whether the dataset is imported with exactly these settings (an older demo's data is regenerated). */
    private static boolean present(Path data, Task task, DataSettings settings) {
        try {
            CachedDataset.open(data, settings.cacheName(task), settings.cacheKey(task));
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** ListOps by LRA's generator, with short expressions (20 < tokens < 128) so a CPU learns it in minutes. */
    private static void ensureListOps(Path data) throws IOException {
        DataSettings settings = DataSettings.defaults().withMaxLength(128).withName(LISTOPS);
        if (present(data, Task.LISTOPS, settings)) {
            return;
        }
        System.out.println("== generating " + LISTOPS);
        Path dir = DataDir.generated(data, LISTOPS);
        FileTrees.deleteRecursively(dir);
        var options = ListOpsGenerator.Options.defaults().withSplits(12_000, 500, 1000).withLengths(20, 128);
        new ListOpsGenerator().generate(dir, options);
        System.out.println(new Importer(data).importTask(Task.LISTOPS, dir, settings, true));
    }

    /** Pathfinder 32x32 at the easy difficulty (contour length 6), 10,000 images split 80/10/10. */
    private static void ensurePathfinder(Path data) throws IOException {
        DataSettings settings = DataSettings.defaults().withPathfinder(32, Difficulty.EASY).withName(PATHFINDER);
        if (present(data, Task.PATHFINDER, settings)) {
            return;
        }
        System.out.println("== generating " + PATHFINDER);
        Path dir = DataDir.generated(data, PATHFINDER);
        FileTrees.deleteRecursively(dir);
        var options = PathfinderGenerator.Options.defaults().withDifficulty(Difficulty.EASY).withCount(10_000);
        new PathfinderGenerator().generate(dir, options);
        System.out.println(new Importer(data).importTask(Task.PATHFINDER, dir, settings, true));
    }
}
