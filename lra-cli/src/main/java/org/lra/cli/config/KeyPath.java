package org.lra.cli.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A dotted key path such as {@code model.attention.blend.kernels[1].init}: how configs, --set and every
 * error message name a value.
 */
record KeyPath(List<Segment> segments) {

    /** One step: a mapping key, optionally followed by a list index ({@code kernels[1]} is two segments). */
    record Segment(String key, int index) {
        boolean isIndex() {
            return key == null;
        }
    }

    private static final Pattern STEP = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)((?:\\[\\d+])*)");
    private static final Pattern INDEX = Pattern.compile("\\[(\\d+)]");

    /** Parses {@code a.b[2].c}; throws ConfigException naming the text if it is not of that form. */
    static KeyPath parse(String text, String source) {
        List<Segment> segments = new ArrayList<>();
        if (text.isBlank()) {
            throw ConfigException.at(null, "empty key path", source);
        }
        for (String step : text.split("\\.", -1)) {
            Matcher m = STEP.matcher(step);
            if (!m.matches()) {
                throw ConfigException.at(text, "not a key path (expected a.b.c or a.b[0].c)", source);
            }
            segments.add(new Segment(m.group(1), -1));
            Matcher idx = INDEX.matcher(m.group(2));
            while (idx.find()) {
                segments.add(new Segment(null, Integer.parseInt(idx.group(1))));
            }
        }
        return new KeyPath(List.copyOf(segments));
    }

    /** Appends a mapping key to a path string. */
    static String child(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    /** Appends a list index to a path string. */
    static String element(String parent, int index) {
        return parent + "[" + index + "]";
    }

    /** The enclosing path: {@code a.b[1]} → {@code a.b}, {@code a.b} → {@code a}, {@code a} → "". */
    static String parent(String path) {
        if (path.endsWith("]")) {
            return path.substring(0, path.lastIndexOf('['));
        }
        int dot = path.lastIndexOf('.');
        return dot < 0 ? "" : path.substring(0, dot);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Segment s : segments) {
            if (s.isIndex()) {
                sb.append('[').append(s.index()).append(']');
            } else {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(s.key());
            }
        }
        return sb.toString();
    }
}
