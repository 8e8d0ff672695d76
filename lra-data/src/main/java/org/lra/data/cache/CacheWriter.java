package org.lra.data.cache;

import org.lra.data.io.AtomicFiles;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.lra.data.Example;
import org.lra.data.Split;
import org.lra.data.Task;

/**
 * Writes one dataset's cache: {@code <dataDir>/<name>/} with the files listed in {@link CacheFiles} and
 * a {@link Manifest} holding
 *
 * <pre>
 *   format=lra-cache, format.version, task, name, tokenWidth (1 or 2 bytes), towers, vocabSize, numClasses
 *   split.&lt;s&gt;.count, split.&lt;s&gt;.tokens&lt;t&gt;
 *   file.&lt;file&gt;.bytes, file.&lt;file&gt;.crc32c     size and CRC32C of every data file
 *   key.&lt;setting&gt;                           the {@link CacheKey}
 *   whatever the importer adds (source.*, skipped.*, created)
 * </pre>
 *
 * <p>Examples are streamed to files in a temporary directory next to the target; only
 * {@link #commit} moves the finished cache into place (a directory rename), so a failed or
 * interrupted import never damages the cache already there. {@link #close()} without a commit
 * deletes the temporary directory.
 */
public final class CacheWriter implements Closeable {
    public static final String FORMAT = "lra-cache";
    public static final int FORMAT_VERSION = 1;
    /** Infixes of the temporary directories beside the cache: {@code .NAME.importing-*}, {@code .NAME.replaced-*}. */
    private static final String IMPORTING = ".importing-";
    private static final String REPLACED = ".replaced-";

    private final Path dataDir;
    private final String name;
    private final Task task;
    private final CacheKey key;
    private final Path temp;
    private final int tokenWidth;
    private final Map<Split, SplitOutput> splits = new EnumMap<>(Split.class);
    private boolean committed;

    private CacheWriter(Path dataDir, String name, Task task, CacheKey key) throws IOException {
        this.dataDir = dataDir;
        this.name = name;
        this.task = task;
        this.key = key;
        this.tokenWidth = task.vocabSize() <= 256 ? 1 : 2;
        Files.createDirectories(dataDir);
        this.temp = Files.createTempDirectory(dataDir, "." + name + IMPORTING);
    }

    public static CacheWriter begin(Path dataDir, String name, Task task, CacheKey key) throws IOException {
        return new CacheWriter(dataDir, name, task, key);
    }

    /** Appends an example to its split, checking it against the task (ids below vocabSize, label below numClasses). */
    public void add(Split split, Example example) throws IOException {
        if (example.dual() != task.dual()) {
            throw new IllegalArgumentException(task.configName() + " examples must " + (task.dual() ? "" : "not ") + "be pairs");
        }
        if (example.label() < 0 || example.label() >= task.numClasses()) {
            throw new IllegalArgumentException("label " + example.label() + " outside [0, " + task.numClasses() + ")");
        }
        SplitOutput out = splits.get(split);
        if (out == null) {
            out = new SplitOutput(split);
            splits.put(split, out);
        }
        out.add(example);
    }

    public long count(Split split) {
        SplitOutput out = splits.get(split);
        return out == null ? 0 : out.count;
    }

