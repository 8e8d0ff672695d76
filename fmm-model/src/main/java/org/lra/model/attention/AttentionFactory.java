package org.lra.model.attention;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.lra.model.config.AttentionConfig;
import org.lra.model.config.AttentionType;
import org.lra.model.config.BlendConfig;
import org.lra.model.config.KernelType;
import org.lra.model.tensor.Parameters;

/** Builds the attention of one block from its config, validating the config on the way. */
public final class AttentionFactory {
    private AttentionFactory() {
    }

    /**
     * @param cfg              the block's attention config
     * @param params           where a variant registers its parameters before allocation (fmm's blend weights,
     *                         nystrom's conv filters, linformer's model-wide E)
     * @param prefix           parameter name scope, no trailing dot: {@code block0.attn} -> {@code block0.attn.blend.near}
     * @param heads            H
     * @param headDim          D
     * @param attentionDropout dropout on attention probabilities (softmax, band and fmm's near field)
     * @param layerIndex       the block index; keys the attention dropout stream
     * @param maxSeqLen        the longest padded sequence the model takes (linformer sizes E by it)
     * @throws IllegalArgumentException naming the offending field when the config is inconsistent
     */
    public static Attention create(AttentionConfig cfg, Parameters params, String prefix, int heads, int headDim,
                                   double attentionDropout, int layerIndex, int maxSeqLen) {
        if (cfg == null) {
            throw new IllegalArgumentException("attention config is required");
        }
        if (cfg.type() == null) {
            throw new IllegalArgumentException("attention.type is required (softmax | linear | band | fmm | nystrom"
                    + " | linformer | performer | reformer)");
        }
        if (heads < 1 || headDim < 1) {
            throw new IllegalArgumentException("heads and headDim must be >= 1, got " + heads + " and " + headDim);
        }
        if (!(attentionDropout >= 0 && attentionDropout < 1)) {
            throw new IllegalArgumentException("attentionDropout must be in [0, 1), got " + attentionDropout);
        }
        AttentionType type = cfg.type();
        if (cfg.normalized() && (type == AttentionType.softmax || type == AttentionType.band)) {
            throw new IllegalArgumentException("attention.normalized applies to linear and fmm only, not " + type);
        }
        if ((type == AttentionType.band || type == AttentionType.fmm) && cfg.bandwidth() < 1) {
            throw new IllegalArgumentException("attention.bandwidth must be >= 1 for " + type + ", got "
                    + cfg.bandwidth());
        }
        if ((type == AttentionType.performer || type == AttentionType.reformer) && (cfg.causal() || cfg.normalized())) {
            throw new IllegalArgumentException("attention." + (cfg.causal() ? "causal" : "normalized")
                    + " does not apply to " + type + " (the reference's is bidirectional, with its own normaliser)");
        }
        if (type == AttentionType.performer && (cfg.rpDim() < 1 || cfg.performerKernel() == null)) {
            throw new IllegalArgumentException(cfg.rpDim() < 1 ? "attention.rpDim must be >= 1, got " + cfg.rpDim()
                    : "attention.performerKernel is required for performer (relu | exp)");
        }
        if (type == AttentionType.reformer && cfg.numHashes() < 1) {
            throw new IllegalArgumentException("attention.numHashes must be >= 1, got " + cfg.numHashes());
        }
        List<KernelType> kernels = cfg.kernels() == null ? List.of() : cfg.kernels();
        for (int l = 0; l < kernels.size(); l++) {
            if (kernels.get(l) == null) {
                throw new IllegalArgumentException("attention.kernels[" + l + "] is null");
            }
        }
        return switch (type) {
            case softmax -> new SoftmaxAttention(cfg.causal(), attentionDropout, layerIndex);
            case linear -> new LinearAttention(FeatureMap.of(kernels.isEmpty() ? KernelType.elu : kernels.get(0)),
                    cfg.normalized(), cfg.causal());
            case band -> new BandAttention(cfg.bandwidth(), cfg.causal(), attentionDropout, layerIndex);
            case fmm -> fmm(cfg, kernels, params, prefix, heads, headDim, attentionDropout, layerIndex);
            case nystrom -> new NystromAttention(cfg.numLandmarks(), cfg.convKernelSize(), params, prefix, heads);
            case linformer -> new LinformerAttention(cfg.linformerK(), maxSeqLen, params, heads);
            case performer -> new PerformerAttention(cfg.performerKernel(), cfg.rpDim(), layerIndex);
            case reformer -> new ReformerAttention(cfg.numHashes(), cfg.lshChunkLength(), cfg.numBuckets(),
                    layerIndex);
        };
    }

