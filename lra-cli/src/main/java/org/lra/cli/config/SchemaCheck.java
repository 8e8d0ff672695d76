package org.lra.cli.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks a merged tree against the record classes before Jackson binds it: every key must be a record
 * component, every component must be present and non-null, enum values must be known. Doing this ourselves
 * (instead of reading Jackson's exception texts) lets every message say exactly which key, which file,
 * and what would have been accepted. Value types (int vs double vs text) are left to Jackson.
 */
final class SchemaCheck {

    private SchemaCheck() {
    }

    static void check(JsonNode node, Class<?> recordType, ConfigOrigins origins) {
        checkRecord(node, recordType, "", origins);
    }

    private static void checkRecord(JsonNode node, Class<?> type, String path, ConfigOrigins origins) {
        if (!node.isObject()) {
            throw ConfigException.at(path, "expected a mapping of " + keysOf(type) + ", got " + describe(node),
                    origins.sourceOf(path));
        }
        RecordComponent[] components = type.getRecordComponents();
        Set<String> known = Arrays.stream(components).map(RecordComponent::getName).collect(Collectors.toSet());
        node.fieldNames().forEachRemaining(key -> {
            if (!known.contains(key)) {
                String childPath = KeyPath.child(path, key);
                String hint = closest(key, known);
                throw ConfigException.at(childPath, "unknown key"
                        + (hint == null ? "" : " (did you mean '" + hint + "'?)")
                        + "; known keys here: " + keysOf(type), origins.sourceOf(childPath));
            }
        });
        for (RecordComponent component : components) {
            String childPath = KeyPath.child(path, component.getName());
            JsonNode child = node.get(component.getName());
            if (child == null || child.isNull() || child.isMissingNode()) {
                throw ConfigException.at(childPath, "required value missing", origins.sourceOf(childPath));
            }
            checkValue(child, component.getGenericType(), childPath, origins);
        }
    }

    private static void checkValue(JsonNode node, Type type, String path, ConfigOrigins origins) {
        if (type instanceof Class<?> cls && cls.isRecord()) {
            checkRecord(node, cls, path, origins);
        } else if (type instanceof Class<?> cls && cls.isEnum()) {
            // as configs spell them (ConfigJson reads enums by toString, which is name() for all but Pooling)
            List<String> names = Arrays.stream(cls.getEnumConstants()).map(Object::toString).toList();
            if (!node.isTextual() || !names.contains(node.asText())) {
                throw ConfigException.at(path, "must be one of " + String.join("|", names) + ", got "
                        + describe(node), origins.sourceOf(path));
            }
        } else if (type instanceof ParameterizedType list && list.getRawType() == List.class) {
            if (!node.isArray()) {
                throw ConfigException.at(path, "expected a list, got " + describe(node), origins.sourceOf(path));
            }
            Type element = list.getActualTypeArguments()[0];
            for (int i = 0; i < node.size(); i++) {
                String elementPath = KeyPath.element(path, i);
                if (node.get(i).isNull()) {
                    throw ConfigException.at(elementPath, "null list element", origins.sourceOf(elementPath));
                }
                checkValue(node.get(i), element, elementPath, origins);
            }
        } else if (node.isContainerNode()) {
            // A scalar field given a mapping or list: Jackson's message would be about tokens, ours is clearer.
            throw ConfigException.at(path, "expected a single value, got " + describe(node),
                    origins.sourceOf(path));
        }
    }

    private static String keysOf(Class<?> type) {
        return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName)
                .collect(Collectors.joining(", ", "{", "}"));
    }

    static String describe(JsonNode node) {
        if (node.isObject()) {
            return "a mapping";
        }
        if (node.isArray()) {
            return "a list";
        }
        if (node.isTextual()) {
            return "'" + node.asText() + "'";
        }
        return node.toString();
    }

    /** The known key within edit distance 2 of a misspelt one, if any. */
    private static String closest(String key, Set<String> known) {
        return known.stream()
                .filter(k -> editDistance(k.toLowerCase(), key.toLowerCase()) <= 2)
                .min(Comparator.comparingInt(k -> editDistance(k.toLowerCase(), key.toLowerCase())))
                .orElse(null);
    }

    /** Edit distance counting a swap of neighbours as one edit ("nmae" is one step from "name"). */
    private static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1));
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
