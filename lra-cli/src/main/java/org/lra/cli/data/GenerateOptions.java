package org.lra.cli.data;

import org.lra.cli.ThreadLimit;
import java.io.IOException;
import java.nio.file.Path;
import org.lra.cli.GlobalOptions;
import org.lra.data.DataDir;
import org.lra.data.DataSettings;
import org.lra.data.Task;
import org.lra.data.generate.GenerationSummary;
import org.lra.data.ingest.Importer;
import org.lra.data.io.DatasetLock;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * What {@code data generate listops} and {@code data generate pathfinder} share: where the release files go,
 * whether they are imported, and the steps around the generator. Both steps run under the dataset name's
 * {@link DatasetLock}, so two generators of one name cannot mix their files or their caches.
 */
public class GenerateOptions {

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where the release files go (default <data-dir>/generated/<name>).")
    Path out;

    @Option(names = "--no-import", description = "Only write the release files.")
    boolean noImport;

    /** Writes the release files into a directory; the generator itself. */
    interface Generator {
        GenerationSummary generate(Path dir) throws IOException;
    }

    /** Generates {@code task}'s release files, then imports them as {@code settings.cacheName(task)}. */
    void run(CommandSpec spec, Task task, DataSettings settings, Generator generator) throws IOException {
        GlobalOptions.of(spec).threads().ifPresent(n -> ThreadLimit.check(n, "--threads"));
        String name = settings.cacheName(task);
        DatasetArg.checkName("--name", name);
        Path dataDir = GlobalOptions.of(spec).dataDir();
        Path dir = out != null ? out : DataDir.generated(dataDir, name);
        try (DatasetLock lock = DatasetLock.acquire(dataDir, name)) {
            GenerationSummary summary = generator.generate(dir);
            System.out.println(task.configName() + ": " + summary.describe());
            if (!noImport) {
                // a generator replaces its own name's cache: the import's --force
                System.out.println(new Importer(dataDir, new ImportBar()).importTask(task, dir, settings, true));
            }
        }
    }
}
