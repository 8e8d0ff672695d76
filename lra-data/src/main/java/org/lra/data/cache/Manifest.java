package org.lra.data.cache;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;
import org.lra.data.DataFormatException;

/**
 * A cache's {@code manifest.properties}: sorted {@code key=value} lines (Java properties syntax, no
 * timestamp comment, so equal caches have equal manifests). It records the format version, task,
 * per-split counts, each data file's size and CRC32C, the {@link CacheKey} and where the data came
 * from. See {@link CacheWriter} for the full list.
 */
public final class Manifest {
    public static final String FILE_NAME = "manifest.properties";

    private final SortedMap<String, String> entries;

    Manifest(Map<String, String> entries) {
        this.entries = Collections.unmodifiableSortedMap(new TreeMap<>(entries));
    }

    public static Manifest read(Path cacheDir) throws IOException {
        Path file = cacheDir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new DataFormatException(file.toString(), "missing cache manifest");
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IllegalArgumentException e) {
            throw new DataFormatException(file.toString(), "unreadable manifest (" + e.getMessage() + ")");
        }
        TreeMap<String, String> map = new TreeMap<>();
        properties.stringPropertyNames().forEach(k -> map.put(k, properties.getProperty(k)));
        return new Manifest(map);
    }

    void write(Path cacheDir) throws IOException {
        try (Writer writer = Files.newBufferedWriter(cacheDir.resolve(FILE_NAME), StandardCharsets.UTF_8)) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                writer.write(escape(e.getKey(), true) + "=" + escape(e.getValue(), false) + "\n");
            }
        }
    }

    public SortedMap<String, String> entries() {
        return entries;
    }

    public String get(String key) {
        return entries.get(key);
    }

    public String require(String key, Path cacheDir) {
        String value = entries.get(key);
        if (value == null) {
            throw new DataFormatException(cacheDir.resolve(FILE_NAME).toString(), "manifest lacks '" + key + "'");
        }
        return value;
    }

    public long requireLong(String key, Path cacheDir) {
        String value = require(key, cacheDir);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new DataFormatException(cacheDir.resolve(FILE_NAME).toString(), "manifest entry '" + key + "' is not a number: " + value);
        }
    }

    public CacheKey cacheKey() {
        return CacheKey.readFrom(entries);
    }

    /** Properties escaping, so that paths with backslashes or odd characters survive {@link Properties#load}. */
    private static String escape(String text, boolean isKey) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '=', ':', '#', '!' -> out.append('\\').append(c);
                case ' ' -> out.append(isKey || i == 0 ? "\\ " : " ");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
