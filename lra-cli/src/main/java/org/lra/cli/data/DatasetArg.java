package org.lra.cli.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.lra.cli.InputException;
import org.lra.data.DataSettings;
import org.lra.data.DatasetNames;
import org.lra.data.Task;
import org.lra.data.cache.CachedDataset;

/** Opens an imported dataset named as a task (listops) or as its directory (pathfinder32-hard, listops-cpu). */
final class DatasetArg {
    private DatasetArg() {
    }

    /** Refuses a dataset name that is not one plain path segment, or is reserved ({@link DatasetNames}). */
    static void checkName(String option, String name) {
        DatasetNames.datasetProblem(name).ifPresent(problem -> {
            throw new InputException(option + ": dataset name " + problem);
        });
    }

    static CachedDataset open(Path dataDir, String name) throws IOException {
        String dirName = name;
        if (!Files.isDirectory(dataDir.resolve(name))) {
            for (Task t : Task.values()) {
                if (t.configName().equals(name)) {
                    dirName = DataSettings.defaults().cacheName(t);
                }
            }
        }
        if (!Files.isDirectory(dataDir.resolve(dirName))) {
            throw new InputException("no dataset '" + name + "' under " + dataDir
                    + "; 'lra data verify' lists what is there and how to get the rest");
        }
        return CachedDataset.open(dataDir, dirName);
    }
}
