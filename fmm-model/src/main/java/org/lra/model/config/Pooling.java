package org.lra.model.config;

/**
 * How the encoder turns its T final states into one vector per sequence ({@code model.pooling}; docs/reference.md
 * §1.2). Configs spell the modes as {@link #toString} gives them: {@code mean}, {@code mean-tokens}, {@code cls}.
 */
public enum Pooling {
    /** The reference: the masked final states summed and divided by T, so padding counts in the divisor. */
    MEAN("mean"),
    /** The masked final states divided by the number of real tokens of the sequence (at least 1). */
    MEAN_TOKENS("mean-tokens"),
    /**
     * The official code's CLS mode: token id vocabSize − 1 is put at position 0 and the sequence moves one
     * position right, its last position dropped (T does not grow); the CLS token's final state is the vector.
     */
    CLS("cls");

    private final String configName;

    Pooling(String configName) {
        this.configName = configName;
    }

    /** The reference protocol pools so; any other mode is a deviation from it. */
    public boolean isReference() {
        return this == MEAN;
    }

    /** The name configs use. */
    @Override
    public String toString() {
        return configName;
    }

    /** The mode a config name stands for. */
    public static Pooling fromConfigName(String name) {
        for (Pooling p : values()) {
            if (p.configName.equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown pooling '" + name + "'; expected mean, mean-tokens or cls");
    }
}
