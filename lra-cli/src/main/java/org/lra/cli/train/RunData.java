package org.lra.cli.train;

import org.lra.data.ShellWords;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lra.cli.InputException;
import org.lra.cli.config.TaskConfig;
import org.lra.data.DataFormatException;
import org.lra.data.DatasetNames;
import org.lra.data.Split;
import org.lra.data.SplitData;
import org.lra.data.cache.CachedDataset;

/**
 * The three splits a run trains, selects and tests on, opened from the data dir's cache with the config's
 * limits applied. Missing data is an input error that names the command which makes it.
 */
public record RunData(CachedDataset dataset, SplitData train, SplitData val, SplitData test) {

    public static RunData open(Path dataDir, TaskConfig task) {
        DatasetNames.datasetProblem(task.dataset()).ifPresent(problem -> {
            throw new InputException("task.dataset: dataset name " + problem);
        });
        Path dir = dataDir.resolve(task.dataset());
        if (!Files.isDirectory(dir)) {
            throw new InputException("dataset '" + task.dataset() + "' (task." + "dataset) is not under " + dataDir
                    + "; make it with: " + howToMake(task, dataDir));
        }
        CachedDataset ds;
        List<String> corrupt;
        try {
            ds = CachedDataset.open(dataDir, task.dataset());
            // every byte against the manifest's CRC32C (about a second per GB): a flipped bit in the cache
            // would otherwise train on wrong tokens, or crash on an id outside the vocabulary
            corrupt = ds.verifyChecksums();
        } catch (DataFormatException e) {
            throw new InputException(e.getMessage() + "; rebuild it with: " + howToMake(task, dataDir), e);
        } catch (IOException e) {
            throw new InputException("cannot read dataset " + dir + ": " + e.getMessage(), e);
        }
        if (!corrupt.isEmpty()) {
            throw new InputException(corrupt.get(0) + " (corrupt cache); rebuild it with: " + howToMake(task, dataDir));
        }
        if (!ds.task().configName().equals(task.name())) {
            throw new InputException("dataset " + dir + " holds task " + ds.task().configName()
                    + " but task.name is " + task.name());
        }
        checkBuiltFor(ds, task, dataDir);
        return new RunData(ds,
                ds.split(Split.TRAIN).firstN(task.trainLimit()),
                ds.split(Split.VAL).firstN(task.valLimit()),
                ds.split(Split.TEST).firstN(task.testLimit()));
    }

    /**
     * Refuses a cache built with settings the config contradicts (its {@code key.*} manifest entries): one
     * truncated shorter than {@code task.maxLength} (it would train on less, silently), and for Text one whose
     * validation split is not the one {@code task.textValFromTest} asks for. A longer cache is fine: runs
     * truncate to {@code task.maxLength}.
     */
    static void checkBuiltFor(CachedDataset ds, TaskConfig task, Path dataDir) {
        Map<String, String> key = ds.manifest().cacheKey().settings();
        String builtLength = key.get("maxLength");
        String source = ds.manifest().get("source.path");
        String reimport = "lra data import " + task.name() + " --from " + (source == null ? "<release files>" : ShellWords.quote(source))
                + " --name " + task.dataset() + " --max-length " + task.maxLength() + " --force --data-dir " + ShellWords.quote(dataDir);
        if (builtLength != null && Integer.parseInt(builtLength) < task.maxLength()) {
            throw new InputException("dataset '" + task.dataset() + "' was built with maxLength " + builtLength
                    + ", shorter than task.maxLength " + task.maxLength() + "; rebuild it with: " + reimport);
        }
        String validation = key.get("validation");
        if (validation != null && validation.equals("test") != task.textValFromTest()) {
            throw new InputException("dataset '" + task.dataset() + "' validates on " + validation
                    + " but task.textValFromTest is " + task.textValFromTest() + "; re-import it"
                    + (task.textValFromTest() ? "" : " with --val-from-train") + " or set task.textValFromTest");
        }
    }

    /** The command that (re)creates the dataset a config names. */
    static String howToMake(TaskConfig task, Path dataDir) {
        String dd = " --data-dir " + ShellWords.quote(dataDir);
        String name = " --name " + task.dataset();
        return switch (task.name()) {
            case "listops" -> "lra data generate listops" + name + dd
                    + "   (or: lra data import listops --from <lra_release>" + name + dd + " --force)";
            case "pathfinder" -> "lra data generate pathfinder" + name + dd
                    + "   (or: lra data import pathfinder --from <lra_release>/pathfinder32/curv_contour_length_14" + name + dd + " --force)";
            case "text" -> "lra data download imdb" + dd + "   (or: lra data import text --from aclImdb_v1.tar.gz" + name + dd + " --force)";
            case "image" -> "lra data download cifar10" + dd + "   (or: lra data import image --from cifar-10-binary.tar.gz" + name + dd + " --force)";
            default -> "lra data download lra-release" + dd + "   (or: lra data import retrieval --from <lra_release>" + name + dd + " --force)";
        };
    }

    /** What run.json records about the data: where it came from and what the cache was built with. */
    public Map<String, Object> provenance() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dir", dataset.dir().toString());
        m.put("manifest", dataset.manifest().entries());
        m.put("trainExamples", train.size());
        m.put("valExamples", val.size());
        m.put("testExamples", test.size());
        return m;
    }
}
