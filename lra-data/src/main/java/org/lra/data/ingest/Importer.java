package org.lra.data.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.lra.data.DataFormatException;
import org.lra.data.DataSettings;
import org.lra.data.DatasetNames;
import org.lra.data.Example;
import org.lra.data.Split;
import org.lra.data.Task;
import org.lra.data.cache.CacheKey;
import org.lra.data.cache.CacheWriter;
import org.lra.data.io.AtomicFiles;
import org.lra.data.io.DatasetLock;
import org.lra.data.cache.Manifest;
import org.lra.data.read.AanReader;
import org.lra.data.read.CifarReader;
import org.lra.data.read.Difficulty;
import org.lra.data.read.ExampleSink;
import org.lra.data.read.ImdbReader;
import org.lra.data.read.ListOpsReader;
import org.lra.data.read.PathfinderReader;
import org.lra.data.read.ReleaseLocator;
import org.lra.data.read.SourceInfo;
import org.lra.data.read.TaskReader;

/**
 * Imports a task from its release files into the cache: {@code lra data import TASK --from PATH}.
 * {@code PATH} may be the task's own directory or archive, or a directory holding the LRA release
 * (found by {@link ReleaseLocator}). The cache goes to {@code <dataDir>/<settings.cacheName(task)>}.
 *
 * <p>An import is skipped (summary {@code upToDate}) when the existing cache has the same
 * {@link CacheKey} and the same source fingerprint: path, and size and modification time of the
 * source file, or for a directory the number, total size and newest modification time of its files.
 * The fingerprint is only a cheap "nothing changed" test; the manifest also records the source's
 * SHA-256 ({@link SourceInfo}) computed while reading.
 */
public final class Importer {
    private static final int PROGRESS_EVERY = 4096;

    private final Path dataDir;
    private final ImportProgress progress;

    public Importer(Path dataDir) {
        this(dataDir, ImportProgress.NONE);
    }

    public Importer(Path dataDir, ImportProgress progress) {
        this.dataDir = dataDir;
        this.progress = progress;
    }

    /**
     * Imports {@code task} from {@code from} as dataset {@code settings.cacheName(task)}, under that name's
     * {@link DatasetLock}. An existing directory of that name is replaced only when it is a cache (it holds a
     * manifest) and {@code force} is set; an up-to-date cache is kept as it is. Anything else there is the
     * user's and is refused, as are names that are not one segment ({@link DatasetNames}).
     */
    public ImportSummary importTask(Task task, Path from, DataSettings settings, boolean force) throws IOException {
        String name = settings.cacheName(task);
        Optional<String> badName = DatasetNames.datasetProblem(name);
        if (badName.isPresent()) {
            throw new DataFormatException("dataset name", badName.get());
        }
        try (DatasetLock lock = DatasetLock.acquire(dataDir, name)) {
            removeLeftovers(name);
            return importLocked(task, name, from, settings, force);
        }
    }

