package org.lra.data;

import java.util.TreeMap;
import org.lra.data.cache.CacheKey;
import org.lra.data.cache.CacheWriter;
import org.lra.data.read.AanReader;
import org.lra.data.read.CifarReader;
import org.lra.data.read.Difficulty;
import org.lra.data.read.ListOpsVocabulary;
import org.lra.data.read.PathfinderReader;
import org.lra.data.read.RgbToGray;

/**
 * The preprocessing settings that decide what a cache contains, and so belong in its key: a cache
 * built with other settings is stale and must be re-imported. Only the settings that matter for a
 * task enter its key (the Pathfinder seed does not change ListOps).
 *
 * @param maxLength        tokens kept per document; 0 = the task's default (ListOps 2000, Text 1000,
 *                         Retrieval 4000). Images are never truncated.
 * @param textValFromTest  Text: use the test reviews as validation too (LRA); otherwise hold out 10% of train
 * @param splitSeed        seed of {@link org.lra.data.read.SeededSplit} (Pathfinder; Text when not valFromTest)
 * @param pathfinderSide   Pathfinder image side: 32 (Pathfinder), 64, 128 (Path-X) or 256
 * @param pathfinderDifficulty which difficulty directory (LRA uses hard)
 * @param name             directory name under the data dir; null = the default {@link #cacheName} (lets
 *                         several preparations of one task coexist, e.g. {@code listops-cpu} beside {@code listops})
 */
public record DataSettings(int maxLength, boolean textValFromTest, long splitSeed, int pathfinderSide, Difficulty pathfinderDifficulty,
                           String name) {
    /** LRA's settings: default lengths, Text validated on test, seed 0, Pathfinder 32x32 hard. */
    public static DataSettings defaults() {
        return new DataSettings(0, true, 0, 32, Difficulty.HARD, null);
    }

    public DataSettings withName(String newName) {
        return new DataSettings(maxLength, textValFromTest, splitSeed, pathfinderSide, pathfinderDifficulty, newName);
    }

    public DataSettings withMaxLength(int maxLength) {
        return new DataSettings(maxLength, textValFromTest, splitSeed, pathfinderSide, pathfinderDifficulty, name);
    }

    public DataSettings withTextValFromTest(boolean valFromTest) {
        return new DataSettings(maxLength, valFromTest, splitSeed, pathfinderSide, pathfinderDifficulty, name);
    }

    public DataSettings withSplitSeed(long seed) {
        return new DataSettings(maxLength, textValFromTest, seed, pathfinderSide, pathfinderDifficulty, name);
    }

    public DataSettings withPathfinder(int side, Difficulty difficulty) {
        return new DataSettings(maxLength, textValFromTest, splitSeed, side, difficulty, name);
    }

    public int effectiveMaxLength(Task task) {
        return maxLength > 0 ? maxLength : task.defaultMaxLength();
    }

    /** The directory name under the data dir: the task name, or e.g. {@code pathfinder32-hard}, {@code pathfinder128-hard} (Path-X). */
    public String cacheName(Task task) {
        if (name != null) {
            return name; // even "": DatasetNames refuses it where it is used, rather than a default standing in

        }
        return task == Task.PATHFINDER ? "pathfinder" + pathfinderSide + "-" + pathfinderDifficulty.configName() : task.configName();
    }

    /** The settings that determine {@code task}'s cache contents. */
    public CacheKey cacheKey(Task task) {
        TreeMap<String, String> key = new TreeMap<>();
        key.put("formatVersion", String.valueOf(CacheWriter.FORMAT_VERSION));
        key.put("task", task.configName());
        switch (task) {
            case LISTOPS -> {
                key.put("maxLength", String.valueOf(effectiveMaxLength(task)));
                key.put("vocabulary", ListOpsVocabulary.VERSION);
            }
            case TEXT -> {
                key.put("maxLength", String.valueOf(effectiveMaxLength(task)));
                key.put("encoding", "utf8-bytes+1");
                key.put("validation", textValFromTest ? "test" : "train-holdout-10%-seed-" + splitSeed);
            }
            case RETRIEVAL -> {
                key.put("maxLength", String.valueOf(Math.min(effectiveMaxLength(task), AanReader.PREFIX_BYTES)));
                key.put("encoding", "utf8-bytes+1-of-first-" + AanReader.PREFIX_BYTES);
            }
            case IMAGE -> {
                key.put("grayscale", RgbToGray.RULE);
                key.put("split", CifarReader.SPLIT_RULE);
            }
            case PATHFINDER -> {
                key.put("resolution", pathfinderSide + "x" + pathfinderSide);
                key.put("difficulty", pathfinderDifficulty.configName() + "(" + pathfinderDifficulty.directory() + ")");
                key.put("split", PathfinderReader.SPLIT_RULE);
                key.put("splitSeed", String.valueOf(splitSeed));
            }
        }
        return new CacheKey(key);
    }
}
