package org.lra.cli.config;

import org.lra.cli.InputException;

/**
 * A config that cannot be used. The message is one line naming the key path and where the value came from,
 * e.g. {@code model.attention.bandwidth: must be >= 1, got 0 (configs/paper/listops/band5.yaml)}.
 */
public class ConfigException extends InputException {

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The usual shape: {@code path: problem (source)}. */
    static ConfigException at(String keyPath, String problem, String source) {
        String where = source == null ? "" : " (" + source + ")";
        String key = keyPath == null || keyPath.isEmpty() ? "" : keyPath + ": ";
        return new ConfigException(key + problem + where);
    }
}
