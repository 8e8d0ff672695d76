package org.lra.data.inspect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.lra.data.DataDir;
import org.lra.data.DataFormatException;
import org.lra.data.DataSettings;
import org.lra.data.Task;
import org.lra.data.cache.CachedDataset;

/**
 * {@code lra data verify}: for each dataset the benchmark needs (ListOps, Text, Retrieval, Image,
 * Pathfinder at 32 and Path-X at 128), says whether it is imported and usable, and if not, the exact
 * commands that fix it.
 *
 * <ul>
 *   <li>{@code PRESENT}: manifest readable, every file the size it records (and, with
 *       {@code deep}, every file's CRC32C re-computed and equal).</li>
 *   <li>{@code MISSING}: not imported.</li>
 *   <li>{@code STALE}: imported with other settings than those asked for (differences listed).</li>
 *   <li>{@code CORRUPT}: manifest unreadable, files missing, wrong size or wrong checksum.</li>
 * </ul>
 */
public final class DataVerify {

    public enum Status { PRESENT, MISSING, STALE, CORRUPT }

    /** One dataset's verdict; {@code fix} lists alternative commands (run either), empty when present. */
    public record Check(String name, Task task, Status status, String detail, List<String> fix) {
    }

    private DataVerify() {
    }

    public static List<Check> verify(Path dataDir, DataSettings settings, boolean deep) throws IOException {
        List<Check> checks = new ArrayList<>();
        for (Task task : List.of(Task.LISTOPS, Task.TEXT, Task.RETRIEVAL, Task.IMAGE)) {
            checks.add(check(dataDir, task, settings, deep));
        }
        for (int side : new int[] {32, 128}) {
            checks.add(check(dataDir, Task.PATHFINDER, settings.withPathfinder(side, settings.pathfinderDifficulty()), deep));
        }
        return checks;
    }

    public static Check check(Path dataDir, Task task, DataSettings settings, boolean deep) throws IOException {
        String name = settings.cacheName(task);
        List<String> fix = fixCommands(dataDir, task, settings);
        if (!Files.exists(dataDir.resolve(name))) {
            return new Check(name, task, Status.MISSING, "not imported (" + dataDir.resolve(name) + ")", fix);
        }
        CachedDataset dataset;
        try {
            dataset = CachedDataset.open(dataDir, name);
        } catch (DataFormatException e) {
            return new Check(name, task, Status.CORRUPT, e.getMessage(), fix);
        }
        List<String> diffs = dataset.manifest().cacheKey().differences(settings.cacheKey(task));
        if (!diffs.isEmpty()) {
            return new Check(name, task, Status.STALE, "imported with other settings: " + String.join("; ", diffs), fix);
        }
        if (deep) {
            List<String> problems = dataset.verifyChecksums();
            if (!problems.isEmpty()) {
                return new Check(name, task, Status.CORRUPT, String.join("; ", problems), fix);
            }
        }
        String counts = "train " + dataset.split(org.lra.data.Split.TRAIN).size() + ", val " + dataset.split(org.lra.data.Split.VAL).size()
                + ", test " + dataset.split(org.lra.data.Split.TEST).size() + (deep ? ", checksums ok" : "");
        return new Check(name, task, Status.PRESENT, counts, List.of());
    }

    /**
     * The commands that (re)create a dataset with these settings. Sources: the LRA release for
     * ListOps, Retrieval and Pathfinder (or the generators for ListOps and Pathfinder), the IMDb and
     * CIFAR-10 archives for Text and Image; downloads land in {@code <dataDir>/downloads}.
     */
    static List<String> fixCommands(Path dataDir, Task task, DataSettings settings) {
        Path downloads = DataDir.downloads(dataDir);
        String dirOption = " --data-dir " + dataDir;
        String force = " --force";
        String length = settings.maxLength() > 0 ? " --max-length " + settings.maxLength() : "";
        Path release = downloads.resolve("lra_release");
        String fromRelease = "lra data download lra-release" + dirOption + " && lra data import ";
        return switch (task) {
            case LISTOPS -> List.of(
                    fromRelease + "listops --from " + release + length + dirOption + force,
                    "lra data generate listops" + dirOption);
            case TEXT -> List.of("lra data download imdb" + dirOption + " && lra data import text --from "
                    + downloads.resolve("aclImdb_v1.tar.gz") + length + (settings.textValFromTest() ? "" : " --val-from-train --seed " + settings.splitSeed())
                    + dirOption + force);
            case RETRIEVAL -> List.of(fromRelease + "retrieval --from " + release + length + dirOption + force);
            case IMAGE -> List.of("lra data download cifar10" + dirOption + " && lra data import image --from "
                    + downloads.resolve("cifar-10-binary.tar.gz") + dirOption + force);
            case PATHFINDER -> {
                String variant = " --resolution " + settings.pathfinderSide() + " --difficulty " + settings.pathfinderDifficulty().configName()
                        + " --seed " + settings.splitSeed();
                yield List.of(
                        fromRelease + "pathfinder --from " + release + variant + dirOption + force,
                        "lra data generate pathfinder --resolution " + settings.pathfinderSide() + " --difficulty "
                                + settings.pathfinderDifficulty().configName() + dirOption);
            }
        };
    }
}