    /** Finishes every file, writes the manifest and moves the cache into {@code <dataDir>/<name>}, replacing any old one. */
    public Path commit(Map<String, String> extraManifestEntries) throws IOException {
        Map<String, String> manifest = new TreeMap<>(extraManifestEntries);
        manifest.put("format", FORMAT);
        manifest.put("format.version", String.valueOf(FORMAT_VERSION));
        manifest.put("task", task.configName());
        manifest.put("name", name);
        manifest.put("tokenWidth", String.valueOf(tokenWidth));
        manifest.put("towers", String.valueOf(task.dual() ? 2 : 1));
        manifest.put("vocabSize", String.valueOf(task.vocabSize()));
        manifest.put("numClasses", String.valueOf(task.numClasses()));
        manifest.putIfAbsent("created", Instant.now().toString());
        key.writeTo(manifest);
        for (Split split : Split.values()) {
            if (!splits.containsKey(split)) {
                splits.put(split, new SplitOutput(split)); // an empty split still gets its files
            }
            splits.get(split).finish(manifest);
        }
        new Manifest(manifest).write(temp);
        Path target = dataDir.resolve(name);
        Path old = dataDir.resolve("." + name + REPLACED + System.nanoTime());
        if (Files.exists(target)) {
            move(target, old);
        }
        try {
            AtomicFiles.moveIntoPlace(temp, target);
        } catch (IOException e) {
            if (Files.exists(old)) {
                move(old, target); // put the previous cache back
            }
            throw e;
        }
        committed = true;
        deleteRecursively(old);
        return target;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    @Override
    public void close() throws IOException {
        if (!committed) {
            for (SplitOutput out : splits.values()) {
                out.closeQuietly();
            }
            deleteRecursively(temp);
        }
    }

    /** Whether {@code fileName} is a temporary directory an import of {@code name} made (and left, if it died). */
    public static boolean isLeftover(String fileName, String name) {
        return fileName.startsWith("." + name + IMPORTING) || fileName.startsWith("." + name + REPLACED);
    }

    public static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /** The open files of one split. */
    private final class SplitOutput {
        private final Split split;
        private final int towers = task.dual() ? 2 : 1;
        private final TrackedOutput[] ids = new TrackedOutput[towers];
        private final TrackedOutput[] offsets = new TrackedOutput[towers];
        private final long[] tokens = new long[towers];
        private final TrackedOutput labels;
        private long count;
        private boolean finished;

        SplitOutput(Split split) throws IOException {
            this.split = split;
            for (int t = 0; t < towers; t++) {
                ids[t] = new TrackedOutput(temp.resolve(CacheFiles.ids(split, t)));
                offsets[t] = new TrackedOutput(temp.resolve(CacheFiles.offsets(split, t)));
                offsets[t].writeLong(0);
            }
            labels = new TrackedOutput(temp.resolve(CacheFiles.labels(split)));
        }

        void add(Example example) throws IOException {
            for (int t = 0; t < towers; t++) {
                int[] tokenIds = example.tower(t);
                for (int id : tokenIds) {
                    if (id < 0 || id >= task.vocabSize()) {
                        throw new IllegalArgumentException("token id " + id + " outside [0, " + task.vocabSize() + ")");
                    }
                }
                ids[t].writeIds(tokenIds, tokenWidth);
                tokens[t] += tokenIds.length;
                offsets[t].writeLong(tokens[t]);
            }
            labels.writeByte(example.label());
            count++;
        }

        void finish(Map<String, String> manifest) throws IOException {
            String prefix = "split." + split.fileName() + ".";
            manifest.put(prefix + "count", String.valueOf(count));
            for (int t = 0; t < towers; t++) {
                manifest.put(prefix + "tokens" + t, String.valueOf(tokens[t]));
                record(manifest, CacheFiles.ids(split, t), ids[t]);
                record(manifest, CacheFiles.offsets(split, t), offsets[t]);
            }
            record(manifest, CacheFiles.labels(split), labels);
            finished = true;
        }

        private void record(Map<String, String> manifest, String file, TrackedOutput out) throws IOException {
            out.close();
            manifest.put("file." + file + ".bytes", String.valueOf(out.bytes()));
            manifest.put("file." + file + ".crc32c", out.crc32c());
        }

        void closeQuietly() {
            if (finished) {
                return;
            }
            for (TrackedOutput out : concat()) {
                try {
                    out.close();
                } catch (IOException ignored) {
                    // the temporary directory is deleted next
                }
            }
        }

        private TrackedOutput[] concat() {
            TrackedOutput[] all = new TrackedOutput[2 * towers + 1];
            System.arraycopy(ids, 0, all, 0, towers);
            System.arraycopy(offsets, 0, all, towers, towers);
            all[2 * towers] = labels;
            return all;
        }
    }
}
