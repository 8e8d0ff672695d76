package org.lra.model.config;

import java.util.List;

/**
 * Which attention a block uses, and its knobs.
 *
 * @param type       softmax | linear | band | fmm
 * @param bandwidth  band keeps keys with |i - j| <= bandwidth - 1 (paper: 5, i.e. 9 keys per query)
 * @param kernels    far-field feature maps for fmm (and the map used by linear: its first entry)
 * @param blend      how fmm mixes near and far field; ignored by the other types
 * @param causal     query i sees only keys j <= i (language-model variant, docs/reference.md §1.4)
 * @param normalized linear/fmm far field divided by phi(q).sum(phi(k)) (Katharopoulos form);
 *                   false is the reference LRA code (no normaliser, each side scaled by N^-1/4)
 */
public record AttentionConfig(
        AttentionType type,
        int bandwidth,
        List<KernelType> kernels,
        BlendConfig blend,
        boolean causal,
        boolean normalized) {
}
