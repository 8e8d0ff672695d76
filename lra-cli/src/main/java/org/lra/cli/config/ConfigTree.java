package org.lra.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.Map;

/**
 * The layering rules on JSON trees: a deep merge where mappings merge key by key and everything else
 * (scalars, lists) replaces, and {@code --set key.path=value}. Both record where each value came from.
 */
final class ConfigTree {

    private ConfigTree() {
    }

    /** Merges {@code overlay} into {@code base} in place. */
    static void merge(ObjectNode base, ObjectNode overlay, String source, ConfigOrigins origins) {
        origins.record("", source); // top-level problems (a missing required key) point at the last file merged
        merge(base, overlay, "", source, origins);
    }

    private static void merge(ObjectNode base, ObjectNode overlay, String path, String source,
                              ConfigOrigins origins) {
        Iterator<Map.Entry<String, JsonNode>> fields = overlay.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String childPath = KeyPath.child(path, field.getKey());
            JsonNode existing = base.get(field.getKey());
            JsonNode value = field.getValue();
            if (existing instanceof ObjectNode baseChild && value instanceof ObjectNode overlayChild) {
                origins.record(childPath, source);
                merge(baseChild, overlayChild, childPath, source, origins);
            } else {
                base.set(field.getKey(), value.deepCopy());
                origins.forgetBelow(childPath);
                recordAll(childPath, value, source, origins);
            }
        }
    }

    /** A value copied in whole: it and everything inside it came from {@code source}. */
    private static void recordAll(String path, JsonNode value, String source, ConfigOrigins origins) {
        origins.record(path, source);
        if (value.isObject()) {
            value.fields().forEachRemaining(f -> recordAll(KeyPath.child(path, f.getKey()), f.getValue(), source,
                    origins));
        }
    }

    /**
     * Sets the value at {@code path}, creating missing sections; list elements are addressed as {@code k[i]}.
     * A mapping set onto a mapping merges into it key by key, as every other layer does, so
     * {@code blend.far={shape: complement}} changes the shape and keeps the other keys.
     */
    static void set(ObjectNode root, KeyPath path, JsonNode value, String source, ConfigOrigins origins) {
        JsonNode node = root;
        StringBuilder walked = new StringBuilder();
        var segments = path.segments();
        for (int i = 0; i < segments.size(); i++) {
            KeyPath.Segment seg = segments.get(i);
            boolean last = i == segments.size() - 1;
            String here = walked.toString();
            if (seg.isIndex()) {
                if (!(node instanceof ArrayNode array)) {
                    throw ConfigException.at(here, "is not a list, cannot index it", source);
                }
                if (seg.index() >= array.size()) {
                    throw ConfigException.at(here, "has " + array.size() + " elements, no index " + seg.index(),
                            source);
                }
                walked.append('[').append(seg.index()).append(']');
                if (last) {
                    if (mergedInto(array.get(seg.index()), value, path, source, origins)) {
                        return;
                    }
                    array.set(seg.index(), value);
                } else {
                    node = array.get(seg.index());
                }
            } else {
                if (!(node instanceof ObjectNode object)) {
                    throw ConfigException.at(here, "is a value, not a section; cannot set " + path, source);
                }
                walked.append(walked.length() == 0 ? "" : ".").append(seg.key());
                if (last) {
                    if (mergedInto(object.get(seg.key()), value, path, source, origins)) {
                        return;
                    }
                    object.set(seg.key(), value);
                } else {
                    JsonNode next = object.get(seg.key());
                    if (next == null || next.isNull()) {
                        next = object.putObject(seg.key());
                    }
                    node = next;
                }
            }
        }
        String full = path.toString();
        origins.forgetBelow(full);
        recordAll(full, value, source, origins);
    }

    /** Merges {@code value} into {@code existing} when both are mappings; false when it must replace instead. */
    private static boolean mergedInto(JsonNode existing, JsonNode value, KeyPath path, String source,
                                      ConfigOrigins origins) {
        if (existing instanceof ObjectNode base && value instanceof ObjectNode overlay) {
            // only the keys it sets become --set's; the mapping and the keys it keeps still name their file
            merge(base, overlay, path.toString(), source, origins);
            return true;
        }
        return false;
    }
}