    /**
     * The limits {@code cfg}'s attention puts on its sequences, each variant's own rule: one check for
     * {@code lra train} (a run's padded length), {@code lra bench step} (its {@code --seq-len}) and the variants
     * themselves on the shapes they are given. The attention computes on sequences of {@code padded} tokens and
     * takes inputs of up to {@code longest} (linformer's E has one column per position). Returns each problem as
     * attention knob -> what is wrong with it, in order; empty when the attention fits.
     */
    public static Map<String, String> lengthProblems(AttentionConfig cfg, AttentionLength padded,
                                                     AttentionLength longest) {
        Map<String, String> problems = new LinkedHashMap<>();
        Optional<String> problem = switch (cfg.type()) {
            case nystrom -> NystromAttention.lengthProblem(cfg.numLandmarks(), padded);
            case linformer -> LinformerAttention.lengthProblem(cfg.linformerK(), longest);
            case reformer -> ReformerAttention.lengthProblem(cfg.lshChunkLength(), padded);
            default -> Optional.empty();
        };
        String knob = switch (cfg.type()) {
            case nystrom -> "numLandmarks";
            case linformer -> "linformerK";
            case reformer -> "lshChunkLength";
            default -> "";
        };
        problem.ifPresent(p -> problems.put(knob, p));
        return problems;
    }

    /**
     * The same for the variants whose parameters do not depend on the sequence length (all but linformer),
     * as tests and benchmarks of a single block build them.
     */
    public static Attention create(AttentionConfig cfg, Parameters params, String prefix, int heads, int headDim,
                                   double attentionDropout, int layerIndex) {
        if (cfg != null && cfg.type() == AttentionType.linformer) {
            throw new IllegalArgumentException("linformer sizes its projection by the longest sequence: pass maxSeqLen");
        }
        return create(cfg, params, prefix, heads, headDim, attentionDropout, layerIndex, 0);
    }

    private static Attention fmm(AttentionConfig cfg, List<KernelType> kernels, Parameters params, String prefix,
                                 int heads, int headDim, double attentionDropout, int layerIndex) {
        BlendConfig blendCfg = cfg.blend();
        if (blendCfg == null) {
            throw new IllegalArgumentException("attention.blend is required for fmm");
        }
        int terms = blendCfg.kernels() == null ? 0 : blendCfg.kernels().size();
        // blend.kernels = [] is band only; the kernels list may then still name the (unused) reference map.
        if (terms > 0 && terms != kernels.size()) {
            throw new IllegalArgumentException("attention.blend.kernels has " + terms + " weights but attention.kernels"
                    + " has " + kernels.size() + " maps; they must match (or blend.kernels be empty for band only)");
        }
        if (params == null) {
            throw new IllegalArgumentException("fmm needs Parameters to register its blend weights");
        }
        Blend blend = new Blend(blendCfg, params, prefix, heads, headDim);
        FarField[] far = new FarField[terms];
        for (int l = 0; l < terms; l++) {
            far[l] = new FarField(FeatureMap.of(kernels.get(l)), cfg.normalized(), cfg.causal());
        }
        return new FmmAttention(new BandAttention(cfg.bandwidth(), cfg.causal(), attentionDropout, layerIndex),
                far, blend);
    }
}