    private ImportSummary importLocked(Task task, String name, Path from, DataSettings settings, boolean force)
            throws IOException {
        CacheKey key = settings.cacheKey(task);
        Path source = locate(task, from, settings);
        String fingerprint = fingerprint(source);
        Path target = dataDir.resolve(name);
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isRegularFile(target.resolve(Manifest.FILE_NAME))) {
                throw new DataFormatException(target.toString(), "exists and is not a dataset cache (no "
                        + Manifest.FILE_NAME + "); lra replaces only caches it made: choose another --name");
            }
            Optional<ImportSummary> current = upToDate(task, name, key, source, fingerprint);
            if (current.isPresent() && !force) {
                return current.get();
            }
            if (!force) {
                throw new DataFormatException(target.toString(), "already holds a dataset imported from "
                        + Optional.ofNullable(manifestEntry(target, "source.path")).orElse("another source")
                        + "; add --force to replace it, or choose another --name");
            }
        }

        long start = System.nanoTime();
        List<String> skipped = new ArrayList<>();
        try (CacheWriter writer = CacheWriter.begin(dataDir, name, task, key)) {
            SourceInfo info;
            try {
                info = readerFor(task, settings).read(source, new ExampleSink() {
                    long written;

                    @Override
                    public void accept(Split split, Example example) {
                        try {
                            writer.add(split, example);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                        if (++written % PROGRESS_EVERY == 0) {
                            progress.examplesWritten(name, written);
                        }
                    }

                    @Override
                    public void skipped(String location, String reason) {
                        skipped.add(location + ": " + reason);
                    }
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            Map<String, String> extra = new TreeMap<>();
            extra.put("source.kind", info.kind());
            extra.put("source.path", source.toAbsolutePath().toString());
            extra.put("source.sha256", info.sha256());
            extra.put("source.bytes", String.valueOf(info.bytesRead()));
            extra.put("source.fingerprint", fingerprint);
            extra.put("skipped.count", String.valueOf(skipped.size()));
            for (int i = 0; i < Math.min(skipped.size(), 100); i++) {
                extra.put(String.format("skipped.%03d", i), skipped.get(i));
            }
            Map<Split, Long> counts = new EnumMap<>(Split.class);
            for (Split split : Split.values()) {
                counts.put(split, writer.count(split));
            }
            Path cacheDir = writer.commit(extra);
            long total = counts.values().stream().mapToLong(Long::longValue).sum();
            progress.examplesWritten(name, total);
            double seconds = (System.nanoTime() - start) / 1e9;
            return new ImportSummary(name, task, cacheDir, counts, List.copyOf(skipped), info.bytesRead(), seconds, info.sha256(), false);
        } catch (IOException e) {
            // a full disk names the cache being written; the writer has removed its temporary directory
            throw AtomicFiles.explain(e, dataDir.resolve(name));
        }
    }

    /**
     * Imports everything found under an unpacked release (and next to it: aclImdb, CIFAR-10), for
     * {@code lra data import all --from DIR}: ListOps, Retrieval, Text, Image when present, and each
     * requested Pathfinder resolution at {@code settings}' difficulty (LRA: 32 and Path-X 128).
     * Tasks not found are listed in {@code missing}.
     */
    public List<ImportSummary> importAll(Path root, DataSettings settings, int[] pathfinderSides, boolean force, List<String> missing) throws IOException {
        ReleaseLocator release = ReleaseLocator.at(root);
        List<ImportSummary> done = new ArrayList<>();
        for (Task task : List.of(Task.LISTOPS, Task.TEXT, Task.RETRIEVAL, Task.IMAGE)) {
            Optional<Path> found = release.forTask(task, 0, Difficulty.HARD);
            if (found.isPresent()) {
                done.add(importTask(task, found.get(), settings, force));
            } else {
                missing.add(task.configName());
            }
        }
        for (int side : pathfinderSides) {
            DataSettings pathfinder = settings.withPathfinder(side, settings.pathfinderDifficulty());
            Optional<Path> found = release.pathfinder(side, settings.pathfinderDifficulty());
            if (found.isPresent()) {
                done.add(importTask(Task.PATHFINDER, found.get(), pathfinder, force));
            } else {
                missing.add(pathfinder.cacheName(Task.PATHFINDER));
            }
        }
        return done;
    }

    static TaskReader readerFor(Task task, DataSettings settings) {
        return switch (task) {
            case LISTOPS -> new ListOpsReader(settings.effectiveMaxLength(task));
            case TEXT -> new ImdbReader(settings.effectiveMaxLength(task), settings.textValFromTest(), settings.splitSeed());
            case RETRIEVAL -> new AanReader(settings.effectiveMaxLength(task));
            case IMAGE -> new CifarReader();
            case PATHFINDER -> new PathfinderReader(settings.splitSeed(), settings.pathfinderSide());
        };
    }

    /** The task's directory or archive given what the user pointed at. */
    static Path locate(Task task, Path from, DataSettings settings) {
        if (!Files.exists(from)) {
            throw new DataFormatException(from.toString(), "no such file or directory");
        }
        if (Files.isRegularFile(from)) {
            if (task == Task.PATHFINDER) {
                throw new DataFormatException(from.toString(), "Pathfinder is imported from an unpacked directory (it needs random access to ~200,000 PNGs); extract the archive first");
            }
            return from;
        }
        Optional<Path> found = ReleaseLocator.at(from).forTask(task, settings.pathfinderSide(), settings.pathfinderDifficulty());
        if (found.isPresent()) {
            return found.get();
        }
        if (task == Task.PATHFINDER) {
            throw new DataFormatException(from.toString(), "no pathfinder" + settings.pathfinderSide() + "/" + settings.pathfinderDifficulty().directory()
                    + "/metadata here, in lra_release/ or in lra_release/lra_release/");
        }
        return from; // the reader names exactly which files are missing
    }

    /**
     * Removes what an interrupted import or replacement of {@code name} left beside the data dir's caches
     * ({@code .NAME.importing-*}, {@code .NAME.replaced-*}); only the name's lock holder may, so no live
     * import loses its files.
     */
    private void removeLeftovers(String name) throws IOException {
        if (!Files.isDirectory(dataDir)) {
            return;
        }
        try (Stream<Path> s = Files.list(dataDir)) {
            for (Path p : s.filter(p -> CacheWriter.isLeftover(p.getFileName().toString(), name)).toList()) {
                CacheWriter.deleteRecursively(p);
            }
        }
    }

    private static String manifestEntry(Path cacheDir, String key) {
        try {
            return Manifest.read(cacheDir).get(key);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private Optional<ImportSummary> upToDate(Task task, String name, CacheKey key, Path source, String fingerprint) throws IOException {
        Path cacheDir = dataDir.resolve(name);
        if (!Files.isRegularFile(cacheDir.resolve(Manifest.FILE_NAME))) {
            return Optional.empty();
        }
        Manifest manifest;
        try {
            manifest = Manifest.read(cacheDir);
        } catch (DataFormatException e) {
            return Optional.empty();
        }
        boolean same = manifest.cacheKey().differences(key).isEmpty()
                && source.toAbsolutePath().toString().equals(manifest.get("source.path"))
                && fingerprint.equals(manifest.get("source.fingerprint"));
        if (!same) {
            return Optional.empty();
        }
        Map<Split, Long> counts = new EnumMap<>(Split.class);
        for (Split split : Split.values()) {
            counts.put(split, manifest.requireLong("split." + split.fileName() + ".count", cacheDir));
        }
        return Optional.of(new ImportSummary(name, task, cacheDir, counts, List.of(), 0, 0, manifest.get("source.sha256"), true));
    }

    /** Cheap change detector: see the class comment. */
    static String fingerprint(Path source) throws IOException {
        if (Files.isRegularFile(source)) {
            return "file size=" + Files.size(source) + " mtime=" + Files.getLastModifiedTime(source).toMillis();
        }
        long[] stats = new long[3]; // files, bytes, newest mtime
        try (Stream<Path> walk = Files.walk(source)) {
            walk.forEach(p -> {
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                    if (a.isRegularFile()) {
                        stats[0]++;
                        stats[1] += a.size();
                        stats[2] = Math.max(stats[2], a.lastModifiedTime().toMillis());
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return "directory files=" + stats[0] + " bytes=" + stats[1] + " newest-mtime=" + stats[2];
    }
}
