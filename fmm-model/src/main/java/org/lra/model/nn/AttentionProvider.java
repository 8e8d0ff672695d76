package org.lra.model.nn;

import org.lra.model.attention.Attention;
import org.lra.model.config.AttentionConfig;
import org.lra.model.tensor.Parameters;

/**
 * Makes the attention core of one block; the model takes it from here so that tests can inject a simple one.
 * Production uses {@code AttentionFactory::create} (wired in {@link org.lra.model.ModelBuilder}).
 *
 * <p>{@code prefix} ends with a dot (e.g. {@code "block0.attn."}): the variant registers its own parameters
 * (blend weights) as {@code prefix + name}. {@code layerIndex} is the block index, for
 * {@link StepContext#dropoutKey(int, int)} with sites 0..99 (the block itself uses sites 100+).
 */
@FunctionalInterface
public interface AttentionProvider {
    Attention create(AttentionConfig cfg, Parameters params, String prefix, int heads, int headDim,
                     double attentionDropout, int layerIndex);
}
