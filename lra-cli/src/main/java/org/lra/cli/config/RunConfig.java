package org.lra.cli.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.lra.model.config.ModelConfig;
import org.lra.model.config.TrainingConfig;

import java.util.List;

/**
 * Everything that defines one training run; what {@code lra train} consumes and run.json records.
 * Built by {@link ConfigLoader} (defaults, file chain, --set), checked by {@link ConfigValidator}.
 *
 * @param name     model row label in result tables, e.g. {@code fmm-2kernel-band5}
 * @param scale    paper (the reference protocol) | cpu (scaled down; not comparable to the paper)
 * @param note     free text, kept in run.json
 * @param seed     seeds initialisation, dropout and data order
 * @param threads  compute threads for this run
 * @param task     data side
 * @param model    network shape and attention
 * @param training optimisation protocol
 */
public record RunConfig(
        String name,
        String scale,
        String note,
        int seed,
        int threads,
        TaskConfig task,
        ModelConfig model,
        TrainingConfig training) {

    /** Scales a config may declare; cpu rows are flagged as not comparable in reports. */
    public static final List<String> SCALES = List.of("paper", "cpu");

    public RunConfig withSeed(int newSeed) {
        return new RunConfig(name, scale, note, newSeed, threads, task, model, training);
    }

    public RunConfig withThreads(int newThreads) {
        return new RunConfig(name, scale, note, seed, newThreads, task, model, training);
    }

    /**
     * Sorted-key JSON of every field: the identity of the run's configuration. A key added after runs were recorded
     * is left out at its reference value, so that the runs made before it keep their hash: {@code model.pooling}
     * at {@code mean}.
     */
    public String canonicalJson() {
        ObjectNode tree = ConfigJson.canonicalTree(this);
        if (model.pooling().isReference()) {
            ((ObjectNode) tree.get("model")).remove("pooling");
        }
        return ConfigJson.canonical(tree);
    }

    /** First 12 hex digits of SHA-256 over {@link #canonicalJson()}; recorded in run.json and result.json. */
    public String configHash() {
        return ConfigJson.shortSha256(canonicalJson());
    }
}
