package org.lra.cli.train;

import org.lra.cli.GlobalOptions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.lra.cli.InputException;
import org.lra.cli.SetOptions;
import org.lra.cli.config.ConfigLoader;
import org.lra.cli.config.LoadedConfig;
import org.lra.cli.config.RunConfig;
import org.lra.cli.rundir.RunResult;
import org.lra.data.DatasetNames;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lra train}: one run of the reference protocol, or the continuation of a killed one. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train one model on one task under the reference protocol: periodic dev evaluation, "
                + "best-dev checkpoint, final test on the best checkpoint.",
                "Writes config.yaml, run.json, metrics.csv, checkpoints/, train.log and result.json into the run "
                + "directory."})
public class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "Run config (YAML or JSON).")
    Path config;

    @Mixin
    SetOptions sets;

    @Option(names = "--seed", paramLabel = "N", description = "Seed (overrides the config's).")
    Integer seed;

    @Option(names = "--out", paramLabel = "RUN_DIR",
            description = "Run directory (default runs/<task>__<name>__s<seed>).")
    Path out;

    @Option(names = "--resume", paramLabel = "RUN_DIR", description = "Continue the run in RUN_DIR from its last checkpoint.")
    Path resume;

    @Option(names = "--force", description = "Start over in an existing run directory: deletes the files lra train "
            + "wrote there (other files stay). A directory that is not a run directory is never touched.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        boolean terminal = System.console() != null;
        GlobalOptions global = GlobalOptions.of(spec);
        RunResult r;
        if (resume != null) {
            if (config != null || !sets.sets().isEmpty() || seed != null || out != null) {
                throw new InputException("--resume takes the run's own config; drop --config/--set/--seed/--out");
            }
            r = TrainRun.resume(resume, global.dataDir(),
                    global.threads().isPresent() ? global.threads().getAsInt() : null, terminal);
        } else {
            if (config == null) {
                throw new InputException("give --config FILE for a new run, or --resume RUN_DIR");
            }
            LoadedConfig loaded = ConfigLoader.resolve(config, sets.sets());
            RunConfig cfg = loaded.config();
            if (seed != null) {
                cfg = cfg.withSeed(seed);
            }
            cfg = global.applyTo(cfg);
            Path runDir = out != null ? out : defaultRunDir(cfg);
            r = TrainRun.start(loaded, cfg, runDir, global.dataDir(), force, terminal);
        }
        System.out.println(TrainRun.summary(r));
        return 0;
    }

    /** runs/&lt;task&gt;__&lt;name&gt;__s&lt;seed&gt;: one path segment below runs/, whatever the config's name says. */
    private static Path defaultRunDir(RunConfig cfg) {
        String runId = cfg.task().name() + "__" + cfg.name() + "__s" + cfg.seed();
        DatasetNames.segmentProblem(runId).ifPresent(problem -> {
            throw new InputException("name: the run directory name " + problem + "; fix the config's name or give --out");
        });
        return Path.of("runs", runId);
    }
}
