package org.lra.data.inspect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.lra.data.DataDir;
import org.lra.data.DataFormatException;
import org.lra.data.DataSettings;
import org.lra.data.ShellWords;
import org.lra.data.Task;
import org.lra.data.cache.CachedDataset;
import org.lra.data.cache.Manifest;

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
 *   <li>{@code LEFTOVER}: a temporary directory of an import that was killed ({@code .NAME.importing-*},
 *       {@code .NAME.replaced-*}); the next import of NAME removes it.</li>
 * </ul>
 *
 * <p>Besides the six, every other cache in the data dir ({@code listops-cpu}, any {@code --name}) is checked as
 * it was built: present, or corrupt. {@link #verifyNamed} checks only the names given.
 */
public final class DataVerify {

    public enum Status { PRESENT, MISSING, STALE, CORRUPT, LEFTOVER }

    /** One dataset's verdict; {@code fix} lists alternative commands (run either), empty when present. */
    public record Check(String name, Task task, Status status, String detail, List<String> fix) {
    }

    private DataVerify() {
    }

    /** The six standard datasets, then every other cache in the data dir, then any import leftovers. */
    public static List<Check> verify(Path dataDir, DataSettings settings, boolean deep) throws IOException {
        List<Check> checks = new ArrayList<>();
        Map<String, Check> standard = standard(dataDir, settings, deep);
        checks.addAll(standard.values());
        for (String name : cacheNames(dataDir)) {
            if (!standard.containsKey(name)) {
                checks.add(checkAsBuilt(dataDir, name, deep));
            }
        }
        checks.addAll(leftovers(dataDir));
        return checks;
    }

    /** Only the datasets named: a standard name as the benchmark needs it, any other as it was built. */
    public static List<Check> verifyNamed(Path dataDir, DataSettings settings, List<String> names, boolean deep)
            throws IOException {
        Map<String, Check> standard = standard(dataDir, settings, deep);
        List<Check> checks = new ArrayList<>();
        for (String name : names) {
            checks.add(standard.containsKey(name) ? standard.get(name) : checkAsBuilt(dataDir, name, deep));
        }
        return checks;
    }

    private static Map<String, Check> standard(Path dataDir, DataSettings settings, boolean deep) throws IOException {
        Map<String, Check> checks = new LinkedHashMap<>();
        for (Task task : List.of(Task.LISTOPS, Task.TEXT, Task.RETRIEVAL, Task.IMAGE)) {
            Check c = check(dataDir, task, settings, deep);
            checks.put(c.name(), c);
        }
        for (int side : new int[] {32, 128}) {
            Check c = check(dataDir, Task.PATHFINDER, settings.withPathfinder(side, settings.pathfinderDifficulty()), deep);
            checks.put(c.name(), c);
        }
        return checks;
    }

    /** Names of the data dir's entries that hold a cache manifest, sorted. */
    private static List<String> cacheNames(Path dataDir) throws IOException {
        if (!Files.isDirectory(dataDir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dataDir)) {
            return s.filter(p -> Files.isRegularFile(p.resolve(Manifest.FILE_NAME)))
                    .map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        }
    }

    /** Temporary directories that a killed import left ({@code .NAME.importing-*}, {@code .NAME.replaced-*}). */
    private static List<Check> leftovers(Path dataDir) throws IOException {
        if (!Files.isDirectory(dataDir)) {
            return List.of();
        }
        List<Check> found = new ArrayList<>();
        try (Stream<Path> s = Files.list(dataDir)) {
            for (Path p : s.sorted().toList()) {
                String file = p.getFileName().toString();
                Matcher m = LEFTOVER.matcher(file);
                if (m.matches() && Files.isDirectory(p)) {
                    found.add(new Check(file, null, Status.LEFTOVER, "left by an import of '" + m.group(1)
                            + "' that did not finish; the next import of that name removes it",
                            List.of("rm -r " + ShellWords.quote(p))));
                }
            }
        }
        return found;
    }

    private static final Pattern LEFTOVER = Pattern.compile("\\.(.+)\\.(?:importing|replaced)-.*");

    /** A cache checked against its own manifest: sizes (and with {@code deep} CRC32C), no expected settings. */
    static Check checkAsBuilt(Path dataDir, String name, boolean deep) throws IOException {
        Path dir = dataDir.resolve(name);
        if (!Files.exists(dir)) {
            return new Check(name, null, Status.MISSING, "not imported (" + dir + ")",
                    List.of("lra data verify --data-dir " + ShellWords.quote(dataDir) + "   (lists what is there)"));
        }
        CachedDataset dataset;
        try {
            dataset = CachedDataset.open(dataDir, name);
        } catch (DataFormatException e) {
            return new Check(name, null, Status.CORRUPT, e.getMessage(), List.of());
        }
        Task task = dataset.task();
        String source = dataset.manifest().get("source.path");
        String length = dataset.manifest().cacheKey().settings().get("maxLength");
        List<String> fix = source == null ? List.of() : List.of("lra data import " + task.configName() + " --from "
                + ShellWords.quote(Path.of(source)) + " --name " + name + (length == null ? "" : " --max-length " + length)
                + " --data-dir " + ShellWords.quote(dataDir) + " --force");
        if (deep) {
            List<String> problems = dataset.verifyChecksums();
            if (!problems.isEmpty()) {
                return new Check(name, task, Status.CORRUPT, String.join("; ", problems), fix);
            }
        }
        return new Check(name, task, Status.PRESENT, counts(dataset, deep) + " (" + task.configName() + ")", List.of());
    }

    private static String counts(CachedDataset dataset, boolean deep) {
        return "train " + dataset.split(org.lra.data.Split.TRAIN).size() + ", val "
                + dataset.split(org.lra.data.Split.VAL).size() + ", test " + dataset.split(org.lra.data.Split.TEST).size()
                + (deep ? ", checksums ok" : "");
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
        return new Check(name, task, Status.PRESENT, counts(dataset, deep), List.of());
    }

    /**
     * The commands that (re)create a dataset with these settings. Sources: the LRA release for
     * ListOps, Retrieval and Pathfinder (or the generators for ListOps and Pathfinder), the IMDb and
     * CIFAR-10 archives for Text and Image; downloads land in {@code <dataDir>/downloads}.
     */
    static List<String> fixCommands(Path dataDir, Task task, DataSettings settings) {
        Path downloads = DataDir.downloads(dataDir);
        String dirOption = " --data-dir " + ShellWords.quote(dataDir);
        String force = " --force";
        String length = settings.maxLength() > 0 ? " --max-length " + settings.maxLength() : "";
        Path release = downloads.resolve("lra_release");
        String fromRelease = "lra data download lra-release" + dirOption + " && lra data import ";
        return switch (task) {
            case LISTOPS -> List.of(
                    fromRelease + "listops --from " + ShellWords.quote(release) + length + dirOption + force,
                    "lra data generate listops" + dirOption);
            case TEXT -> List.of("lra data download imdb" + dirOption + " && lra data import text --from "
                    + ShellWords.quote(downloads.resolve("aclImdb_v1.tar.gz")) + length + (settings.textValFromTest() ? "" : " --val-from-train --seed " + settings.splitSeed())
                    + dirOption + force);
            case RETRIEVAL -> List.of(fromRelease + "retrieval --from " + ShellWords.quote(release) + length + dirOption + force);
            case IMAGE -> List.of("lra data download cifar10" + dirOption + " && lra data import image --from "
                    + ShellWords.quote(downloads.resolve("cifar-10-binary.tar.gz")) + dirOption + force);
            case PATHFINDER -> {
                String variant = " --resolution " + settings.pathfinderSide() + " --difficulty " + settings.pathfinderDifficulty().configName()
                        + " --seed " + settings.splitSeed();
                yield List.of(
                        fromRelease + "pathfinder --from " + ShellWords.quote(release) + variant + dirOption + force,
                        "lra data generate pathfinder --resolution " + settings.pathfinderSide() + " --difficulty "
                                + settings.pathfinderDifficulty().configName() + dirOption);
            }
        };
    }
}
