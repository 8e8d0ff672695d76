package org.lra.model.nn;

import org.lra.model.attention.Attention;
import org.lra.model.config.AttentionConfig;
import org.lra.model.tensor.Parameters;

/**
 * Makes the attention core of one block; the model takes it from here so that tests can inject a simple one.
 * Production uses {@code AttentionFactory::create} (wired in {@link org.lra.model.ModelBuilder}).
 *
 * <p>{@code prefix} is the block's attention scope without a trailing dot (e.g. {@code "block0.attn"}, the
 * scope of {@code block0.attn.wq}): the variant registers its own parameters (blend weights) under it as
 * {@code prefix + "." + name}, e.g. {@code block0.attn.blend.near}. {@code layerIndex} is the block index, for
 * {@link StepContext#dropoutKey(int, int)} with sites 0..99 (the block itself uses sites 100+).
 * {@code maxSeqLen} is the longest (padded) sequence the model takes, its position table's size: what a
 * variant with length-shaped parameters (Linformer's projection) sizes them by.
 */
@FunctionalInterface
public interface AttentionProvider {
    Attention create(AttentionConfig cfg, Parameters params, String prefix, int heads, int headDim,
                     double attentionDropout, int layerIndex, int maxSeqLen);
}
