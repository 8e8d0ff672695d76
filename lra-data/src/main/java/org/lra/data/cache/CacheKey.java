package org.lra.data.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The preprocessing settings a cache was built with, as sorted {@code name=value} pairs (built by
 * {@link org.lra.data.DataSettings#cacheKey}). Two caches with equal keys hold the same data for the
 * same source; a different key means the cache is stale. Stored in the manifest as {@code key.<name>}.
 */
public record CacheKey(SortedMap<String, String> settings) {
    static final String PREFIX = "key.";

    public CacheKey {
        settings = new TreeMap<>(settings);
    }

    /** The settings that differ, e.g. {@code maxLength: cache has 1000, wanted 4000}; empty if equal. */
    public List<String> differences(CacheKey wanted) {
        List<String> diffs = new ArrayList<>();
        TreeSet<String> names = new TreeSet<>(settings.keySet());
        names.addAll(wanted.settings.keySet());
        for (String name : names) {
            String have = settings.get(name);
            String want = wanted.settings.get(name);
            if (have == null ? want != null : !have.equals(want)) {
                diffs.add(name + ": cache has " + (have == null ? "(unset)" : have) + ", wanted " + (want == null ? "(unset)" : want));
            }
        }
        return diffs;
    }

    void writeTo(Map<String, String> manifest) {
        settings.forEach((k, v) -> manifest.put(PREFIX + k, v));
    }

    static CacheKey readFrom(Map<String, String> manifest) {
        TreeMap<String, String> key = new TreeMap<>();
        manifest.forEach((k, v) -> {
            if (k.startsWith(PREFIX)) {
                key.put(k.substring(PREFIX.length()), v);
            }
        });
        return new CacheKey(key);
    }

    @Override
    public String toString() {
        return settings.toString();
    }
}
