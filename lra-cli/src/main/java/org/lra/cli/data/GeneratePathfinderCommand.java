package org.lra.cli.data;

import org.lra.cli.Choices;
import org.lra.cli.GlobalOptions;
import java.util.concurrent.Callable;
import org.lra.cli.OptionNames;
import org.lra.data.DataSettings;
import org.lra.data.Task;
import org.lra.data.generate.PathfinderGenerator;
import org.lra.data.read.Difficulty;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lra data generate pathfinder}: the Pathfinder generator, writing imgs/ and metadata/ as lra_release does. */
@Command(name = "pathfinder", mixinStandardHelpOptions = true,
        description = "Generate Pathfinder images (a port of Linsley et al.'s generator with LRA's parameters) in the "
                + "lra_release layout (imgs/<b>/sample_<n>.png + metadata/<b>.npy), then import them.")
public class GeneratePathfinderCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GenerateOptions generate;

    @Option(names = "--name", paramLabel = "NAME", description = "Dataset name to import as (default pathfinder<R>-<difficulty>).")
    String name;

    @Option(names = "--resolution", defaultValue = "32", paramLabel = "R", description = "32, 64 or 128 (Path-X).")
    int resolution;

    @Option(names = "--difficulty", defaultValue = "hard", paramLabel = "D", converter = Choices.Difficulties.class,
            completionCandidates = Choices.Difficulties.class, description = "${COMPLETION-CANDIDATES} (LRA: hard).")
    Difficulty difficulty;

    @Option(names = "--count", defaultValue = "200000", paramLabel = "N", description = "Images (LRA: 200000 per difficulty).")
    int count;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Generator seed (same seed, same images).")
    long seed;

    @Option(names = "--split-seed", defaultValue = "0", paramLabel = "S", description = "Seed of the 80/10/10 split at import.")
    long splitSeed;

    @Override
    public Integer call() throws Exception {
        PathfinderGenerator.Options options;
        try {
            options = PathfinderGenerator.Options.defaults().withResolution(resolution).withDifficulty(difficulty)
                    .withCount(count).withSeed(seed).withThreads(GlobalOptions.of(spec).threads().orElse(0));
        } catch (IllegalArgumentException e) {
            throw OptionNames.inputError(spec, e);   // the handler names the command
        }
        DataSettings settings = DataSettings.defaults().withPathfinder(resolution, difficulty).withSplitSeed(splitSeed)
                .withName(name);
        PathfinderGenerator.Options checked = options;
        generate.run(spec, Task.PATHFINDER, settings, dir -> new PathfinderGenerator().generate(dir, checked));
        return 0;
    }
}
