package org.lra.cli.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Turns a config file into a {@link RunConfig}. Layers, later wins:
 * <ol>
 *   <li>the embedded {@code defaults.yaml} (every key with a reference value);</li>
 *   <li>the files named by {@code extends:} (a path or a list of paths, relative to the file; applied in order,
 *       recursively), then the file itself;</li>
 *   <li>{@code --set key.path=value} overrides, the value parsed as a YAML scalar or flow list/map.</li>
 * </ol>
 * Mappings merge key by key; lists and scalars replace. The result is bound strictly to the records and
 * checked by {@link ConfigValidator}. Every failure is a {@link ConfigException} naming key and source.
 */
public final class ConfigLoader {

    static final String DEFAULTS_RESOURCE = "/org/lra/cli/config/defaults.yaml";
    static final String DEFAULTS_SOURCE = "built-in defaults.yaml";
    static final String SET_SOURCE = "--set";
    private static final String EXTENDS = "extends";

    private static final ObjectMapper JSON_READER = new JsonMapper();

    private ConfigLoader() {
    }

    /** Loads, merges, binds and validates; the usual entry point. */
    public static RunConfig load(Path file, List<String> sets) {
        return resolve(file, sets).config();
    }

    public static RunConfig load(Path file) {
        return load(file, List.of());
    }

    /** Like {@link #load} but also returns the contributing files and key origins. */
    public static LoadedConfig resolve(Path file, List<String> sets) {
        ConfigOrigins origins = new ConfigOrigins();
        ObjectNode tree = JsonNodeFactory.instance.objectNode();
        ConfigTree.merge(tree, defaults(), DEFAULTS_SOURCE, origins);
        List<Path> files = new ArrayList<>();
        mergeFileChain(tree, file.toAbsolutePath().normalize(), new ArrayDeque<>(), files, origins);
        for (String set : sets) {
            applySet(tree, set, origins);
        }
        RunConfig config = bind(tree, origins);
        ConfigValidator.validate(config, origins);
        return new LoadedConfig(config, List.copyOf(files), List.copyOf(sets), origins);
    }

    /**
     * Binds a resolved config (a run dir's config.yaml), without extends. It holds every key that existed when it
     * was written; a key added since (e.g. the LRA baselines' attention knobs) takes its built-in default, which
     * is what that run used implicitly, so that older run dirs stay readable by eval and --resume.
     */
    public static RunConfig bindResolved(Path file) {
        ConfigOrigins origins = new ConfigOrigins();
        ObjectNode own = readFile(file);
        if (own.has(EXTENDS)) {
            throw ConfigException.at(EXTENDS, "not allowed in a resolved config", displayName(file));
        }
        ObjectNode tree = JsonNodeFactory.instance.objectNode();
        ConfigTree.merge(tree, defaults(), DEFAULTS_SOURCE, origins);
        ConfigTree.merge(tree, own, displayName(file), origins);
        RunConfig config = bind(tree, origins);
        ConfigValidator.validate(config, origins);
        return config;
    }

    private static void mergeFileChain(ObjectNode target, Path file, Deque<Path> visiting, List<Path> files,
                                       ConfigOrigins origins) {
        if (visiting.contains(file)) {
            String cycle = visiting.stream().map(ConfigLoader::displayName).collect(Collectors.joining(" -> "));
            throw ConfigException.at(EXTENDS, "cycle: " + cycle + " -> " + displayName(file),
                    displayName(visiting.peekLast()));
        }
        if (files.contains(file)) {
            // Shared base of a diamond (both bases of a list extend it): merge it once, first, so a later
            // branch cannot re-apply it over what an earlier branch overrode.
            return;
        }
        ObjectNode own = readFile(file);
        visiting.addLast(file);
        for (Path base : extendsOf(own, file)) {
            mergeFileChain(target, base, visiting, files, origins);
        }
        visiting.removeLast();
        own.remove(EXTENDS);
        ConfigTree.merge(target, own, displayName(file), origins);
        files.add(file);
    }

