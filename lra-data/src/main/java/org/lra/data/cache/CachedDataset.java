package org.lra.data.cache;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.lra.data.DataFormatException;
import org.lra.data.Split;
import org.lra.data.SplitData;
import org.lra.data.Task;

/**
 * An imported dataset ({@code <dataDir>/<name>/}, written by {@link CacheWriter}), opened for reading.
 * Opening checks the manifest's format and that every data file has the size the manifest says;
 * {@link #verifyChecksums()} additionally re-reads every byte against the recorded CRC32C.
 */
public final class CachedDataset {
    private final Path dir;
    private final Manifest manifest;
    private final Task task;
    private final Map<Split, CachedSplit> splits = new EnumMap<>(Split.class);

    private CachedDataset(Path dir) throws IOException {
        this.dir = dir;
        if (!Files.isDirectory(dir)) {
            throw new DataFormatException(dir.toString(), "no imported dataset here");
        }
        this.manifest = Manifest.read(dir);
        if (!CacheWriter.FORMAT.equals(manifest.get("format"))
                || manifest.requireLong("format.version", dir) != CacheWriter.FORMAT_VERSION) {
            throw new DataFormatException(dir.resolve(Manifest.FILE_NAME).toString(),
                    "cache format " + manifest.get("format") + " version " + manifest.get("format.version") + " is not " + CacheWriter.FORMAT + " version " + CacheWriter.FORMAT_VERSION + "; re-import it");
        }
        this.task = Task.fromConfigName(manifest.require("task", dir));
        int towers = (int) manifest.requireLong("towers", dir);
        int width = (int) manifest.requireLong("tokenWidth", dir);
        for (String file : dataFiles()) {
            long expected = manifest.requireLong("file." + file + ".bytes", dir);
            Path path = dir.resolve(file);
            if (!Files.isRegularFile(path) || Files.size(path) != expected) {
                throw new DataFormatException(path.toString(), Files.isRegularFile(path)
                        ? "has " + Files.size(path) + " bytes, manifest says " + expected + " (corrupt cache)" : "missing cache file");
            }
        }
        for (Split split : Split.values()) {
            int count = (int) manifest.requireLong("split." + split.fileName() + ".count", dir);
            splits.put(split, new CachedSplit(dir, split, towers, width, count));
        }
    }

    /** Opens {@code <dataDir>/<name>}. */
    public static CachedDataset open(Path dataDir, String name) throws IOException {
        return new CachedDataset(dataDir.resolve(name));
    }

    /** Opens {@code <dataDir>/<name>} and fails, listing the differing settings, unless it was built with {@code expected}. */
    public static CachedDataset open(Path dataDir, String name, CacheKey expected) throws IOException {
        CachedDataset dataset = open(dataDir, name);
        List<String> diffs = dataset.manifest.cacheKey().differences(expected);
        if (!diffs.isEmpty()) {
            throw new DataFormatException(dataset.dir.toString(), "cache was imported with other settings (" + String.join("; ", diffs) + "); re-import it");
        }
        return dataset;
    }

    public Path dir() {
        return dir;
    }

    public Manifest manifest() {
        return manifest;
    }

    public Task task() {
        return task;
    }

    public SplitData split(Split split) {
        return splits.get(split);
    }

    /** The data files the manifest lists, in manifest order. */
    public List<String> dataFiles() {
        List<String> files = new ArrayList<>();
        for (String key : manifest.entries().keySet()) {
            if (key.startsWith("file.") && key.endsWith(".bytes")) {
                files.add(key.substring("file.".length(), key.length() - ".bytes".length()));
            }
        }
        return files;
    }

    /** Re-reads every data file and compares its CRC32C with the manifest; returns the mismatches (empty = intact). */
    public List<String> verifyChecksums() throws IOException {
        List<String> problems = new ArrayList<>();
        byte[] buffer = new byte[1 << 16];
        for (String file : dataFiles()) {
            CRC32C crc = new CRC32C();
            try (InputStream in = Files.newInputStream(dir.resolve(file))) {
                for (int n; (n = in.read(buffer)) != -1; ) {
                    crc.update(buffer, 0, n);
                }
            }
            String actual = String.format("%08x", crc.getValue());
            String expected = manifest.get("file." + file + ".crc32c");
            if (!actual.equals(expected)) {
                problems.add(dir.resolve(file) + ": CRC32C " + actual + ", manifest says " + expected);
            }
        }
        return problems;
    }
}
