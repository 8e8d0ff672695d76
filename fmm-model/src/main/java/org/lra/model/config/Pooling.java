package org.lra.model.config;

/**
 * How the encoder turns its T final states into one vector per sequence ({@code model.pooling}; docs/reference.md
 * §1.2). Configs spell the modes as {@link #toString} gives them: {@code mean}, {@code mean-tokens}, {@code cls}.
 */
public enum Pooling {
    /** The reference: the masked final states summed and divided by T, so padding counts in the divisor. */
    MEAN("mean", "mean over all positions (padding counted)"),
    /** The masked final states divided by the number of real tokens of the sequence (at least 1). */
    MEAN_TOKENS("mean-tokens", "mean over the real tokens (padding not counted)"),
    /**
     * The official code's CLS mode: token id vocabSize − 1 is put at position 0 and the sequence moves one
     * position right, its last position dropped (T does not grow); the CLS token's final state is the vector.
     */
    CLS("cls", "final state of a CLS token (id vocabSize - 1) put at position 0; the last position is dropped");

    private final String configName;
    private final String meaning;

    Pooling(String configName, String meaning) {
        this.configName = configName;
        this.meaning = meaning;
    }

    /** The reference protocol pools so; any other mode is a deviation from it. */
    public boolean isReference() {
        return this == MEAN;
    }

    /** What the mode computes, in a few words (run.json's {@code knobs.poolingRule}). */
    public String meaning() {
        return meaning;
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