    /** The files named by {@code extends:}, resolved against the directory of {@code file}. */
    private static List<Path> extendsOf(ObjectNode own, Path file) {
        JsonNode node = own.get(EXTENDS);
        List<Path> bases = new ArrayList<>();
        if (node == null) {
            return bases;
        }
        List<JsonNode> entries = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(entries::add);
        } else {
            entries.add(node);
        }
        for (JsonNode entry : entries) {
            if (!entry.isTextual() || entry.asText().isBlank()) {
                throw ConfigException.at(EXTENDS, "expected a relative path or a list of them, got "
                        + SchemaCheck.describe(node), displayName(file));
            }
            Path base = file.getParent().resolve(entry.asText()).normalize();
            if (!Files.isRegularFile(base)) {
                throw ConfigException.at(EXTENDS, "no such file: " + entry.asText() + " (resolved to "
                        + displayName(base) + ")", displayName(file));
            }
            bases.add(base);
        }
        return bases;
    }

    private static ObjectNode readFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw ConfigException.at(null, "no such config file", displayName(file));
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        ObjectMapper reader;
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            reader = ConfigJson.YAML_READER;
        } else if (name.endsWith(".json")) {
            reader = JSON_READER;
        } else {
            throw ConfigException.at(null, "config files must end in .yaml, .yml or .json", displayName(file));
        }
        try {
            JsonNode node = reader.readTree(readText(file));
            if (!(node instanceof ObjectNode object)) {
                throw ConfigException.at(null, "expected a mapping at the top level, got "
                        + (node == null || node.isMissingNode() ? "an empty file" : SchemaCheck.describe(node)),
                        displayName(file));
            }
            return object;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : "line " + e.getLocation().getLineNr() + ": ";
            throw ConfigException.at(null, "cannot parse: " + where + firstLine(e.getOriginalMessage()),
                    displayName(file));
        } catch (IOException e) {
            throw ConfigException.at(null, "cannot read: " + e.getMessage(), displayName(file));
        }
    }

    /**
     * Every number must be finite: JSON's 1e400 parses to Infinity, which no range check written as
     * {@code x > 0} would catch, and a run would diverge at step 1 instead of failing here.
     */
    private static void rejectNonFinite(JsonNode node, String path, ConfigOrigins origins) {
        if (node.isNumber() && !Double.isFinite(node.doubleValue())) {
            throw ConfigException.at(path, "must be a finite number, got " + node.asText(), origins.sourceOf(path));
        }
        if (node.isObject()) {
            node.fields().forEachRemaining(e ->
                    rejectNonFinite(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), origins));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                rejectNonFinite(node.get(i), path + "[" + i + "]", origins);
            }
        }
    }

    /**
     * The file as text, or a one-line error when it is not UTF-8 text (a binary file given by mistake), so the
     * parser never gets to report a decoder exception.
     */
    private static String readText(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
            if (text.indexOf('\0') < 0) {
                return text;
            }
        } catch (CharacterCodingException e) {
            // fall through
        }
        throw ConfigException.at(null, "not a text file (binary content; expected YAML or JSON)", displayName(file));
    }

    private static ObjectNode defaults() {
        try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + DEFAULTS_RESOURCE);
            }
            return (ObjectNode) ConfigJson.YAML_READER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Applies one {@code key.path=value}; the value is YAML, so {@code [elu,elu_flip]} is a list. */
    static void applySet(ObjectNode tree, String assignment, ConfigOrigins origins) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
            throw ConfigException.at(null, "expected key.path=value, got '" + assignment + "'", SET_SOURCE);
        }
        KeyPath path = KeyPath.parse(assignment.substring(0, eq).trim(), SET_SOURCE);
        String text = assignment.substring(eq + 1).trim();
        JsonNode value;
        try {
            value = ConfigJson.YAML_READER.readTree(text);
        } catch (JsonProcessingException e) {
            throw ConfigException.at(path.toString(), "cannot parse value '" + text + "': "
                    + firstLine(e.getOriginalMessage()), SET_SOURCE);
        }
        if (value == null || value.isMissingNode()) {
            throw ConfigException.at(path.toString(), "empty value", SET_SOURCE);
        }
        if (path.toString().equals(EXTENDS) || path.segments().get(0).key().equals(EXTENDS)) {
            throw ConfigException.at(EXTENDS, "cannot be set on the command line", SET_SOURCE);
        }
        ConfigTree.set(tree, path, value, SET_SOURCE, origins);
    }

    private static RunConfig bind(ObjectNode tree, ConfigOrigins origins) {
        SchemaCheck.check(tree, RunConfig.class, origins);
        rejectNonFinite(tree, "", origins);
        try {
            return ConfigJson.STRICT_BINDER.treeToValue(tree, RunConfig.class);
        } catch (JsonMappingException e) {
            String path = jacksonPath(e);
            JsonNode bad = tree.at(toPointer(e));
            String got = bad.isMissingNode() ? "" : ", got " + SchemaCheck.describe(bad);
            String expected = e instanceof MismatchedInputException mie && mie.getTargetType() != null
                    ? "expected " + describeType(mie.getTargetType())
                    : firstLine(e.getOriginalMessage());
            throw ConfigException.at(path, expected + got, origins.sourceOf(path));
        } catch (JsonProcessingException e) {
            throw new ConfigException("cannot bind config: " + firstLine(e.getOriginalMessage()), e);
        }
    }

    private static String describeType(Class<?> type) {
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "an integer";
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "text";
        }
        return type.getSimpleName();
    }

    private static String jacksonPath(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                sb.append(sb.length() == 0 ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String toPointer(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            sb.append('/').append(ref.getFieldName() != null ? ref.getFieldName() : String.valueOf(ref.getIndex()));
        }
        return sb.toString();
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int nl = text.indexOf('\n');
        return (nl < 0 ? text : text.substring(0, nl)).trim();
    }

    /** A path as the user would type it: relative to the working directory when below it. */
    static String displayName(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        Path cwd = Path.of("").toAbsolutePath();
        return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : abs.toString();
    }
}
