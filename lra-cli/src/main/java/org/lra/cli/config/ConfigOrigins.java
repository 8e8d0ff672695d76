package org.lra.cli.config;

import java.util.HashMap;
import java.util.Map;

/**
 * Which source (file or {@code --set}) last set each key path, so an error about any key can name the file
 * the user has to edit. Lookups fall back to the nearest enclosing path: a key inside a list or a section
 * that was copied in whole came from whoever set that list or section.
 */
public final class ConfigOrigins {

    /** What {@link #sourceOf} answers for programmatically built configs. */
    public static final ConfigOrigins NONE = new ConfigOrigins();

    private final Map<String, String> sourceByPath = new HashMap<>();

    void record(String path, String source) {
        sourceByPath.put(path, source);
    }

    /** Forgets everything below {@code path} (its value was replaced wholesale). */
    void forgetBelow(String path) {
        sourceByPath.keySet().removeIf(p -> p.startsWith(path + ".") || p.startsWith(path + "["));
    }

    /** The source that set {@code path} or its nearest enclosing section; null when unknown. */
    public String sourceOf(String path) {
        String p = path;
        while (true) {
            String source = sourceByPath.get(p);
            if (source != null || p.isEmpty()) {
                return source;
            }
            p = KeyPath.parent(p);
        }
    }
}
