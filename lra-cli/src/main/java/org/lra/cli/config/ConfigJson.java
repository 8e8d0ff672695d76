package org.lra.cli.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The Jackson mappers used for configs, in one place so reading and writing agree. */
public final class ConfigJson {

    /** Reads YAML (and therefore JSON, a subset) into trees. */
    static final ObjectMapper YAML_READER = new YAMLMapper();

    // Enum values are written and read by toString(), the name configs use: the same as name() for all but
    // Pooling, whose mean-tokens is no Java identifier.
    private static final ObjectMapper YAML_WRITER = YAMLMapper.builder(
                    YAMLFactory.builder()
                            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                            .build())
            .enable(SerializationFeature.WRITE_ENUMS_USING_TO_STRING)
            .build();

    private static final ObjectMapper PRETTY_JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.WRITE_ENUMS_USING_TO_STRING)
            .build();

    /** Sorted keys, no whitespace: the same config always gives the same bytes. */
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(SerializationFeature.WRITE_ENUMS_USING_TO_STRING)
            .build();

    /**
     * Binds trees to records without guessing: unknown keys, missing keys, nulls for primitives,
     * 1.5 for an int and "3" for a number are all errors (the loader turns them into one-line messages).
     */
    static final ObjectMapper STRICT_BINDER = strictBinder();

    private ConfigJson() {
    }

    private static ObjectMapper strictBinder() {
        ObjectMapper mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(DeserializationFeature.READ_ENUMS_USING_TO_STRING)
                .build();
        // Numbers and booleans must not be accepted from strings ("0.1" quoted is a typo worth reporting).
        for (LogicalType type : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
            mapper.coercionConfigFor(type).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        }
        return mapper;
    }

    /** Sorted-key compact JSON of any record tree. */
    public static String canonical(Object value) {
        try {
            return CANONICAL.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The tree {@link #canonical} writes, to edit before writing it (written back, its keys keep their order). */
    static ObjectNode canonicalTree(Object value) {
        return CANONICAL.valueToTree(value);
    }

    /** Human-readable YAML in record field order (what config show prints and config.yaml holds). */
    public static String toYaml(Object value) {
        try {
            return YAML_WRITER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Indented JSON in record field order. */
    public static String toPrettyJson(Object value) {
        try {
            return PRETTY_JSON.writeValueAsString(value) + System.lineSeparator();
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** First 12 hex digits of SHA-256 over the UTF-8 bytes. */
    public static String shortSha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
