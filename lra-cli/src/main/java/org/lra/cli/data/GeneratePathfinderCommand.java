package org.lra.cli.data;

import org.lra.cli.Choices;
import org.lra.cli.GlobalOptions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.lra.cli.OptionNames;
import org.lra.data.DataSettings;
import org.lra.data.Task;
import org.lra.data.generate.GenerationSummary;
import org.lra.data.generate.PathfinderGenerator;
import org.lra.data.ingest.Importer;
import org.lra.data.read.Difficulty;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lra data generate pathfinder}: the Pathfinder generator, writing imgs/ and metadata/ as lra_release does. */
@Command(name = "pathfinder", mixinStandardHelpOptions = true,
        description = "Generate Pathfinder images (a port of Linsley et al.'s generator with LRA's parameters) in the "
                + "lra_release layout (imgs/<b>/sample_<n>.png + metadata/<b>.npy), then import them.")
public class GeneratePathfinderCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", description = "Where the images go (default <data-dir>/generated/<name>).")
    Path out;

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

    @Option(names = "--no-import", description = "Only write the images.")
    boolean noImport;

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
        String datasetName = settings.cacheName(Task.PATHFINDER);
        Path dir = out != null ? out : GlobalOptions.of(spec).dataDir().resolve("generated").resolve(datasetName);
        GenerationSummary s = new PathfinderGenerator().generate(dir, options);
        System.out.println("pathfinder: " + s.describe());
        if (!noImport) {
            System.out.println(new Importer(GlobalOptions.of(spec).dataDir(), new ImportBar())
                    .importTask(Task.PATHFINDER, dir, settings, true));
        }
        return 0;
    }
}
