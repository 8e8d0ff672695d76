package org.lra.cli.data;

import org.lra.cli.Choices;
import org.lra.cli.GlobalOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.lra.cli.InputException;
import org.lra.data.DataSettings;
import org.lra.data.Task;
import org.lra.data.ingest.ImportSummary;
import org.lra.data.ingest.Importer;
import org.lra.data.read.Difficulty;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lra data import TASK --from PATH}: read the real release files into the training cache. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Read a task's release files (directory or archive) into the compact cache under the data dir.",
                "TASK is listops, text, retrieval, image, pathfinder, or all (an unpacked lra_release, nested layout too)."})
public class DataImportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TASK", completionCandidates = Choices.TasksOrAll.class,
            description = "${COMPLETION-CANDIDATES}.")
    String task;

    @Option(names = "--from", required = true, paramLabel = "PATH",
            description = "Directory holding the files, or the archive (aclImdb_v1.tar.gz, cifar-10-binary.tar.gz).")
    Path from;

    @Option(names = "--name", paramLabel = "NAME",
            description = "Dataset name under the data dir (default: the task, or pathfinder<R>-<difficulty>).")
    String name;

    @Option(names = "--max-length", paramLabel = "N", defaultValue = "0",
            description = "Tokens kept per document; 0 = the task's (ListOps 2000, Text 1000, Retrieval 4000).")
    int maxLength;

    @Option(names = "--val-from-train",
            description = "Text: hold out 10%% of train as validation instead of reusing test (LRA reuses test).")
    boolean valFromTrain;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Seed of the Pathfinder 80/10/10 split (and the Text hold-out).")
    long seed;

    @Option(names = "--resolution", paramLabel = "R", defaultValue = "32",
            description = "Pathfinder image side: 32 (Pathfinder), 64, 128 (Path-X).")
    int resolution;

    @Option(names = "--difficulty", paramLabel = "D", defaultValue = "hard", converter = Choices.Difficulties.class,
            completionCandidates = Choices.Difficulties.class,
            description = "Pathfinder difficulty: ${COMPLETION-CANDIDATES} (LRA uses hard).")
    Difficulty difficulty;

    @Option(names = "--force", description = "Replace the dataset's existing cache (re-import even when it is up to "
            + "date). Only a cache is ever replaced: a directory of that name without a cache manifest is refused.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        if (!Files.exists(from)) {
            throw new InputException("--from " + from + ": no such file or directory");
        }
        DataSettings settings = DataSettings.defaults().withMaxLength(maxLength).withTextValFromTest(!valFromTrain)
                .withSplitSeed(seed).withPathfinder(resolution, difficulty).withName(name);
        Path dir = GlobalOptions.of(spec).dataDir();
        Importer importer = new Importer(dir, new ImportBar());
        if (task.equals("all")) {
            if (name != null) {
                throw new InputException("--name applies to one task, not to 'all'");
            }
            List<String> missing = new ArrayList<>();
            for (ImportSummary s : importer.importAll(from, settings, new int[] {32, 128}, force, missing)) {
                System.out.println(s);
            }
            if (!missing.isEmpty()) {
                System.out.println("not found under " + from + ": " + String.join(", ", missing)
                        + " (see 'lra data verify' for how to get them)");
            }
            return 0;
        }
        Task t = TaskArg.parse(task);
        if (name != null) {
            DatasetArg.checkName("--name", name);
        }
        System.out.println(importer.importTask(t, from, settings, force));
        return 0;
    }
}
